import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, frameworkContract, outboxEvent, tender, tenderAward, tenderBid, tenderDemand, tenderSupplier } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { evaluateTender } from '../../../domains/tenders/evaluation.core.ts';
import { tenderInputSchema } from '../../../domains/tenders/evaluation.types.ts';
import { evaluationInput } from '../../../domains/tenders/tenders.core.ts';
import { setTenderClock } from '../../../domains/tenders/tenders.config.ts';
import { finalizeTenderJob, openTenderJob } from '../../../domains/tenders/tenders.jobs.ts';
import { openTender } from '../../../domains/tenders/tenders.opening.ts';
import { listTenders, tenderTodoCount } from '../../../domains/tenders/tenders.service.ts';
import { readUpload, storeUpload } from '../../../domains/uploads/uploads.service.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';

// The tender slice end to end through the tRPC procedures (real better-auth sessions, real database:
// PGlite, or PostgreSQL with DATABASE_URL), with the tender clock moved by the test.
let app: TestApp;
let clock = new Date('2031-03-01T00:00:00Z');
const at = (days: number, hours = 0, seconds = 0) => new Date(Date.UTC(2031, 2, 1 + days, hours, 0, seconds));
const setClock = (d: Date) => {
  clock = d;
};

let alliance: TestOrg;
let otherAlliance: TestOrg;
let hospital: TestOrg;
let pharmacy: TestOrg;
let outsider: TestOrg;
let s1: TestOrg;
let s2: TestOrg;
let s3: TestOrg;
let s4: TestOrg;
let s5: TestOrg;
let operatorHeaders: Headers;

// Distinctive prices, searched for in every answer before the opening.
const P1 = 8317;
const P2_FIRST = 9523;
const P2 = 9041;
const P3 = 10067;
const SECRET_PRICES = [P1, P2_FIRST, P2, P3];

let tenderId = '';
let lot1 = '';
let lot2 = '';

const schedule = () => ({ demandDeadline: at(2), bidDeadline: at(5), openingAt: at(5, 1), publicityEndsAt: at(8) });
const lotsInput = [
  { herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', qualityTier: 'A', ceilingFenPerKg: 12_000, deliveryRegions: ['330106', '330102'] },
  { herbName: '当归', spec: '饮片 · 切片 · 生 · 选货', qualityTier: 'A', ceilingFenPerKg: 20_000, deliveryRegions: ['330106'] },
];

async function rows<T>(q: Promise<T[]>) {
  return (await q).length;
}
const bidCount = () => rows(app.handle.db.select().from(tenderBid).where(eq(tenderBid.tenderId, tenderId)));
const demandCount = () => rows(app.handle.db.select().from(tenderDemand).where(eq(tenderDemand.tenderId, tenderId)));

function jobCtx(now: Date) {
  return { db: app.handle.db, eventId: 'evt_test', attempt: 1, now };
}

beforeAll(async () => {
  setTenderClock({ now: () => clock });
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  alliance = await createTestOrg(app, 'alliance', { tag: 'alliance' });
  otherAlliance = await createTestOrg(app, 'alliance', { tag: 'alliance2' });
  hospital = await createTestOrg(app, 'hospital', { tag: 'hosp' });
  pharmacy = await createTestOrg(app, 'pharmacy', { tag: 'phar' });
  outsider = await createTestOrg(app, 'hospital', { tag: 'outsider' });
  s1 = await createTestOrg(app, 'supplier', { tag: 's1' });
  s2 = await createTestOrg(app, 'supplier', { tag: 's2' });
  s3 = await createTestOrg(app, 'supplier', { tag: 's3' });
  s4 = await createTestOrg(app, 'supplier', { tag: 's4' });
  s5 = await createTestOrg(app, 'supplier', { tag: 's5' });
  const op = await app.signUp('tender-operator@example.cn');
  await app.makeOperator(op.userId);
  operatorHeaders = op.headers;
}, 120_000);

afterAll(async () => {
  setTenderClock(null);
  await app?.close();
});

describe('tenders: officer creates, members report demand, publish', () => {
  it('builds the alliance and a draft tender with two lots', async () => {
    // The alliance invites; each organisation counts as a member once it accepts.
    const toHospital = await alliance.api.tenders.addMember({ memberOrgId: hospital.id });
    const toPharmacy = await alliance.api.tenders.addMember({ memberOrgId: pharmacy.id });
    expect(toPharmacy).toMatchObject({ memberOrgId: pharmacy.id, status: 'invited', created: true });
    const again = await alliance.api.tenders.addMember({ memberOrgId: pharmacy.id });
    expect(again).toMatchObject({ id: toPharmacy.id, status: 'invited', created: false });
    expect((await alliance.api.tenders.members()).map((m) => [m.orgId, m.status]).sort()).toEqual([[hospital.id, 'invited'], [pharmacy.id, 'invited']].sort());
    await hospital.api.tenders.acceptInvitation({ id: toHospital.id });
    await pharmacy.api.tenders.acceptInvitation({ id: toPharmacy.id });
    expect((await alliance.api.tenders.members()).map((m) => [m.orgId, m.status]).sort()).toEqual([[hospital.id, 'accepted'], [pharmacy.id, 'accepted']].sort());

    const e = await errorOf(() => alliance.api.tenders.addMember({ memberOrgId: s1.id }));
    expect(e.data.field).toBe('memberOrgId');

    const created = await alliance.api.tenders.create({ title: '2031 年浙江省中药饮片联盟带量采购', method: 'vbp_price', ...schedule(), lots: lotsInput });
    expect(created.id).toMatch(/^tdr_/);
    tenderId = created.id;
    const detail = await alliance.api.tenders.get({ id: tenderId });
    expect(detail.role).toBe('officer');
    expect(detail.status).toBe('draft');
    [lot1, lot2] = detail.lots.map((l) => l.id) as [string, string];
  });

  it('refuses bad tender rules, naming the field, and writes nothing', async () => {
    const before = await rows(app.handle.db.select().from(tender));
    const late = await errorOf(() => alliance.api.tenders.create({ title: 'x', method: 'vbp_price', ...schedule(), openingAt: at(4), lots: lotsInput }));
    expect(late.data.field).toBe('openingAt');
    const past = await errorOf(() => alliance.api.tenders.create({ title: 'x', method: 'vbp_price', ...schedule(), demandDeadline: at(-1), lots: lotsInput }));
    expect(past.data.field).toBe('demandDeadline');
    const weights = await errorOf(() => alliance.api.tenders.create({ title: 'x', method: 'weighted_score', ...schedule(), lots: lotsInput }));
    expect(weights.data.field).toBe('weights');
    const fraction = await errorOf(() => alliance.api.tenders.create({ title: 'x', method: 'vbp_price', ...schedule(), lots: [{ ...lotsInput[0]!, ceilingFenPerKg: 100.5 }] }));
    expect(fraction.data.field).toBe('lots.0.ceilingFenPerKg');
    const notAlliance = await errorOf(() => hospital.api.tenders.create({ title: 'x', method: 'vbp_price', ...schedule(), lots: lotsInput }));
    expect(notAlliance.data.code).toBe('FORBIDDEN');
    expect(await rows(app.handle.db.select().from(tender))).toBe(before);
  });

  it('hides a draft from members and suppliers and refuses demand before collection opens', async () => {
    expect((await errorOf(() => hospital.api.tenders.get({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    expect((await errorOf(() => s1.api.tenders.get({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    const early = await errorOf(() => hospital.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot1, grams: 1 }] }));
    expect(early.data.code).toBe('NOT_FOUND');
    expect(early.data.field).toBe('tenderId');
    expect((await errorOf(() => app.caller(new Headers()).then((c) => c.tenders.publicView({ id: tenderId })))).data.code).toBe('NOT_FOUND');
  });

  it('collects demand per member (idempotent upsert) and aggregates it per lot and region', async () => {
    await alliance.api.tenders.openDemand({ id: tenderId });
    await hospital.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot1, grams: 3_000_000 }] });
    await hospital.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot1, grams: 3_000_000 }] });
    await pharmacy.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot1, grams: 2_000_000 }] });
    expect(await demandCount()).toBe(2);
    const summary = await alliance.api.tenders.demandSummary({ id: tenderId });
    expect(summary.lots[0]).toMatchObject({ lotId: lot1, totalG: 5_000_000, members: 2, byRegion: [{ regionCode: '330106', grams: 5_000_000 }] });
    expect(summary.lots[1]).toMatchObject({ lotId: lot2, totalG: 0, members: 0 });
    const mine = await hospital.api.tenders.get({ id: tenderId });
    expect(mine.role).toBe('member');
    expect(mine.myDemand).toEqual([expect.objectContaining({ lotId: lot1, grams: 3_000_000 })]);
    expect(mine.demand).toBeNull();
  });

  it('refuses bad demand reports, naming the field, and writes nothing', async () => {
    const before = await demandCount();
    const unknown = await errorOf(() => hospital.api.tenders.reportDemand({ tenderId, lots: [{ lotId: 'tlt_nope', grams: 1 }] }));
    expect(unknown.data.field).toBe('lots.0.lotId');
    const dup = await errorOf(() => hospital.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot2, grams: 1 }, { lotId: lot2, grams: 2 }] }));
    expect(dup.data.field).toBe('lots.1.lotId');
    const fraction = await errorOf(() => hospital.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot2, grams: 1.5 }] }));
    expect(fraction.data.field).toBe('lots.0.grams');
    const notMember = await errorOf(() => outsider.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot1, grams: 1 }] }));
    expect(notMember.data.code).toBe('FORBIDDEN');
    expect(notMember.data.field).toBe('tenderId');
    const supplier = await errorOf(() => s1.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot1, grams: 1 }] }));
    expect(supplier.data.code).toBe('FORBIDDEN');
    setClock(at(2, 0, 1));
    const late = await errorOf(() => hospital.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot2, grams: 1_000_000 }] }));
    expect(late.data.code).toBe('PRECONDITION_FAILED');
    expect(late.data.field).toBe('tenderId');
    expect(late.message).toContain('需求申报已截止');
    expect(await demandCount()).toBe(before);
  });

  it('publishes (opening timer enqueued at openingAt) and freezes the rules', async () => {
    setClock(at(3));
    const otherTry = await errorOf(() => otherAlliance.api.tenders.publish({ id: tenderId }));
    expect(otherTry.data.code).toBe('NOT_FOUND');
    await alliance.api.tenders.publish({ id: tenderId });
    const [job] = await app.handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, `tenders.open:${tenderId}`));
    expect(job?.job).toBe('tenders.open');
    expect(job?.runAt.toISOString()).toBe(at(5, 1).toISOString());

    const frozen = await errorOf(() => alliance.api.tenders.update({ id: tenderId, title: '改', method: 'vbp_price', ...schedule(), lots: lotsInput }));
    expect(frozen.data.code).toBe('CONFLICT');
    expect(frozen.data.field).toBe('id');
    const again = await errorOf(() => alliance.api.tenders.publish({ id: tenderId }));
    expect(again.data.appCode).toBe('INVALID_TRANSITION');
    const [row] = await app.handle.db.select().from(tender).where(eq(tender.id, tenderId));
    expect(row?.title).toBe('2031 年浙江省中药饮片联盟带量采购');
    const late = await errorOf(() => pharmacy.api.tenders.reportDemand({ tenderId, lots: [{ lotId: lot2, grams: 1 }] }));
    expect(late.data.code).toBe('PRECONDITION_FAILED');
  });
});

describe('tenders: registration, qualification and sealed bids', () => {
  it('registers suppliers and qualifies them with reasons (capacity and licence checked)', async () => {
    for (const s of [s1, s2, s3]) await s.api.tenders.register({ tenderId, lots: [{ lotId: lot1, capacityG: 3_000_000 }] });
    // s4 attaches its GMP certificate: the tender's alliance reads it to qualify s4; another alliance, or another supplier, cannot.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bencao-tender-docs-'));
    const gmp = await storeUpload(app.handle.db, dataDir, { userId: s4.ownerUserId, orgId: s4.id }, { name: 'GMP证书.pdf', bytes: new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n') });
    await s4.api.tenders.register({ tenderId, lots: [{ lotId: lot1, capacityG: 3_000_000 }], documents: [{ name: 'GMP证书.pdf', uploadId: gmp.id }] });
    expect((await readUpload(app.handle.db, dataDir, alliance.id, gmp.id)).row.fileName).toBe('GMP证书.pdf');
    for (const stranger of [otherAlliance, s1]) await expect(readUpload(app.handle.db, dataDir, stranger.id, gmp.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    rmSync(dataDir, { recursive: true, force: true });
    await s5.api.tenders.register({ tenderId, lots: [{ lotId: lot1, capacityG: 1_000 }] });
    const unknown = await errorOf(() => s5.api.tenders.register({ tenderId, lots: [{ lotId: 'tlt_nope', capacityG: 1 }] }));
    expect(unknown.data.field).toBe('lots.0.lotId');
    const foreignDoc = await errorOf(() => s5.api.tenders.register({ tenderId, lots: [{ lotId: lot1, capacityG: 1 }], documents: [{ name: 'GMP.pdf', uploadId: 'upl_not_mine' }] }));
    expect(foreignDoc.data.field).toBe('documents.0.uploadId');
    const notSupplier = await errorOf(() => hospital.api.tenders.register({ tenderId, lots: [{ lotId: lot1, capacityG: 1 }] }));
    expect(notSupplier.data.code).toBe('FORBIDDEN');

    for (const s of [s1, s2, s3]) await alliance.api.tenders.qualify({ tenderId, supplierOrgId: s.id, qualified: true, reason: '资质齐全，产能满足' });
    await alliance.api.tenders.qualify({ tenderId, supplierOrgId: s4.id, qualified: false, reason: 'GMP 证书不在有效期' });
    const low = await errorOf(() => alliance.api.tenders.qualify({ tenderId, supplierOrgId: s5.id, qualified: true, reason: 'ok' }));
    expect(low.data.field).toBe('lots.0.capacityG');
    expect(low.message).toContain('至少需要 2,500 公斤');
    const [s5row] = await app.handle.db.select().from(tenderSupplier).where(eq(tenderSupplier.supplierOrgId, s5.id));
    expect(s5row?.status).toBe('pending');
    const noReason = await errorOf(() => alliance.api.tenders.qualify({ tenderId, supplierOrgId: s4.id, qualified: false, reason: '' }));
    expect(noReason.data.field).toBe('reason');
    const other = await errorOf(() => otherAlliance.api.tenders.qualify({ tenderId, supplierOrgId: s4.id, qualified: true, reason: 'x' }));
    expect(other.data.code).toBe('NOT_FOUND');

    const view = await s4.api.tenders.get({ id: tenderId });
    expect(view.registration).toMatchObject({ status: 'not_qualified', reason: 'GMP 证书不在有效期' });
  });

  it('tells each party what waits for it, in the list and on the dashboard, by the same rules', async () => {
    const s6 = await createTestOrg(app, 'supplier', { tag: 's6' });
    const mineOf = async (s: TestOrg) => (await s.api.tenders.list()).tenders.find((t) => t.id === tenderId)?.mine;
    const countOf = async (org: TestOrg, key: string) => (await org.api.dashboard.workQueue()).items.find((i) => i.key === key)?.count;
    // Qualified on lot 1 and no bid yet; s4 refused; s5 still waiting (its capacity was too low to qualify); s6 never registered.
    for (const s of [s1, s2, s3]) expect(await mineOf(s)).toEqual({ step: 'bid', lotsToBid: 1 });
    expect(await mineOf(s4)).toEqual({ step: 'not_qualified', lotsToBid: 0 });
    expect(await mineOf(s5)).toEqual({ step: 'awaiting_qualification', lotsToBid: 0 });
    expect(await mineOf(s6)).toEqual({ step: 'register', lotsToBid: 0 });
    expect([await countOf(s1, 'tendersToBid'), await countOf(s1, 'tendersToRegister')]).toEqual([1, 0]);
    expect([await countOf(s6, 'tendersToBid'), await countOf(s6, 'tendersToRegister')]).toEqual([0, 1]);
    expect([await countOf(s5, 'tendersToBid'), await countOf(s5, 'tendersToRegister')]).toEqual([0, 0]);

    // The officer sees the one registration waiting for a decision; another alliance sees none of it.
    const officerRow = (await alliance.api.tenders.list()).tenders.find((t) => t.id === tenderId);
    expect(officerRow).toMatchObject({ mine: null, pendingRegistrations: 1 });
    expect(await countOf(alliance, 'registrationsToQualify')).toBe(1);
    expect(await countOf(otherAlliance, 'registrationsToQualify')).toBe(0);
    // A member sees neither a supplier's progress nor the registrations.
    expect((await hospital.api.tenders.list()).tenders.find((t) => t.id === tenderId)).toMatchObject({ mine: null, pendingRegistrations: null });

    // Past the bid deadline nothing is asked of a supplier any more (the dashboard counts with the same clock).
    const late = new Date(schedule().bidDeadline.getTime() + 1);
    const lateList = await listTenders(app.handle.db, { userId: s6.ownerUserId, orgId: s6.id }, late);
    expect(lateList.tenders.find((t) => t.id === tenderId)?.mine).toEqual({ step: 'closed', lotsToBid: 0 });
    expect(await tenderTodoCount(app.handle.db, s6.id, 'register', late)).toBe(0);
    expect(await tenderTodoCount(app.handle.db, s1.id, 'bid', late)).toBe(0);
    expect(await tenderTodoCount(app.handle.db, s1.id, 'bid', schedule().bidDeadline)).toBe(1);
  });

  it('takes sealed bids, with a receipt carrying the commitment; a retry with the same key answers the same receipt', async () => {
    // A double submit: both pass the key check before either writes; the one that commits second answers the first's receipt.
    const pair = await Promise.all([1, 2].map(() => s1.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: P1, idempotencyKey: 'bid-s1-lot1-0001' })));
    expect(pair.map((r) => r.replayed).sort()).toEqual([false, true]);
    const r1 = pair.find((r) => !r.replayed)!;
    expect(pair.find((r) => r.replayed)).toMatchObject({ bidId: r1.bidId, commitment: r1.commitment, nonce: null });
    expect((await app.handle.db.select().from(tenderBid).where(and(eq(tenderBid.tenderId, tenderId), eq(tenderBid.supplierOrgId, s1.id)))).map((b) => b.id)).toEqual([r1.bidId]);
    expect(r1.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(r1.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(r1)).not.toContain(String(P1));
    const retry = await s1.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: P1, idempotencyKey: 'bid-s1-lot1-0001' });
    expect(retry).toMatchObject({ bidId: r1.bidId, commitment: r1.commitment, replayed: true });
    const wrongLot = await errorOf(() => s1.api.tenders.submitBid({ tenderId, lotId: lot2, fenPerKg: P1, idempotencyKey: 'bid-s1-lot1-0001' }));
    expect(wrongLot.data.field).toBe('idempotencyKey');

    setClock(at(3, 1));
    await s2.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: P2_FIRST, idempotencyKey: 'bid-s2-lot1-0001' });
    setClock(at(3, 2));
    await s2.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: P2, idempotencyKey: 'bid-s2-lot1-0002' });
    await s3.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: P3, idempotencyKey: 'bid-s3-lot1-0001' });
    expect(await bidCount()).toBe(4);
    const mine = await s2.api.tenders.get({ id: tenderId });
    expect(mine.receipts).toHaveLength(2);
    expect(mine.openedBids).toEqual([]);
  });

  it('a supplier that bid on every lot it registered for has nothing left to do', async () => {
    for (const s of [s1, s2, s3]) {
      expect((await s.api.tenders.list()).tenders.find((t) => t.id === tenderId)?.mine).toEqual({ step: 'bids_in', lotsToBid: 0 });
      expect((await s.api.dashboard.workQueue()).items.find((i) => i.key === 'tendersToBid')?.count).toBe(0);
    }
  });

  it('refuses bad bids, naming the field, and writes nothing', async () => {
    const before = await bidCount();
    const above = await errorOf(() => s3.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: 12_001, idempotencyKey: 'bid-s3-above-01' }));
    expect(above.data.field).toBe('fenPerKg');
    expect(above.message).toContain('最高有效申报价');
    const fraction = await errorOf(() => s3.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: 9000.5, idempotencyKey: 'bid-s3-frac-001' }));
    expect(fraction.data.field).toBe('fenPerKg');
    const unknownLot = await errorOf(() => s3.api.tenders.submitBid({ tenderId, lotId: 'tlt_unknown', fenPerKg: 9000, idempotencyKey: 'bid-s3-unk-0001' }));
    expect(unknownLot.data.field).toBe('lotId');
    const notRegisteredLot = await errorOf(() => s3.api.tenders.submitBid({ tenderId, lotId: lot2, fenPerKg: 9000, idempotencyKey: 'bid-s3-lot2-001' }));
    expect(notRegisteredLot.data.field).toBe('lotId');
    const unqualified = await errorOf(() => s4.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: 9000, idempotencyKey: 'bid-s4-lot1-001' }));
    expect(unqualified.data.code).toBe('FORBIDDEN');
    expect(unqualified.data.field).toBe('tenderId');
    const pending = await errorOf(() => s5.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: 9000, idempotencyKey: 'bid-s5-lot1-001' }));
    expect(pending.data.code).toBe('FORBIDDEN');
    const forOther = await errorOf(() => s1.api.tenders.submitBid({ tenderId, lotId: lot1, supplierOrgId: s2.id, fenPerKg: 9000, idempotencyKey: 'bid-s1-other-01' }));
    expect(forOther.data.field).toBe('supplierOrgId');
    const member = await errorOf(() => hospital.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: 9000, idempotencyKey: 'bid-hosp-0001' }));
    expect(member.data.code).toBe('FORBIDDEN');
    const shortKey = await errorOf(() => s3.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: 9000, idempotencyKey: 'k' }));
    expect(shortKey.data.field).toBe('idempotencyKey');
    setClock(at(5, 0, 1));
    const late = await errorOf(() => s3.api.tenders.submitBid({ tenderId, lotId: lot1, fenPerKg: 9000, idempotencyKey: 'bid-s3-late-001' }));
    expect(late.data.code).toBe('PRECONDITION_FAILED');
    expect(late.data.field).toBe('tenderId');
    expect(await bidCount()).toBe(before);
  });

  it('reveals no bid price before the opening, to any role (operators included)', async () => {
    const operator = await app.caller(operatorHeaders);
    const anonymous = await app.caller(new Headers());
    const answers: unknown[] = [
      await alliance.api.tenders.get({ id: tenderId }),
      await alliance.api.tenders.list(),
      await alliance.api.tenders.demandSummary({ id: tenderId }),
      await hospital.api.tenders.get({ id: tenderId }),
      await pharmacy.api.tenders.list(),
      ...(await Promise.all([s1, s2, s3, s4, s5].map((s) => s.api.tenders.get({ id: tenderId })))),
      await s1.api.tenders.list(),
      await anonymous.tenders.publicView({ id: tenderId }),
      await operator.operator.auditLog({ limit: 200 }),
      await operator.operator.auditLog({ entityType: 'tender', limit: 200 }),
      await operator.operator.jobs({ limit: 200 }),
    ];
    const text = JSON.stringify(answers);
    for (const price of SECRET_PRICES) expect(text).not.toMatch(new RegExp(`\\b${price}\\b`));
    // Operators have no tender procedure of their own: the tender is not theirs.
    expect((await errorOf(() => operator.tenders.get({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    expect((await errorOf(() => operator.tenders.demandSummary({ id: tenderId }))).data.code).toBe('FORBIDDEN');
    // At rest: no price column filled, and the sealed value does not carry it in clear.
    const stored = await app.handle.db.select().from(tenderBid).where(eq(tenderBid.tenderId, tenderId));
    expect(stored.length).toBe(4);
    expect(stored.every((b) => !('fenPerKg' in b))).toBe(true);
    expect(await rows(app.handle.db.select().from(tenderAward))).toBe(0);
    const rawAudit = JSON.stringify(await app.handle.db.select().from(auditLog));
    for (const price of SECRET_PRICES) expect(rawAudit).not.toMatch(new RegExp(`\\b${price}\\b`));
    for (const b of stored) expect(Buffer.from(b.sealed, 'base64').toString('latin1')).not.toContain('fenPerKg');
  });
});

describe('tenders: opening, publicity, complaints, final award', () => {
  it('refuses to open before the opening time and changes nothing', async () => {
    setClock(at(5, 0, 59));
    await expect(openTenderJob.handler({ tenderId }, jobCtx(clock))).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const [row] = await app.handle.db.select().from(tender).where(eq(tender.id, tenderId));
    expect(row?.status).toBe('published');
  });

  it('opens exactly once (the job delivered twice, and two openings at once) and evaluates by the rules', async () => {
    setClock(at(5, 1, 1));
    const [a, b] = await Promise.all([openTender(app.handle.db, tenderId, clock), openTender(app.handle.db, tenderId, clock)]);
    expect([a.opened, b.opened].sort()).toEqual([false, true]);
    await openTenderJob.handler({ tenderId }, jobCtx(clock));
    await openTenderJob.handler({ tenderId }, jobCtx(clock));
    const [awards] = await app.handle.db.select({ n: count() }).from(tenderAward).where(eq(tenderAward.tenderId, tenderId));
    expect(awards?.n).toBe(1);
    const openings = await app.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, tenderId), eq(auditLog.action, 'tender.status_changed')));
    expect(openings.filter((r) => (r.data as { to?: string }).to === 'opened')).toHaveLength(1);

    const detail = await alliance.api.tenders.get({ id: tenderId });
    expect(detail.status).toBe('publicised');
    const award = detail.award!;
    const [l1, l2] = award.lots;
    expect(l1).toMatchObject({ lotId: lot1, status: 'awarded', validSuppliers: 3, anchorFenPerKg: P1, maxWinners: 2, share: 0.6, agreedG: 3_000_000 });
    expect(l1!.winners.map((w) => [w.supplierId, w.fenPerKg])).toEqual([
      [s1.id, P1],
      [s2.id, P2],
    ]);
    expect(l1!.rejected.map((r) => r.reason).sort()).toEqual(['OUT_OF_SHORTLIST', 'SUPERSEDED']);
    expect(l2).toMatchObject({ lotId: lot2, status: 'failed', winners: [], agreedG: 0 });
    expect(detail.lots.map((l) => l.status)).toEqual(['awarded', 'failed']);
    expect(detail.openedBids.every((bid) => bid.openingCheck === 'verified')).toBe(true);

    // The stored hash is the pure core's on the same input (what `bencao tender-evaluate` prints).
    const replay = evaluateTender(
      evaluationInput(
        'vbp_price',
        null,
        [
          { id: lot1, ceilingFenPerKg: 12_000, demandG: 5_000_000 },
          { id: lot2, ceilingFenPerKg: 20_000, demandG: 0 },
        ],
        detail.openedBids.map((bid) => ({ id: bid.id, lotId: bid.lotId, supplierId: bid.supplierOrgId, fenPerKg: bid.fenPerKg!, submittedAt: new Date(bid.submittedAt), qualified: true, qualityScoreHundredths: null })),
      ),
    );
    expect(award.sha256).toBe(replay.sha256);
    // The award record carries its evaluation input: the offline evaluator reproduces the hash from it.
    const [stored] = await app.handle.db.select().from(tenderAward).where(eq(tenderAward.tenderId, tenderId));
    expect(evaluateTender(tenderInputSchema.parse(JSON.parse(stored!.inputJson))).sha256).toBe(award.sha256);

    const publicView = await (await app.caller(new Headers())).tenders.publicView({ id: tenderId });
    expect(publicView.award?.sha256).toBe(award.sha256);
    expect(publicView.lots.map((l) => l.demandG)).toEqual([5_000_000, 0]);
  });

  it('records complaints and answers; the final award waits for the window and the answers', async () => {
    const notAllowed = await errorOf(() => outsider.api.tenders.fileComplaint({ tenderId, body: '质疑' }));
    expect(notAllowed.data.code).toBe('FORBIDDEN');
    const { id: complaintId } = await s3.api.tenders.fileComplaint({ tenderId, lotId: lot1, body: '对第 1 标段排名有异议，请复核。' });
    const early = await errorOf(() => alliance.api.tenders.finalize({ id: tenderId }));
    expect(early.data.code).toBe('PRECONDITION_FAILED');
    setClock(at(8, 0, 1));
    const open = await errorOf(() => alliance.api.tenders.finalize({ id: tenderId }));
    expect(open.message).toContain('1 条质疑未答复');
    await finalizeTenderJob.handler({ tenderId }, jobCtx(clock));
    expect((await alliance.api.tenders.get({ id: tenderId })).status).toBe('publicised');
    const notYours = await errorOf(() => otherAlliance.api.tenders.answerComplaint({ complaintId, answer: '已复核' }));
    expect(notYours.data.field).toBe('complaintId');
    await alliance.api.tenders.answerComplaint({ complaintId, answer: '经复核，排名符合规则。' });
    const twice = await errorOf(() => alliance.api.tenders.answerComplaint({ complaintId, answer: 'again' }));
    expect(twice.data.code).toBe('CONFLICT');
    const s3view = await s3.api.tenders.get({ id: tenderId });
    expect(s3view.complaints[0]).toMatchObject({ status: 'answered', answer: '经复核，排名符合规则。' });
  });

  it('finalises once by the job: contracts per winner per lot, splitting the agreed volume', async () => {
    await finalizeTenderJob.handler({ tenderId }, jobCtx(clock));
    await finalizeTenderJob.handler({ tenderId }, jobCtx(clock));
    const detail = await alliance.api.tenders.get({ id: tenderId });
    expect(detail.status).toBe('awarded');
    expect(detail.award?.finalizedAt).not.toBeNull();
    const contracts = await app.handle.db.select().from(frameworkContract).where(eq(frameworkContract.tenderId, tenderId));
    expect(contracts.map((c) => [c.supplierOrgId, c.fenPerKg, c.agreedG, c.rank]).sort()).toEqual(
      [
        [s1.id, P1, 1_500_000, 1],
        [s2.id, P2, 1_500_000, 2],
      ].sort(),
    );
    expect(contracts[0]?.startsOn).toBe('2031-03-09');
    const s1view = await s1.api.tenders.get({ id: tenderId });
    expect(s1view.contracts).toHaveLength(1);
    const again = await errorOf(() => alliance.api.tenders.finalize({ id: tenderId }));
    expect(again.data.appCode).toBe('INVALID_TRANSITION');
  });

  it('re-tenders the failed lot as a new draft', async () => {
    const created = await alliance.api.tenders.retender({ id: tenderId, demandDeadline: at(10), bidDeadline: at(12), openingAt: at(12, 1), publicityEndsAt: at(15) });
    const detail = await alliance.api.tenders.get({ id: created.id });
    expect(detail.status).toBe('draft');
    expect(detail.parentTenderId).toBe(tenderId);
    expect(detail.lots.map((l) => l.herbName)).toEqual(['当归']);
    const other = await errorOf(() => otherAlliance.api.tenders.retender({ id: tenderId, demandDeadline: at(10), bidDeadline: at(12), openingAt: at(12, 1), publicityEndsAt: at(15) }));
    expect(other.data.code).toBe('NOT_FOUND');
  });

  it('keeps tenancy: another alliance sees none of it; the audit chain verifies', async () => {
    expect((await errorOf(() => otherAlliance.api.tenders.get({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    expect((await errorOf(() => otherAlliance.api.tenders.demandSummary({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    expect((await otherAlliance.api.tenders.list()).tenders).toEqual([]);
    expect((await errorOf(() => outsider.api.tenders.get({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    expect((await errorOf(() => otherAlliance.api.tenders.cancel({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    expect((await errorOf(() => otherAlliance.api.tenders.finalize({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    // A supplier acting as an alliance officer (owners hold every permission) still reaches nothing.
    expect((await errorOf(() => s1.api.tenders.demandSummary({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    // Each supplier sees its own receipts only.
    const own = await app.handle.db.select({ id: tenderBid.id, supplier: tenderBid.supplierOrgId }).from(tenderBid).where(eq(tenderBid.tenderId, tenderId));
    for (const s of [s1, s2, s3]) {
      const view = await s.api.tenders.get({ id: tenderId });
      expect(view.receipts.map((r) => r.bidId).sort()).toEqual(own.filter((b) => b.supplier === s.id).map((b) => b.id).sort());
      expect(view.openedBids).toEqual([]);
      expect(view.demand).toBeNull();
    }
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });
});

describe('tenders: members choose winners, call off at contract price, completion', () => {
  it('allocates each member its share with the chosen winner', async () => {
    const contracts = (await hospital.api.tenders.get({ id: tenderId })).contracts;
    const c1 = contracts.find((c) => c.supplierOrgId === s1.id)!;
    const c2 = contracts.find((c) => c.supplierOrgId === s2.id)!;
    expect((await hospital.api.tenders.chooseWinner({ contractId: c1.id })).agreedG).toBe(1_800_000);
    expect((await pharmacy.api.tenders.chooseWinner({ contractId: c1.id })).agreedG).toBe(1_200_000);
    // A member may change its mind until it calls off.
    expect((await pharmacy.api.tenders.chooseWinner({ contractId: c2.id })).contractId).toBe(c2.id);
    const outsiderTry = await errorOf(() => outsider.api.tenders.chooseWinner({ contractId: c1.id }));
    expect(outsiderTry.data.code).toBe('NOT_FOUND');
    expect(outsiderTry.data.field).toBe('contractId');
  });

  it('places call-offs as orders at the contract price, idempotently, within the agreed volume', async () => {
    const contracts = (await hospital.api.tenders.get({ id: tenderId })).contracts;
    const c1 = contracts.find((c) => c.supplierOrgId === s1.id)!;
    const c2 = contracts.find((c) => c.supplierOrgId === s2.id)!;
    const first = await hospital.api.tenders.placeCallOff({ contractId: c1.id, grams: 500_000, idempotencyKey: 'cof-hosp-00001' });
    expect(first).toMatchObject({ fenPerKg: P1, totalFen: Math.round((P1 * 500_000) / 1000), orderStatus: 'pending_payment', paymentMethod: 'card', replayed: false });
    expect(first.orderId).toMatch(/^ord_/);
    expect((await hospital.api.tenders.placeCallOff({ contractId: c1.id, grams: 500_000, idempotencyKey: 'cof-hosp-00001' })).orderId).toBe(first.orderId);
    const above = await errorOf(() => hospital.api.tenders.placeCallOff({ contractId: c1.id, grams: 1_300_001, idempotencyKey: 'cof-hosp-00002' }));
    expect(above.data.field).toBe('grams');
    expect(above.message).toContain('剩余 1,300 公斤');
    const notChosen = await errorOf(() => hospital.api.tenders.placeCallOff({ contractId: c2.id, grams: 1_000, idempotencyKey: 'cof-hosp-00003' }));
    expect(notChosen.data.field).toBe('contractId');
    const fraction = await errorOf(() => hospital.api.tenders.placeCallOff({ contractId: c1.id, grams: 10.5, idempotencyKey: 'cof-hosp-00004' }));
    expect(fraction.data.field).toBe('grams');
    const locked = await errorOf(() => hospital.api.tenders.chooseWinner({ contractId: c2.id }));
    expect(locked.data.code).toBe('CONFLICT');

    // The order is the winner's to see, not another supplier's; the buyer cancels it and the volume is free again.
    expect((await s1.api.orders.order({ id: first.orderId })).side).toBe('seller');
    expect((await errorOf(() => s2.api.orders.order({ id: first.orderId }))).data.code).toBe('NOT_FOUND');
    await hospital.api.orders.cancel({ id: first.orderId });
    // On net terms (the winner's credit line) the order is paid at once; the winner ships from its lot.
    await s1.api.orders.setCreditLine({ buyerOrgId: hospital.id, limitFen: 50_000_000, termDays: 30 });
    const onTerms = await hospital.api.tenders.placeCallOff({ contractId: c1.id, grams: 500_000, idempotencyKey: 'cof-hosp-00005', paymentMethod: 'net_terms' });
    expect(onTerms.orderStatus).toBe('paid');
    const product = await s1.api.catalog.createProduct({ herbId: herbIdFor('黄芪'), form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'ungraded', origin: '甘肃陇西', daoDi: true });
    const stockLot = await s1.api.catalog.createLot({ batchNo: 'HQ-TENDER-01', quantityG: 2_000_000, productionDate: '2025-10-01', expiryDate: '2033-09-30', productId: product.id });
    await s1.api.orders.accept({ id: onTerms.orderId, lotId: stockLot.id });
    await s1.api.orders.ship({ id: onTerms.orderId });
    expect((await hospital.api.orders.confirmDelivery({ id: onTerms.orderId })).status).toBe('delivered');
  });

  it('tracks completion per member, supplier and lot, scoped to the caller, with alerts', async () => {
    const all = await alliance.api.tenders.completion({ tenderId });
    expect(all.scope).toBe('officer');
    expect(all.byLot).toEqual([{ key: lot1, agreedG: 3_000_000, orderedG: 500_000, deliveredG: 500_000 }]);
    expect(all.bySupplier.map((s) => [s.key, s.agreedG, s.orderedG])).toEqual(
      [
        [s1.id, 1_800_000, 500_000],
        [s2.id, 1_200_000, 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(all.alerts.map((a) => a.memberOrgId)).toEqual([pharmacy.id]);
    const mine = await hospital.api.tenders.completion({ tenderId });
    expect(mine.rows.map((r) => r.memberOrgId)).toEqual([hospital.id]);
    const supplierView = await s2.api.tenders.completion({ tenderId });
    expect(supplierView.rows.map((r) => r.supplierOrgId)).toEqual([s2.id]);
    expect(supplierView.callOffs).toEqual([]);
    expect((await errorOf(() => otherAlliance.api.tenders.completion({ tenderId }))).data.code).toBe('NOT_FOUND');
    expect((await errorOf(() => s4.api.tenders.completion({ tenderId }))).data.code).toBe('NOT_FOUND');
  });
});
