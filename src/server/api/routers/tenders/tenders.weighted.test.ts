import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvent, tender, tenderLot } from '../../../db/schema/index.ts';
import { setTenderClock } from '../../../domains/tenders/tenders.config.ts';
import { enrolMember } from '../../../domains/tenders/tenders.testkit.ts';
import { appJobs } from '../../../jobs/registry.ts';
import { waitFor } from '../../../jobs/runner.contract.ts';
import { createJobRunner } from '../../../jobs/runner.ts';
import { deleteRedisKeys } from '../../../testing/node-http.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';

// A weighted_score tender whose opening and finalisation are delivered by the application's inline job
// runner (the registry the app uses), plus editing rules during demand collection and cancelling.
let app: TestApp;
let clock = new Date('2032-05-01T00:00:00Z');
const at = (days: number, hours = 0) => new Date(Date.UTC(2032, 4, 1 + days, hours));
let alliance: TestOrg;
let member: TestOrg;
let cheap: TestOrg;
let good: TestOrg;

const schedule = { demandDeadline: at(2), bidDeadline: at(5), openingAt: at(5, 1), publicityEndsAt: at(8) };
const lot = { herbName: '人参', spec: '饮片 · 片 · 生', qualityTier: '一等', ceilingFenPerKg: 90_000, deliveryRegions: ['330106'] };

/** Makes a timer row due now (the database clock is the real one) and delivers it with a fresh runner. */
async function deliverDue(dedupeKey: string) {
  await app.handle.db
    .update(outboxEvent)
    .set({ runAt: sql`now() - interval '1 second'` })
    .where(eq(outboxEvent.dedupeKey, dedupeKey));
  const runner = createJobRunner({ db: app.handle.db, registry: appJobs, onFailed: () => {} });
  for (let i = 0; i < 5; i += 1) if ((await runner.drainOnce!()) === 0) break;
  const [row] = await app.handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, dedupeKey));
  return row;
}

beforeAll(async () => {
  setTenderClock({ now: () => clock });
  app = await createTestApp();
  alliance = await createTestOrg(app, 'alliance', { tag: 'w-alliance' });
  member = await createTestOrg(app, 'hospital', { tag: 'w-hosp' });
  cheap = await createTestOrg(app, 'supplier', { tag: 'w-cheap' });
  good = await createTestOrg(app, 'supplier', { tag: 'w-good' });
  await enrolMember(alliance, member);
}, 120_000);

afterAll(async () => {
  setTenderClock(null);
  await app?.close();
});

describe('weighted tender delivered by the job runner', () => {
  it('edits rules while collecting demand, then runs to the award by quality and price', async () => {
    const { id } = await alliance.api.tenders.create({ title: '人参饮片综合评审', method: 'weighted_score', weights: { price: 40, quality: 60 }, ...schedule, lots: [lot, { ...lot, herbName: '西洋参' }] });
    await alliance.api.tenders.openDemand({ id });
    // Still editable while collecting demand: drop the second lot.
    await alliance.api.tenders.update({ id, title: '人参饮片综合评审（更正）', method: 'weighted_score', weights: { price: 40, quality: 60 }, ...schedule, lots: [lot] });
    const lots = await app.handle.db.select().from(tenderLot).where(eq(tenderLot.tenderId, id));
    expect(lots).toHaveLength(1);
    const lotId = lots[0]!.id;
    await member.api.tenders.reportDemand({ tenderId: id, lots: [{ lotId, grams: 400_000 }] });
    clock = at(3);
    await alliance.api.tenders.publish({ id });
    for (const s of [cheap, good]) await s.api.tenders.register({ tenderId: id, lots: [{ lotId, capacityG: 400_000 }] });
    const noScore = await errorOf(() => alliance.api.tenders.qualify({ tenderId: id, supplierOrgId: cheap.id, qualified: true, reason: '合格' }));
    expect(noScore.data.field).toBe('qualityScore');
    const decimals = await errorOf(() => alliance.api.tenders.qualify({ tenderId: id, supplierOrgId: cheap.id, qualified: true, reason: '合格', qualityScore: 70.123 }));
    expect(decimals.data.field).toBe('qualityScore');
    await alliance.api.tenders.qualify({ tenderId: id, supplierOrgId: cheap.id, qualified: true, reason: '合格', qualityScore: 60 });
    await alliance.api.tenders.qualify({ tenderId: id, supplierOrgId: good.id, qualified: true, reason: '合格', qualityScore: 98.5 });
    await cheap.api.tenders.submitBid({ tenderId: id, lotId, fenPerKg: 50_000, idempotencyKey: 'w-cheap-00001' });
    await good.api.tenders.submitBid({ tenderId: id, lotId, fenPerKg: 60_000, idempotencyKey: 'w-good-000001' });

    // The runner delivers the opening timer; the tender clock says it is opening time.
    clock = at(5, 2);
    const opening = await deliverDue(`tenders.open:${id}`);
    expect(opening?.status).toBe('done');
    const detail = await alliance.api.tenders.get({ id });
    expect(detail.status).toBe('publicised');
    // price 40 × (50000/60000) × 100 + quality 60 × 98.5 beats 40 × 100 + 60 × 60: quality wins rank 1.
    expect(detail.award?.lots[0]?.winners.map((w) => w.supplierId)).toEqual([good.id, cheap.id]);

    clock = at(8, 1);
    const finalize = await deliverDue(`tenders.finalize:${id}`);
    expect(finalize?.status).toBe('done');
    const final = await alliance.api.tenders.get({ id });
    expect(final.status).toBe('awarded');
    expect(final.contracts.map((c) => c.agreedG)).toEqual([120_000, 120_000]);
  });

  it('cancels an unopened tender; a cancelled tender cannot be published', async () => {
    clock = at(0);
    const { id } = await alliance.api.tenders.create({ title: '取消测试', method: 'vbp_price', ...schedule, lots: [lot] });
    await alliance.api.tenders.cancel({ id });
    const e = await errorOf(() => alliance.api.tenders.publish({ id }));
    expect(e.data.appCode).toBe('INVALID_TRANSITION');
    const [row] = await app.handle.db.select().from(tender).where(eq(tender.id, id));
    expect(row?.status).toBe('cancelled');
  });
});

// The same timer through the BullMQ driver (runs when REDIS_URL is set, with its own key prefix).
const REDIS_URL = process.env.REDIS_URL;
describe.skipIf(!REDIS_URL)('opening delivered by BullMQ', () => {
  const prefix = `bencao-tender-test-${randomBytes(4).toString('hex')}`;
  afterAll(async () => deleteRedisKeys(REDIS_URL!, prefix));

  it('opens the tender once at the opening time', async () => {
    clock = at(0);
    const { id } = await alliance.api.tenders.create({ title: 'BullMQ 开标', method: 'vbp_price', ...schedule, lots: [lot] });
    await alliance.api.tenders.openDemand({ id });
    clock = at(3);
    await alliance.api.tenders.publish({ id });
    clock = at(5, 2);
    await app.handle.db
      .update(outboxEvent)
      .set({ runAt: sql`now() - interval '1 second'` })
      .where(eq(outboxEvent.dedupeKey, `tenders.open:${id}`));
    const runner = createJobRunner({ db: app.handle.db, registry: appJobs, redisUrl: REDIS_URL!, prefix, pollMs: 25, onFailed: () => {} });
    await runner.start();
    try {
      await waitFor(async () => (await app.handle.db.select().from(tender).where(eq(tender.id, id)))[0]?.status === 'publicised', 'the opening', 15_000);
    } finally {
      await runner.stop();
    }
    const detail = await alliance.api.tenders.get({ id });
    expect(detail.award?.lots[0]?.status).toBe('failed');
  });
});
