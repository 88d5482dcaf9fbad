import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outboxEvent, tender } from '../../../db/schema/index.ts';
import { resetEnvCache } from '../../../env.ts';
import { demoClockOffsetMs, setDemoClockOffsetMs, setTenderClock, tenderNow } from '../../../domains/tenders/tenders.config.ts';
import { openTenderJob, tendersJobList } from '../../../domains/tenders/tenders.jobs.ts';
import { enrolMember } from '../../../domains/tenders/tenders.testkit.ts';
import { createJobRegistry } from '../../../jobs/define.ts';
import { createJobRunner, type JobRunner } from '../../../jobs/runner.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';

// The embedded demo's tender clock: an operator moves it forward; the opening job then runs once,
// and never before the (moved) opening time. The test switches the process environment between a
// production-like configuration and the embedded demo's.
const HOUR = 3_600_000;
const saved = { BENCAO_DEMO: process.env.BENCAO_DEMO, DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };
function configure(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}
const embeddedDemo = () => configure({ BENCAO_DEMO: '1', DATABASE_URL: undefined, REDIS_URL: undefined });

let app: TestApp;
let runner: JobRunner;
let operator: Awaited<ReturnType<TestApp['caller']>>;
let alliance: TestOrg;
let hospital: TestOrg;
let s1: TestOrg;
let s2: TestOrg;
let tenderId = '';
let openingAt = new Date();
let publicityEndsAt = new Date();

async function drain() {
  for (let i = 0; i < 10; i += 1) if ((await runner.drainOnce!()) === 0) return;
}
async function status() {
  const [row] = await app.handle.db.select({ status: tender.status }).from(tender).where(eq(tender.id, tenderId));
  return row?.status;
}

beforeAll(async () => {
  setTenderClock(null);
  app = await createTestApp();
  runner = createJobRunner({ db: app.handle.db, registry: createJobRegistry([...tendersJobList]), onFailed: () => {}, onError: () => {} });
  const op = await app.signUp('clock-operator@example.cn');
  await app.makeOperator(op.userId);
  operator = await app.caller(op.headers);
  alliance = await createTestOrg(app, 'alliance', { tag: 'clk-alliance' });
  hospital = await createTestOrg(app, 'hospital', { tag: 'clk-hosp' });
  s1 = await createTestOrg(app, 'supplier', { tag: 'clk-s1' });
  s2 = await createTestOrg(app, 'supplier', { tag: 'clk-s2' });
  // A tender on the real clock: bidding now, opening in three hours.
  const now = Date.now();
  openingAt = new Date(now + 3 * HOUR);
  publicityEndsAt = new Date(now + 4 * HOUR);
  await enrolMember(alliance, hospital);
  const { id } = await alliance.api.tenders.create({
    title: '演示时钟测试',
    method: 'vbp_price',
    demandDeadline: new Date(now + HOUR),
    bidDeadline: new Date(now + 2 * HOUR),
    openingAt,
    publicityEndsAt,
    lots: [{ herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', qualityTier: 'A', ceilingFenPerKg: 12_000, deliveryRegions: ['330106'] }],
  });
  tenderId = id;
  await alliance.api.tenders.openDemand({ id });
  const [lotId] = (await alliance.api.tenders.get({ id })).lots.map((l) => l.id) as [string];
  await hospital.api.tenders.reportDemand({ tenderId: id, lots: [{ lotId, grams: 1_000_000 }] });
  await alliance.api.tenders.publish({ id });
  for (const [s, price] of [
    [s1, 8_111],
    [s2, 9_222],
  ] as const) {
    await s.api.tenders.register({ tenderId: id, lots: [{ lotId, capacityG: 5_000_000 }] });
    await alliance.api.tenders.qualify({ tenderId: id, supplierOrgId: s.id, qualified: true, reason: '资质齐全' });
    await s.api.tenders.submitBid({ tenderId: id, lotId, fenPerKg: price, idempotencyKey: `clk-bid-${s.id.slice(-6)}` });
  }
}, 120_000);

afterAll(async () => {
  if (demoClockOffsetMs() > 0) {
    embeddedDemo();
    setDemoClockOffsetMs(0);
  }
  configure(saved);
  await app?.close();
});

describe('demo tender clock', () => {
  it('is refused outside the embedded demo, for every configuration that is not it', async () => {
    for (const vars of [
      { BENCAO_DEMO: undefined, DATABASE_URL: undefined, REDIS_URL: undefined },
      { BENCAO_DEMO: '1', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', REDIS_URL: undefined },
      { BENCAO_DEMO: '1', DATABASE_URL: undefined, REDIS_URL: 'redis://127.0.0.1:6379' },
    ]) {
      configure(vars);
      expect((await operator.operator.tenderClock()).enabled).toBe(false);
      const refused = await errorOf(() => operator.operator.advanceTenderClock({ to: new Date(openingAt.getTime() + 60_000) }));
      expect(refused.data).toMatchObject({ code: 'FORBIDDEN', field: 'to' });
      expect(setDemoClockOffsetMs(10 * HOUR)).toBe(false);
      expect(Math.abs(tenderNow().getTime() - Date.now())).toBeLessThan(5_000);
    }
    expect(await status()).toBe('published');
  });

  it('is the operator’s only: an alliance officer cannot move it', async () => {
    embeddedDemo();
    const e = await errorOf(() => alliance.api.operator.advanceTenderClock({ to: new Date(openingAt.getTime() + 60_000) }));
    expect(e.data.code).toBe('FORBIDDEN');
    expect(demoClockOffsetMs()).toBe(0);
  });

  it('moves forward only; short of the opening time nothing opens and no bid is readable', async () => {
    embeddedDemo();
    const back = await errorOf(() => operator.operator.advanceTenderClock({ to: new Date(Date.now() - HOUR) }));
    expect(back.data).toMatchObject({ code: 'BAD_REQUEST', field: 'to' });
    const early = await operator.operator.advanceTenderClock({ to: new Date(openingAt.getTime() - 60_000) });
    expect(early.released).toEqual([]);
    expect((await operator.operator.tenderClock()).enabled).toBe(true);
    await drain();
    await expect(openTenderJob.handler({ tenderId }, { db: app.handle.db, eventId: 'evt_clk', attempt: 1, now: new Date() })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(await status()).toBe('published');
    const view = await alliance.api.tenders.get({ id: tenderId });
    expect(view.openedBids).toEqual([]);
    expect(JSON.stringify(view)).not.toMatch(/\b(8111|9222)\b/);
  });

  it('past the opening time the opening job runs at once, exactly once; the award follows the rules', async () => {
    embeddedDemo();
    const moved = await operator.operator.advanceTenderClock({ to: new Date(openingAt.getTime() + 60_000) });
    expect(moved.released.map((r) => r.job)).toEqual(['tenders.open']);
    const [timer] = await app.handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, `tenders.open:${tenderId}`));
    expect(timer!.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    await drain();
    await drain();
    await openTenderJob.handler({ tenderId }, { db: app.handle.db, eventId: 'evt_clk2', attempt: 1, now: new Date() });
    expect(await status()).toBe('publicised');
    const view = await alliance.api.tenders.get({ id: tenderId });
    expect(view.award?.lots[0]?.winners.map((w) => [w.supplierId, w.fenPerKg])).toEqual([
      [s1.id, 8_111],
      [s2.id, 9_222],
    ]);
    const openings = await app.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, tenderId), eq(auditLog.action, 'tender.status_changed')));
    expect(openings.filter((r) => (r.data as { to?: string }).to === 'opened')).toHaveLength(1);
    const [audit] = await app.handle.db.select().from(auditLog).where(eq(auditLog.action, 'demo.tender_clock_moved')).orderBy(auditLog.seq);
    expect(audit).toMatchObject({ entityType: 'tender_clock', orgId: null });
  });

  it('past the publicity window the final award runs too, and contracts start on the moved date', async () => {
    embeddedDemo();
    const moved = await operator.operator.advanceTenderClock({ to: new Date(publicityEndsAt.getTime() + 60_000) });
    expect(moved.released.map((r) => r.job)).toEqual(['tenders.finalize']);
    await drain();
    expect(await status()).toBe('awarded');
    const contracts = (await alliance.api.tenders.get({ id: tenderId })).contracts;
    expect(contracts).toHaveLength(2);
    expect(contracts[0]!.startsOn).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(tenderNow()));
  });
});
