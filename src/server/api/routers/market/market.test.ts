import { randomBytes } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kgText } from '../../../../lib/amount-text.ts';
import { newId } from '../../../../lib/ids.ts';
import { licence, lot, marketCommand, marketFunding, marketTrade, member, orderLine, outboxEvent, stockReservation } from '../../../db/schema/index.ts';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { marketJobsWith } from '../../../domains/market/market.jobs.ts';
import { fundingIdempotencyKey, MARKET_TEST_PAYMENT_METHODS, ORPHAN_FUNDING_CHECK_MS, placeOrder, releaseOrphanFunding } from '../../../domains/market/market.funding.ts';
import { createInstrument } from '../../../domains/market/market.service.ts';
import { ordersJobsWith } from '../../../domains/orders/orders.jobs.ts';
import { ordersPaymentSink } from '../../../domains/orders/orders.payments.ts';
import { createJobRegistry } from '../../../jobs/define.ts';
import { createJobRunner, type JobFailure, type JobRunner } from '../../../jobs/runner.ts';
import type { Payments } from '../../../integrations/payments/payments.port.ts';
import { setAppPayments } from '../../../integrations/payments/payments.ts';
import { livePublishJob, livePublishManyJob } from '../../../integrations/live/live.jobs.ts';
import { sandboxDeliveryJobWith } from '../../../integrations/payments/sandbox/sandbox.jobs.ts';
import { createStripePayments } from '../../../integrations/payments/stripe.adapter.ts';
import { startSandboxServer, TEST_WEBHOOK_SECRET, type SandboxServer } from '../../../integrations/payments/testing/sandbox-server.ts';
import { composeSinks, createRecordingSink, handlePaymentWebhook } from '../../../integrations/payments/webhook.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';

// The market procedures over real sessions and the database: permissions, org scoping, lot backing,
// funding (card authorisations through the official stripe SDK over HTTP to the payments sandbox; net
// terms from credit lines), trades becoming orders, buyer constraints and expiry (the outbox runner).
let app: TestApp;
let server: SandboxServer;
let payments: Payments;
let runner: JobRunner;
const failures: JobFailure[] = [];
let previousPayments: ReturnType<typeof setAppPayments>;
let operator: { userId: string; orgId: string };
let grower: TestOrg;
let hospital: TestOrg;
let otherHospital: TestOrg;
let physician: Awaited<ReturnType<TestApp['caller']>>;
let instrumentId: string;
let lotId: string;
const spec = { form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected' } as const;

function key(): string {
  return `mkt-${randomBytes(6).toString('hex')}`;
}

async function reservedOf(id: string): Promise<number> {
  const [row] = await app.handle.db.select({ reservedG: lot.reservedG }).from(lot).where(eq(lot.id, id));
  return row!.reservedG;
}

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  grower = await createTestOrg(app, 'grower', { tag: 'mkt-grower' });
  hospital = await createTestOrg(app, 'hospital', { tag: 'mkt-hosp' });
  otherHospital = await createTestOrg(app, 'hospital', { tag: 'mkt-hosp2' });
  const op = await app.signUp(`mkt-op-${randomBytes(3).toString('hex')}@example.cn`);
  const opOrg = await app.makeOperator(op.userId);
  operator = { userId: op.userId, orgId: opOrg };
  server = await startSandboxServer({ db: app.handle.db });
  const testPayments = createStripePayments(server.config, { maxNetworkRetries: 0 });
  payments = testPayments;
  previousPayments = setAppPayments({ config: server.config, payments: testPayments });
  const sink = composeSinks(ordersPaymentSink, createRecordingSink());
  const registry = createJobRegistry([
    ...ordersJobsWith(() => testPayments).list,
    ...marketJobsWith(() => testPayments).list,
    livePublishJob,
    livePublishManyJob,
    sandboxDeliveryJobWith((db) => ({ webhookSecret: TEST_WEBHOOK_SECRET, deliver: (raw, sig) => handlePaymentWebhook({ db, payments: testPayments, sink, onError: () => {} }, raw, sig) })),
  ]);
  runner = createJobRunner({ db: app.handle.db, registry, onFailed: (f) => failures.push(f), onError: () => {} });
  instrumentId = (await createInstrument(app.handle.db, { userId: op.userId, orgId: opOrg }, { herbId: herbIdFor('黄芪'), ...spec })).id;
  const product = await grower.api.catalog.createProduct({ herbId: herbIdFor('黄芪'), ...spec, origin: '甘肃陇西', daoDi: true });
  lotId = (await grower.api.catalog.createLot({ batchNo: `HQ-${randomBytes(3).toString('hex')}`, quantityG: 50_000, productionDate: '2025-10-01', expiryDate: '2027-09-30', productId: product.id })).id;
  // A physician of the hospital: a member without market:trade.
  const doc = await app.signUp(`mkt-doc-${randomBytes(3).toString('hex')}@example.cn`);
  await app.handle.db.insert(member).values({ id: newId('member'), organizationId: hospital.id, userId: doc.userId, role: 'physician' });
  physician = await app.caller(doc.headers);
});
afterAll(async () => {
  setAppPayments(previousPayments);
  await server?.close();
  await app.close();
});

async function drain() {
  for (let i = 0; i < 20; i += 1) if ((await runner.drainOnce!()) === 0) return;
}

describe('market procedures', () => {
  it('a grower sells from its lot, a hospital buys; book, last price, orders and trades follow', async () => {
    expect(await hospital.api.market.instruments()).toContainEqual(expect.objectContaining({ id: instrumentId, name: '黄芪 饮片 片 生 选货', lastFenPerKg: null }));
    const ask = await grower.api.market.place({ instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 30_000, fenPerKg: 6000, lotId });
    expect(ask).toMatchObject({ kind: 'place', restingQtyG: 30_000, trades: [] });
    expect(await reservedOf(lotId)).toBe(30_000);
    expect(await hospital.api.market.book({ instrumentId })).toMatchObject({ bids: [], asks: [[6000, 30_000]] });

    const bid = await hospital.api.market.place({ instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 10_000, fenPerKg: 6100 });
    expect(bid.trades).toEqual([expect.objectContaining({ buyerOrgId: hospital.id, sellerOrgId: grower.id, qtyG: 10_000, fenPerKg: 6000 })]);
    expect(await hospital.api.market.instruments()).toContainEqual(expect.objectContaining({ id: instrumentId, lastFenPerKg: 6000 }));
    expect(await hospital.api.market.myTrades()).toEqual([expect.objectContaining({ side: 'buy', orderId: bid.orderId, counterpartyOrgId: grower.id, grams: 10_000, totalFen: 60_000 })]);
    expect(await grower.api.market.myTrades()).toEqual([expect.objectContaining({ side: 'sell', orderId: ask.orderId, counterpartyOrgId: hospital.id })]);
    expect(await grower.api.market.myOrders()).toEqual([expect.objectContaining({ orderId: ask.orderId, side: 'sell', lotId, filledG: 10_000, openG: 20_000 })]);
    expect(await otherHospital.api.market.myTrades()).toEqual([]);
    const [held] = await app.handle.db.select().from(stockReservation).where(eq(stockReservation.lotId, lotId));
    expect(held).toMatchObject({ buyerOrgId: hospital.id, grams: 10_000, status: 'held' });

    expect(await grower.api.market.amend({ instrumentId, idempotencyKey: key(), orderId: ask.orderId, qtyG: 5000 })).toMatchObject({ restingQtyG: 5000 });
    expect(await reservedOf(lotId)).toBe(15_000);
    expect(await grower.api.market.cancel({ instrumentId, idempotencyKey: key(), orderId: ask.orderId })).toMatchObject({ restingQtyG: 0 });
    expect(await reservedOf(lotId)).toBe(10_000);
    expect(await hospital.api.market.book({ instrumentId })).toMatchObject({ bids: [], asks: [] });
  });

  it('commands need market:trade; reading the market does not', async () => {
    expect(await physician.market.instruments()).toContainEqual(expect.objectContaining({ id: instrumentId }));
    expect(await errorOf(() => physician.market.place({ instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 1000, fenPerKg: 5000 }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => physician.market.myOrders())).toMatchObject({ data: { code: 'FORBIDDEN' } });
    const anonymous = await app.caller(new Headers());
    expect(await errorOf(() => anonymous.market.book({ instrumentId }))).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('another organisation can neither cancel or amend an order nor sell from a lot it does not hold', async () => {
    const ask = await grower.api.market.place({ instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 2000, fenPerKg: 7000, lotId });
    expect(await errorOf(() => otherHospital.api.market.cancel({ instrumentId, idempotencyKey: key(), orderId: ask.orderId }))).toMatchObject({ data: { code: 'FORBIDDEN', field: 'orderId' } });
    expect(await errorOf(() => otherHospital.api.market.amend({ instrumentId, idempotencyKey: key(), orderId: ask.orderId, qtyG: 1000 }))).toMatchObject({ data: { code: 'FORBIDDEN', field: 'orderId' } });
    expect(await errorOf(() => hospital.api.market.place({ instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 1000, fenPerKg: 7000, lotId }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'lotId' } });
    expect(await hospital.api.market.book({ instrumentId })).toMatchObject({ asks: [[7000, 2000]] });
    expect((await grower.api.market.myOrders()).find((o) => o.orderId === ask.orderId)).toMatchObject({ openG: 2000, endedBy: null });
    await grower.api.market.cancel({ instrumentId, idempotencyKey: key(), orderId: ask.orderId });
    expect((await grower.api.market.myOrders()).find((o) => o.orderId === ask.orderId)).toMatchObject({ openG: 0, endedBy: 'cancel' });
  });

  it('bad input is refused naming the field, with a translated message', async () => {
    const base = { instrumentId, idempotencyKey: key(), side: 'sell' as const, qtyG: 1000, fenPerKg: 6000, lotId };
    // Every way a quantity or price is wrong reads in the order form's units (kg, ¥/kg), not in grams or fen.
    for (const qtyG of [1.5, 0, -5, 2_000_000_000]) {
      expect(await errorOf(() => grower.api.market.place({ ...base, qtyG }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'qtyG' }, message: 'qtyG: 数量须大于 0、不超过 1,000,000 公斤，最多 3 位小数。' });
    }
    for (const fenPerKg of [0, 12.5, 100_000_001]) {
      expect(await errorOf(() => grower.api.market.place({ ...base, fenPerKg }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'fenPerKg' }, message: 'fenPerKg: 价格须大于 0、不超过 ¥1,000,000.00/公斤，精确到分。' });
    }
    const { lotId: _lot, ...naked } = base;
    expect(await errorOf(() => grower.api.market.place(naked))).toMatchObject({ data: { field: 'lotId' } });
    const before = await reservedOf(lotId);
    const tooMuch = await errorOf(() => grower.api.market.place({ ...base, qtyG: 50_000 - before + 1 }));
    expect(tooMuch).toMatchObject({ data: { code: 'CONFLICT', field: 'qtyG' } });
    expect(tooMuch.message).toBe(`批次可用库存只有 ${kgText(50_000 - before)} 公斤，不足 ${kgText(50_000 - before + 1)} 公斤。`);
    expect(tooMuch.message).not.toMatch(/^market\./);
    expect(await reservedOf(lotId)).toBe(before);
    expect(await errorOf(() => grower.api.market.book({ instrumentId: 'ins_missing' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'instrumentId' } });
    // The expiry job's key prefix is the platform's: a caller's place, cancel or amend with it is refused and logs nothing.
    const reserved = 'expire:mor_anything';
    for (const attempt of [
      () => grower.api.market.place({ ...base, idempotencyKey: reserved }),
      () => grower.api.market.cancel({ instrumentId, idempotencyKey: reserved, orderId: 'mor_anything' }),
      () => grower.api.market.amend({ instrumentId, idempotencyKey: reserved, orderId: 'mor_anything', qtyG: 500 }),
    ]) {
      expect(await errorOf(attempt)).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'idempotencyKey' }, message: 'idempotencyKey: 幂等键不能以“expire:”开头，该前缀由平台的到期撤单使用。' });
    }
    expect(await app.handle.db.select().from(marketCommand).where(eq(marketCommand.idempotencyKey, reserved))).toEqual([]);

    // 20 t at ¥62.50/kg is worth more than one card authorisation may hold: refused before anything is held or queued.
    const jobsBefore = (await app.handle.db.select({ n: count() }).from(outboxEvent))[0]!.n;
    const bigKey = key();
    const tooBig = await errorOf(() => hospital.api.market.place({ instrumentId, idempotencyKey: bigKey, side: 'buy', qtyG: 20_000_000, fenPerKg: 6250, funding: 'card' }));
    expect(tooBig).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'funding' }, message: '银行卡预授权单笔不能超过 ¥999,999.99，本委托金额 ¥1,250,000.00：请减少数量、分笔委托，或选择账期。' });
    expect((await app.handle.db.select({ n: count() }).from(outboxEvent))[0]!.n).toBe(jobsBefore);
    expect(await app.handle.db.select().from(marketCommand).where(eq(marketCommand.idempotencyKey, bigKey))).toEqual([]);
    // Just under the limit is authorised as usual (a resting bid, cancelled again).
    const underLimit = await hospital.api.market.place({ instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 1_000_000, fenPerKg: 9999, funding: 'card' });
    await hospital.api.market.cancel({ instrumentId, idempotencyKey: key(), orderId: underLimit.orderId });
  });
});

/** A fresh instrument (a spec no other test uses) and a lot of the grower's of that spec and `lotGrade`. */
async function freshMarket(
  grade: 'ungraded' | 'graded' | 'selected',
  lotGrade: 'ungraded' | 'graded' | 'selected',
  options: { origin?: string; expiryDate?: string; contentPct?: string } = {},
): Promise<{ instrumentId: string; lotId: string }> {
  const cuts = ['slice', 'segment', 'shred', 'chunk'] as const;
  const herbs = ['当归', '白芍', '川芎', '茯苓', '甘草', '党参', '白术', '陈皮'];
  const n = freshCount++;
  const herb = herbs[n % herbs.length]!;
  const cut = cuts[Math.floor(n / herbs.length) % cuts.length]!;
  const ins = await createInstrument(app.handle.db, operator, { herbId: herbIdFor(herb), form: 'decoction_piece', cut, processing: 'raw', grade });
  const product = await grower.api.catalog.createProduct({ herbId: herbIdFor(herb), form: 'decoction_piece', cut, processing: 'raw', grade: lotGrade, origin: options.origin ?? '甘肃岷县', daoDi: true });
  const created = await grower.api.catalog.createLot({
    batchNo: `M-${randomBytes(3).toString('hex')}`,
    quantityG: 100_000,
    productionDate: '2025-10-01',
    expiryDate: options.expiryDate ?? '2027-09-30',
    productId: product.id,
    ...(options.contentPct ? { contentPct: options.contentPct } : {}),
  });
  return { instrumentId: ins.id, lotId: created.id };
}
let freshCount = 0;

async function lotRow(id: string) {
  const [row] = await app.handle.db.select({ reservedG: lot.reservedG, quantityG: lot.quantityG }).from(lot).where(eq(lot.id, id));
  return row!;
}

describe('trades become orders between the disclosed parties', () => {
  it('a card-funded bid is authorised, fills at the resting price, and its trade is an order the seller ships from the lot', async () => {
    const m = await freshMarket('graded', 'graded');
    const ask = await grower.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 40_000, fenPerKg: 5000, lotId: m.lotId });
    const bid = await hospital.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 15_000, fenPerKg: 5200, funding: 'card' });
    expect(bid.trades).toEqual([expect.objectContaining({ sellOrderId: ask.orderId, qtyG: 15_000, fenPerKg: 5000 })]);
    const [funding] = await app.handle.db.select().from(marketFunding).where(eq(marketFunding.orderId, bid.orderId));
    expect(funding).toMatchObject({ method: 'card', status: 'held', amountFen: 78_000 });
    expect((await payments.retrieve(funding!.paymentIntentId!)).status).toBe('requires_capture');

    // The trade's order is written by the market.trade-orders job, after the command is answered.
    await drain();
    const [trade] = await app.handle.db.select().from(marketTrade).where(eq(marketTrade.buyOrderId, bid.orderId));
    expect(trade!.orderId).toMatch(/^ord_/);
    const [line] = await app.handle.db.select().from(orderLine).where(eq(orderLine.orderId, trade!.orderId!));
    expect(line).toMatchObject({ lotId: m.lotId, grams: 15_000, priceFenPerKg: 5000, lineTotalFen: 75_000 });
    // The lot still holds 40 kg: 25 kg for the resting sell, 15 kg for the buyer's order.
    expect(await lotRow(m.lotId)).toMatchObject({ reservedG: 40_000, quantityG: 100_000 });

    await drain();
    const buyerView = await hospital.api.orders.order({ id: trade!.orderId! });
    expect(buyerView).toMatchObject({ status: 'paid', sellerOrgId: grower.id, buyerOrgId: hospital.id, totalFen: 75_000 });
    // The bid no longer rests: its placing authorisation was given back.
    const [released] = await app.handle.db.select().from(marketFunding).where(eq(marketFunding.orderId, bid.orderId));
    expect(released!.status).toBe('released');
    expect((await payments.retrieve(funding!.paymentIntentId!)).status).toBe('canceled');
    expect(await hospital.api.market.myTrades()).toContainEqual(expect.objectContaining({ tradeId: trade!.id, orderId: bid.orderId }));

    // The trade binds the buyer: it cannot cancel the order alone.
    expect(await errorOf(() => hospital.api.orders.cancel({ id: trade!.orderId! }))).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'id' } });
    await grower.api.orders.accept({ id: trade!.orderId! });
    await grower.api.orders.ship({ id: trade!.orderId! });
    await drain();
    expect(await grower.api.orders.order({ id: trade!.orderId! })).toMatchObject({ status: 'shipped', capturedFen: 75_000 });
    // As every order's: the shipped grams stay held for the buyer on the lot, beside the resting sell's.
    expect(await lotRow(m.lotId)).toMatchObject({ reservedG: 40_000 });
    const [held] = await app.handle.db.select().from(stockReservation).where(eq(stockReservation.id, line!.reservationId!));
    expect(held).toMatchObject({ buyerOrgId: hospital.id, sellerOrgId: grower.id, grams: 15_000, status: 'held' });
    expect([...new Set(failures.map((f) => `${f.job}: ${f.error}`))]).toEqual([]);
  });

  it('a declined card places nothing; a refused order gives its authorisation back', async () => {
    const m = await freshMarket('graded', 'graded');
    const actor = { userId: hospital.ownerUserId, orgId: hospital.id };
    const declined = await placeOrder(app.handle.db, payments, actor, m.instrumentId, { kind: 'place', idempotencyKey: key(), side: 'buy', qtyG: 1000, fenPerKg: 5000, tif: 'GTC' }, { paymentMethod: MARKET_TEST_PAYMENT_METHODS.decline }).catch((e: unknown) => e);
    expect(declined).toMatchObject({ code: 'PRECONDITION_FAILED', details: { field: 'funding' } });
    const [logged] = await app.handle.db.select({ n: count() }).from(marketCommand).where(eq(marketCommand.instrumentId, m.instrumentId));
    expect(logged!.n).toBe(0);
    await setHalted(m.instrumentId, true);
    const idem = key();
    const bid = { kind: 'place', idempotencyKey: idem, side: 'buy', qtyG: 1000, fenPerKg: 5000, tif: 'GTC' } as const;
    const halted = await placeOrder(app.handle.db, payments, actor, m.instrumentId, bid).catch((e: unknown) => e);
    expect(halted).toMatchObject({ code: 'CONFLICT', details: { field: 'instrumentId' } });
    const intents = server.requests.filter((r) => r.idempotencyKey === fundingIdempotencyKey(hospital.id, idem, m.instrumentId, bid));
    expect(intents).toHaveLength(1);
    expect(server.requests.some((r) => r.path.endsWith('/cancel'))).toBe(true);
    await setHalted(m.instrumentId, false);
    // The refused key sent again with other terms is another authorisation (not a payments idempotency conflict), and places.
    const retried = await placeOrder(app.handle.db, payments, actor, m.instrumentId, { ...bid, qtyG: 2000 });
    expect(retried.restingQtyG).toBe(2000);
    await placeOrder(app.handle.db, payments, actor, m.instrumentId, { kind: 'cancel', idempotencyKey: key(), orderId: retried.orderId });
  });

  it('a card hold whose order never reached the log is given back by the orphan check; a placed order keeps its hold', async () => {
    const m = await freshMarket('graded', 'graded');
    const actor = { userId: hospital.ownerUserId, orgId: hospital.id };
    const idem = key();
    const bid = { kind: 'place', idempotencyKey: idem, side: 'buy', qtyG: 1000, fenPerKg: 5000, tif: 'GTC' } as const;
    const placed = await placeOrder(app.handle.db, payments, actor, m.instrumentId, bid);
    const [check] = await app.handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, `market.release-orphan-funding:${fundingIdempotencyKey(hospital.id, idem, m.instrumentId, bid)}`));
    expect(check).toMatchObject({ job: 'market.release-orphan-funding', status: 'pending' });
    expect(check!.runAt.getTime() - check!.createdAt.getTime()).toBeGreaterThanOrEqual(ORPHAN_FUNDING_CHECK_MS - 5_000);
    const [funding] = await app.handle.db.select().from(marketFunding).where(eq(marketFunding.orderId, placed.orderId));
    await releaseOrphanFunding(app.handle.db, payments, check!.payload as Parameters<typeof releaseOrphanFunding>[2]);
    expect((await payments.retrieve(funding!.paymentIntentId!)).status).toBe('requires_capture');
    // The process died after the payments call, before the order was logged: the same request with its key finds the hold.
    const lost = key();
    const request = { ...(check!.payload as { request: Record<string, unknown> }).request, idempotencyKey: fundingIdempotencyKey(hospital.id, lost, m.instrumentId, { ...bid, idempotencyKey: lost }), orderId: `market:${hospital.id}:${lost}` } as Parameters<typeof releaseOrphanFunding>[2]['request'];
    const held = await payments.authorize(request);
    expect(held.status).toBe('requires_capture');
    await releaseOrphanFunding(app.handle.db, payments, { orgId: hospital.id, idempotencyKey: lost, request });
    expect((await payments.retrieve(held.paymentIntentId)).status).toBe('canceled');
    // Run again (a redelivered job): nothing more happens.
    await releaseOrphanFunding(app.handle.db, payments, { orgId: hospital.id, idempotencyKey: lost, request });
    expect((await payments.retrieve(held.paymentIntentId)).status).toBe('canceled');
  });

  it('net terms: refused without a credit line from a seller; with one, the trade is an order paid on terms', async () => {
    const m = await freshMarket('ungraded', 'ungraded');
    await grower.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 20_000, fenPerKg: 3000, lotId: m.lotId });
    const refused = await errorOf(() => otherHospital.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 5000, fenPerKg: 3000, funding: 'net_terms' }));
    expect(refused).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'funding' } });
    expect(refused.message).toContain('账期');
    await grower.api.orders.setCreditLine({ buyerOrgId: otherHospital.id, limitFen: 1_000_000, termDays: 30 });
    const bid = await otherHospital.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 5000, fenPerKg: 3000, funding: 'net_terms' });
    expect(bid.trades).toHaveLength(1);
    await drain();
    const [trade] = await app.handle.db.select().from(marketTrade).where(eq(marketTrade.buyOrderId, bid.orderId));
    expect(await otherHospital.api.orders.order({ id: trade!.orderId! })).toMatchObject({ status: 'paid', paymentMethod: 'net_terms', paymentStatus: 'on_terms', totalFen: 15_000 });
    // The room left is the limit less what is owed on terms (¥150.00 now): ¥9,900 no longer fits, ¥9,600 does.
    expect(await errorOf(() => otherHospital.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 330_000, fenPerKg: 3000, funding: 'net_terms' }))).toMatchObject({ data: { field: 'funding' } });
    const fits = await otherHospital.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 320_000, fenPerKg: 3000, funding: 'net_terms' });
    expect(fits.trades).toEqual([expect.objectContaining({ qtyG: 15_000, fenPerKg: 3000 })]);
    await otherHospital.api.market.cancel({ instrumentId: m.instrumentId, idempotencyKey: key(), orderId: fits.orderId });
  });
});

async function setHalted(id: string, halted: boolean) {
  const { setInstrumentStatus } = await import('../../../domains/market/market.service.ts');
  await setInstrumentStatus(app.handle.db, operator, id, halted ? 'halted' : 'active');
}

describe('buyer constraints and lot rules', () => {
  it('a resting sell that fails the origin, grade or certificate a buyer requires is skipped for that buyer, not removed', async () => {
    const m = await freshMarket('ungraded', 'graded', { origin: '甘肃岷县' });
    const ask = await grower.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 10_000, fenPerKg: 4000, lotId: m.lotId });
    const place = (constraints: object) => hospital.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 1000, fenPerKg: 4500, tif: 'IOC', constraints });
    expect((await place({ origins: ['内蒙古'] })).trades).toEqual([]);
    expect((await place({ minGrade: 'selected' })).trades).toEqual([]);
    expect((await place({ certificate: 'gap' })).trades).toEqual([]);
    expect((await place({ certificate: 'quality_report' })).trades).toEqual([]);
    expect(await hospital.api.market.book({ instrumentId: m.instrumentId })).toMatchObject({ asks: [[4000, 10_000]] });
    const fits = await place({ origins: ['内蒙古', '甘肃岷县'], minGrade: 'graded' });
    expect(fits.trades).toEqual([expect.objectContaining({ sellOrderId: ask.orderId, qtyG: 1000 })]);
    await app.handle.db.insert(licence).values({ id: newId('lic'), orgId: grower.id, type: 'gap_base', number: `GAP-${randomBytes(3).toString('hex')}`, scope: '黄芪种植', validFrom: '2025-01-01', expiresOn: '2030-01-01' });
    // Certificates are the lot's when its sell is placed: a new sell carries the GAP certificate.
    const gapAsk = await grower.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 2000, fenPerKg: 4100, lotId: m.lotId });
    const gapBid = await place({ certificate: 'gap' });
    expect(gapBid.trades).toEqual([expect.objectContaining({ sellOrderId: gapAsk.orderId, fenPerKg: 4100 })]);
  });

  it('a lot of a lower grade, an expired lot, expiry on IOC or in the past are refused with the field named', async () => {
    const m = await freshMarket('selected', 'selected');
    const lower = await freshMarket('selected', 'ungraded');
    expect(await errorOf(() => grower.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 1000, fenPerKg: 4000, lotId: lower.lotId }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'lotId' } });
    const expired = await freshMarket('graded', 'graded', { expiryDate: '2025-12-31' });
    const old = await errorOf(() => grower.api.market.place({ instrumentId: expired.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 1000, fenPerKg: 4000, lotId: expired.lotId }));
    expect(old).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'lotId' } });
    expect(old.message).toContain('2025-12-31');
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    expect(await errorOf(() => grower.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 1000, fenPerKg: 4000, lotId: m.lotId, tif: 'IOC', expiresAt: soon }))).toMatchObject({ data: { field: 'expiresAt' } });
    expect(await errorOf(() => grower.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 1000, fenPerKg: 4000, lotId: m.lotId, expiresAt: '2020-01-01T00:00:00Z' }))).toMatchObject({ data: { field: 'expiresAt' } });
    expect(await errorOf(() => hospital.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 1000, fenPerKg: 4000, constraints: { origins: [''] } }))).toMatchObject({ data: { code: 'BAD_REQUEST' } });
    expect(await lotRow(m.lotId)).toMatchObject({ reservedG: 0 });
  });

  it('a GTC order expires at its time: a logged cancel gives the grams back to the lot', async () => {
    const m = await freshMarket('graded', 'graded');
    // Seconds ahead, so a slow machine still sees it rest before it expires.
    const expiresAt = new Date(Date.now() + 4000);
    const ask = await grower.api.market.place({ instrumentId: m.instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 3000, fenPerKg: 4000, lotId: m.lotId, expiresAt: expiresAt.toISOString() });
    expect(await lotRow(m.lotId)).toMatchObject({ reservedG: 3000 });
    expect(await hospital.api.market.book({ instrumentId: m.instrumentId })).toMatchObject({ asks: [[4000, 3000]] });
    await drain();
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 100));
    await drain();
    expect(await hospital.api.market.book({ instrumentId: m.instrumentId })).toMatchObject({ asks: [] });
    expect(await lotRow(m.lotId)).toMatchObject({ reservedG: 0 });
    const [cancel] = await app.handle.db.select().from(marketCommand).where(and(eq(marketCommand.orderId, ask.orderId), eq(marketCommand.kind, 'cancel')));
    expect(cancel).toMatchObject({ idempotencyKey: `expire:${ask.orderId}`, orgId: grower.id, userId: null });
    expect((await grower.api.market.myOrders()).find((o) => o.orderId === ask.orderId)).toMatchObject({ openG: 0, filledG: 0, endedBy: 'expiry' });
  });
});
