import { randomBytes } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, callOff, lot, order, stockReservation } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { ordersJobsWith } from '../../../domains/orders/orders.jobs.ts';
import { ordersPaymentSink } from '../../../domains/orders/orders.payments.ts';
import { expireUnpaidOrder } from '../../../domains/orders/payment-page.service.ts';
import { includedTaxFen } from '../../../domains/orders/tax.core.ts';
import { setTenderClock } from '../../../domains/tenders/tenders.config.ts';
import { openTender } from '../../../domains/tenders/tenders.opening.ts';
import { enrolMember } from '../../../domains/tenders/tenders.testkit.ts';
import type { Payments } from '../../../integrations/payments/payments.port.ts';
import { sandboxDeliveryJobWith } from '../../../integrations/payments/sandbox/sandbox.jobs.ts';
import { createStripePayments } from '../../../integrations/payments/stripe.adapter.ts';
import { startSandboxServer, TEST_WEBHOOK_SECRET, type SandboxServer } from '../../../integrations/payments/testing/sandbox-server.ts';
import { composeSinks, createRecordingSink, handlePaymentWebhook } from '../../../integrations/payments/webhook.ts';
import { createJobRegistry } from '../../../jobs/define.ts';
import { createJobRunner, type JobFailure, type JobRunner } from '../../../jobs/runner.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';

// Call-offs on framework contracts are ordinary orders: through the tRPC procedures (real better-auth
// sessions, real database — PostgreSQL with DATABASE_URL, PGlite otherwise), the outbox runner and
// the official stripe SDK over HTTP to the payments sandbox. The tender clock starts at the real
// time (orders and their timeline use the real clock) and is moved forward by the test.
const DAY = 86_400_000;
const HOUR = 3_600_000;
const base = Date.now();
let clock = new Date(base);
const at = (days: number, hours = 0) => new Date(base + days * DAY + hours * HOUR);

let app: TestApp;
let server: SandboxServer;
let payments: Payments;
let runner: JobRunner;
const failures: JobFailure[] = [];

let alliance: TestOrg;
let otherAlliance: TestOrg;
let hospital: TestOrg;
let pharmacy: TestOrg;
let outsider: TestOrg;
let s1: TestOrg;
let s2: TestOrg;
let tenderId = '';
let lot1 = '';
/** hospital's contract with s1 on lot 1, and the other winner's. */
let c1 = '';
let c2 = '';
/** s1's lots: 黄芪 decoction pieces (2,000 kg), 黄芪 raw (wrong form), 黄芪 pieces with 1 kg only. */
let goodLot = '';
let rawLot = '';
let smallLot = '';

const P1 = 8_200;
const P2 = 9_100;
const key = () => `cof-${randomBytes(6).toString('hex')}`;

async function drain() {
  for (let i = 0; i < 20; i += 1) if ((await runner.drainOnce!()) === 0) return;
}
async function rowCount(table: typeof callOff | typeof order) {
  const [row] = await app.handle.db.select({ n: count() }).from(table);
  return Number(row?.n ?? 0);
}
async function lotReserved(lotId: string) {
  const [row] = await app.handle.db.select({ reservedG: lot.reservedG, quantityG: lot.quantityG }).from(lot).where(eq(lot.id, lotId));
  return row!.reservedG;
}
async function hospitalRow() {
  const view = await hospital.api.tenders.completion({ tenderId });
  return view.rows.find((r) => r.lotId === lot1)!;
}

/** An awarded tender: two lots, demand from two members, two qualified winners on lot 1. */
async function awardedTender() {
  await enrolMember(alliance, hospital);
  await enrolMember(alliance, pharmacy);
  const { id } = await alliance.api.tenders.create({
    title: '联盟带量采购（订单联动）',
    method: 'vbp_price',
    demandDeadline: at(2),
    bidDeadline: at(5),
    openingAt: at(5, 1),
    publicityEndsAt: at(8),
    lots: [
      { herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', qualityTier: 'A', ceilingFenPerKg: 12_000, deliveryRegions: ['330106'] },
      { herbName: '当归', spec: '饮片 · 切片 · 生 · 选货', qualityTier: 'A', ceilingFenPerKg: 20_000, deliveryRegions: ['330106'] },
    ],
  });
  await alliance.api.tenders.openDemand({ id });
  const [l1, l2] = (await alliance.api.tenders.get({ id })).lots.map((l) => l.id) as [string, string];
  await hospital.api.tenders.reportDemand({ tenderId: id, lots: [{ lotId: l1, grams: 3_000_000 }, { lotId: l2, grams: 1_000_000 }] });
  await pharmacy.api.tenders.reportDemand({ tenderId: id, lots: [{ lotId: l1, grams: 2_000_000 }] });
  clock = at(3);
  await alliance.api.tenders.publish({ id });
  for (const s of [s1, s2]) {
    await s.api.tenders.register({ tenderId: id, lots: [{ lotId: l1, capacityG: 10_000_000 }, { lotId: l2, capacityG: 10_000_000 }] });
    await alliance.api.tenders.qualify({ tenderId: id, supplierOrgId: s.id, qualified: true, reason: '资质齐全' });
  }
  await s1.api.tenders.submitBid({ tenderId: id, lotId: l1, fenPerKg: P1, idempotencyKey: 'bid-s1-l1-0001' });
  await s2.api.tenders.submitBid({ tenderId: id, lotId: l1, fenPerKg: P2, idempotencyKey: 'bid-s2-l1-0001' });
  await s1.api.tenders.submitBid({ tenderId: id, lotId: l2, fenPerKg: 15_000, idempotencyKey: 'bid-s1-l2-0001' });
  clock = at(5, 2);
  await openTender(app.handle.db, id, clock);
  clock = at(8, 1);
  await alliance.api.tenders.finalize({ id });
  clock = at(9);
  return { id, l1 };
}

async function ownLot(party: TestOrg, form: 'decoction_piece' | 'raw', quantityG: number) {
  const product = await party.api.catalog.createProduct({ herbId: herbIdFor('黄芪'), form, cut: form === 'raw' ? 'none' : 'slice', processing: 'raw', grade: 'ungraded', origin: '甘肃陇西', daoDi: true });
  const created = await party.api.catalog.createLot({ batchNo: `HQ-${randomBytes(3).toString('hex')}`, quantityG, productionDate: '2025-10-01', expiryDate: '2035-09-30', productId: product.id });
  return created.id;
}

beforeAll(async () => {
  setTenderClock({ now: () => clock });
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  server = await startSandboxServer({ db: app.handle.db });
  const testPayments = createStripePayments(server.config, { maxNetworkRetries: 0 });
  payments = testPayments;
  const sink = composeSinks(ordersPaymentSink, createRecordingSink());
  const registry = createJobRegistry([
    ...ordersJobsWith(() => testPayments).list,
    sandboxDeliveryJobWith((db) => ({ webhookSecret: TEST_WEBHOOK_SECRET, deliver: (raw, sig) => handlePaymentWebhook({ db, payments: testPayments, sink, onError: () => {} }, raw, sig) })),
  ]);
  runner = createJobRunner({ db: app.handle.db, registry, onFailed: (f) => failures.push(f), onError: () => {} });
  alliance = await createTestOrg(app, 'alliance', { tag: 'cof-alliance' });
  otherAlliance = await createTestOrg(app, 'alliance', { tag: 'cof-alliance2' });
  hospital = await createTestOrg(app, 'hospital', { tag: 'cof-hosp' });
  pharmacy = await createTestOrg(app, 'pharmacy', { tag: 'cof-phar' });
  outsider = await createTestOrg(app, 'hospital', { tag: 'cof-outsider' });
  s1 = await createTestOrg(app, 'supplier', { tag: 'cof-s1' });
  s2 = await createTestOrg(app, 'supplier', { tag: 'cof-s2' });
  await enrolMember(otherAlliance, outsider);
  ({ id: tenderId, l1: lot1 } = await awardedTender());
  const contracts = (await hospital.api.tenders.get({ id: tenderId })).contracts;
  c1 = contracts.find((c) => c.lotId === lot1 && c.supplierOrgId === s1.id)!.id;
  c2 = contracts.find((c) => c.lotId === lot1 && c.supplierOrgId === s2.id)!.id;
  expect((await hospital.api.tenders.chooseWinner({ contractId: c1 })).agreedG).toBe(1_800_000);
  goodLot = await ownLot(s1, 'decoction_piece', 2_000_000);
  rawLot = await ownLot(s1, 'raw', 2_000_000);
  smallLot = await ownLot(s1, 'decoction_piece', 1_000);
}, 240_000);

afterAll(async () => {
  setTenderClock(null);
  await server?.close();
  await app?.close();
});

describe('call-offs are orders between the member and the winner, at the contract price', () => {
  let paidId = '';

  it('creates an order at the contract price, with VAT, marked as a call-off of the tender', async () => {
    const placed = await hospital.api.tenders.placeCallOff({ contractId: c1, grams: 400_000, idempotencyKey: key() });
    const totalFen = (P1 * 400_000) / 1000;
    expect(placed).toMatchObject({ contractId: c1, lotId: lot1, grams: 400_000, fenPerKg: P1, totalFen, orderStatus: 'pending_payment', paymentMethod: 'card', replayed: false });
    paidId = placed.orderId;
    const detail = await hospital.api.orders.order({ id: placed.orderId });
    expect(detail).toMatchObject({ side: 'buyer', source: 'call_off', callOffId: placed.id, buyerOrgId: hospital.id, sellerOrgId: s1.id, status: 'pending_payment', totalFen, subtotalFen: totalFen, taxFen: includedTaxFen(totalFen, 1300) });
    expect(detail.callOff).toMatchObject({ callOffId: placed.id, tenderId, tenderLotId: lot1, lotNo: 1, herbName: '黄芪', contractId: c1 });
    expect(detail.lines).toMatchObject([{ grams: 400_000, priceFenPerKg: P1, lineTotalFen: totalFen, listingId: null, lotId: null, reservationId: null, taxRateBp: 1300 }]);
    expect(detail.lotChoices).toBeNull();
    // The checkout page pays it; the supplier sees it among its orders.
    const checkout = await hospital.api.orders.checkoutPayment({ checkoutKey: placed.checkoutKey });
    expect(checkout.orders.map((o) => [o.id, o.status, o.totalFen])).toEqual([[placed.orderId, 'pending_payment', totalFen]]);
    expect((await s1.api.orders.myOrders({ side: 'seller' })).find((o) => o.id === placed.orderId)).toMatchObject({ source: 'call_off', counterpartyName: expect.any(String) });
    expect((await errorOf(() => s2.api.orders.order({ id: placed.orderId }))).data.code).toBe('NOT_FOUND');
    const [audit] = await app.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, tenderId), eq(auditLog.action, 'tender.call_off_placed')));
    expect(audit?.data).toMatchObject({ orderId: placed.orderId, grams: 400_000 });
    // Completion shows it ordered at once (derived from the order), nothing delivered.
    expect(await hospitalRow()).toMatchObject({ agreedG: 1_800_000, orderedG: 400_000, deliveredG: 0 });
  });

  it('is paid on the checkout page, accepted with a lot (stock reserved), shipped (captured) and delivered', async () => {
    const placed = (await hospital.api.tenders.completion({ tenderId })).callOffs.find((c) => c.orderId === paidId)!;
    await hospital.api.orders.pay({ checkoutKey: placed.checkoutKey });
    await drain();
    expect(await hospital.api.orders.order({ id: paidId })).toMatchObject({ status: 'paid', paymentStatus: 'authorized', authorizedFen: placed.totalFen });

    const sellerView = await s1.api.orders.order({ id: paidId });
    expect(sellerView.lotChoices?.map((l) => l.lotId)).toEqual([goodLot]);
    expect(await errorOf(() => s1.api.orders.accept({ id: paidId }))).toMatchObject({ data: { field: 'lotId', code: 'BAD_REQUEST' } });
    expect(await errorOf(() => s1.api.orders.accept({ id: paidId, lotId: rawLot }))).toMatchObject({ data: { field: 'lotId' } });
    const short = await errorOf(() => s1.api.orders.accept({ id: paidId, lotId: smallLot }));
    expect(short.data).toMatchObject({ field: 'lotId', code: 'CONFLICT' });
    expect(await errorOf(() => s2.api.orders.accept({ id: paidId, lotId: goodLot }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    // Nothing half-written by the refusals.
    expect((await s1.api.orders.order({ id: paidId })).status).toBe('paid');
    expect(await lotReserved(smallLot)).toBe(0);

    expect(await s1.api.orders.accept({ id: paidId, lotId: goodLot })).toMatchObject({ status: 'accepted' });
    expect(await lotReserved(goodLot)).toBe(400_000);
    const accepted = await s1.api.orders.order({ id: paidId });
    expect(accepted.lines[0]).toMatchObject({ lotId: goodLot, reservationKey: `${paidId}:1` });
    const [reservation] = await app.handle.db.select().from(stockReservation).where(eq(stockReservation.id, accepted.lines[0]!.reservationId!));
    expect(reservation).toMatchObject({ listingId: null, lotId: goodLot, buyerOrgId: hospital.id, grams: 400_000, unitPriceFenPerKg: P1, status: 'held' });

    await s1.api.orders.ship({ id: paidId });
    await drain();
    expect(await hospital.api.orders.order({ id: paidId })).toMatchObject({ status: 'shipped', paymentStatus: 'captured', capturedFen: placed.totalFen });
    expect(await hospitalRow()).toMatchObject({ orderedG: 400_000, deliveredG: 0 });
    expect(await hospital.api.orders.confirmDelivery({ id: paidId })).toMatchObject({ status: 'completed' });

    expect(await hospitalRow()).toMatchObject({ orderedG: 400_000, deliveredG: 400_000 });
    const officer = await alliance.api.tenders.completion({ tenderId });
    expect(officer.byLot.find((b) => b.key === lot1)).toMatchObject({ orderedG: 400_000, deliveredG: 400_000 });
    expect(officer.callOffs.find((c) => c.orderId === paidId)).toMatchObject({ orderStatus: 'completed', orderedG: 400_000, deliveredG: 400_000 });
    const supplier = await s1.api.tenders.completion({ tenderId });
    expect(supplier.callOffs.map((c) => c.orderId)).toContain(paidId);
    expect((await s2.api.tenders.completion({ tenderId })).callOffs).toEqual([]);
    // What the member received shows as last year's usage beside its next demand report.
    expect((await hospital.api.tenders.get({ id: tenderId })).lastYearUsage.find((u) => u.lotId === lot1)?.grams).toBe(400_000);
  });

  it('refuses a call-off above the allocation left, naming the field, and writes nothing', async () => {
    const [callOffs, orders] = [await rowCount(callOff), await rowCount(order)];
    const above = await errorOf(() => hospital.api.tenders.placeCallOff({ contractId: c1, grams: 1_400_001, idempotencyKey: key() }));
    expect(above.data).toMatchObject({ field: 'grams', code: 'BAD_REQUEST' });
    expect(above.message).toContain('剩余 1,400 公斤');
    const fraction = await errorOf(() => hospital.api.tenders.placeCallOff({ contractId: c1, grams: 100.5, idempotencyKey: key() }));
    expect(fraction.data.field).toBe('grams');
    const notChosen = await errorOf(() => hospital.api.tenders.placeCallOff({ contractId: c2, grams: 1_000, idempotencyKey: key() }));
    expect(notChosen.data.field).toBe('contractId');
    expect([await rowCount(callOff), await rowCount(order)]).toEqual([callOffs, orders]);
  });

  it("refuses another organisation's contract (not a member, another alliance's member, a supplier)", async () => {
    const [callOffs, orders] = [await rowCount(callOff), await rowCount(order)];
    for (const party of [outsider, s2, otherAlliance]) {
      const e = await errorOf(() => party.api.tenders.placeCallOff({ contractId: c1, grams: 1_000, idempotencyKey: key() }));
      expect(e.data).toMatchObject({ field: 'contractId' });
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(e.data.code);
    }
    // A member that has not chosen this winner has no allocation on it.
    const noAllocation = await errorOf(() => pharmacy.api.tenders.placeCallOff({ contractId: c1, grams: 1_000, idempotencyKey: key() }));
    expect(noAllocation.data).toMatchObject({ field: 'contractId', code: 'PRECONDITION_FAILED' });
    expect([await rowCount(callOff), await rowCount(order)]).toEqual([callOffs, orders]);
  });

  it('refuses an organisation the alliance invited that has not accepted (pending) or declined: no winner choice, no call-off, no dashboard', async () => {
    const [callOffs, orders] = [await rowCount(callOff), await rowCount(order)];
    const invitee = await createTestOrg(app, 'hospital', { tag: 'cof-invitee' });
    const decliner = await createTestOrg(app, 'pharmacy', { tag: 'cof-decliner' });
    await alliance.api.tenders.addMember({ memberOrgId: invitee.id });
    const toDecliner = await alliance.api.tenders.addMember({ memberOrgId: decliner.id });
    await decliner.api.tenders.declineInvitation({ id: toDecliner.id });
    for (const party of [invitee, decliner]) {
      const choose = await errorOf(() => party.api.tenders.chooseWinner({ contractId: c1 }));
      expect(choose.data).toMatchObject({ code: 'NOT_FOUND', field: 'contractId' });
      const place = await errorOf(() => party.api.tenders.placeCallOff({ contractId: c1, grams: 1_000, idempotencyKey: key() }));
      expect(place.data).toMatchObject({ code: 'NOT_FOUND', field: 'contractId' });
      expect((await errorOf(() => party.api.tenders.completion({ tenderId }))).data.code).toBe('NOT_FOUND');
      expect((await errorOf(() => party.api.tenders.get({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    }
    expect([await rowCount(callOff), await rowCount(order)]).toEqual([callOffs, orders]);
  });

  it('answers a double submit with the first call-off and order; concurrent submits never exceed the allocation', async () => {
    const k = key();
    const [a, b] = await Promise.all([hospital.api.tenders.placeCallOff({ contractId: c1, grams: 100_000, idempotencyKey: k }), hospital.api.tenders.placeCallOff({ contractId: c1, grams: 100_000, idempotencyKey: k })]);
    expect(a.orderId).toBe(b.orderId);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const again = await hospital.api.tenders.placeCallOff({ contractId: c1, grams: 100_000, idempotencyKey: k });
    expect(again).toMatchObject({ id: a.id, orderId: a.orderId, replayed: true });
    const [same] = await app.handle.db.select({ n: count() }).from(order).where(eq(order.callOffId, a.id));
    expect(Number(same?.n)).toBe(1);
    const mismatch = await errorOf(() => hospital.api.tenders.placeCallOff({ contractId: c1, grams: 100_001, idempotencyKey: k }));
    expect(mismatch.data).toMatchObject({ field: 'idempotencyKey', code: 'CONFLICT' });

    // 1,300,000 g left: two concurrent call-offs of 1,000,000 g each — exactly one gets through.
    expect(await hospitalRow()).toMatchObject({ orderedG: 500_000 });
    const attempt = async () => {
      try {
        return { placed: await hospital.api.tenders.placeCallOff({ contractId: c1, grams: 1_000_000, idempotencyKey: key() }) };
      } catch (error) {
        return { refused: await errorOf(() => Promise.reject(error)) };
      }
    };
    const results = await Promise.all([attempt(), attempt()]);
    expect(results.filter((r) => r.placed)).toHaveLength(1);
    expect(results.find((r) => r.refused)?.refused?.data.field).toBe('grams');
    expect(await hospitalRow()).toMatchObject({ orderedG: 1_500_000 });
  });

  it('frees the volume when the order is cancelled or its payment window lapses, releasing any allocated stock', async () => {
    const view = await hospital.api.tenders.completion({ tenderId });
    const big = view.callOffs.find((c) => c.grams === 1_000_000 && c.orderStatus === 'pending_payment')!;
    await hospital.api.orders.cancel({ id: big.orderId, reason: '计划调整' });
    expect(await hospitalRow()).toMatchObject({ orderedG: 500_000 });
    expect((await hospital.api.tenders.completion({ tenderId })).callOffs.find((c) => c.orderId === big.orderId)).toMatchObject({ orderStatus: 'cancelled', orderedG: 0 });

    // A lapsed payment (the expiry job) frees it too.
    const lapsing = await hospital.api.tenders.placeCallOff({ contractId: c1, grams: 300_000, idempotencyKey: key() });
    expect(await hospitalRow()).toMatchObject({ orderedG: 800_000 });
    await expireUnpaidOrder(app.handle.db, lapsing.orderId);
    expect(await hospitalRow()).toMatchObject({ orderedG: 500_000 });

    // On net terms the order is paid at once; cancelled after acceptance, its lot stock comes back.
    await s1.api.orders.setCreditLine({ buyerOrgId: hospital.id, limitFen: 50_000_000, termDays: 30 });
    const onTerms = await hospital.api.tenders.placeCallOff({ contractId: c1, grams: 200_000, idempotencyKey: key(), paymentMethod: 'net_terms' });
    expect(onTerms.orderStatus).toBe('paid');
    const before = await lotReserved(goodLot);
    await s1.api.orders.accept({ id: onTerms.orderId, lotId: goodLot });
    expect(await lotReserved(goodLot)).toBe(before + 200_000);
    expect(await hospitalRow()).toMatchObject({ orderedG: 700_000 });
    await hospital.api.orders.cancel({ id: onTerms.orderId });
    expect(await lotReserved(goodLot)).toBe(before);
    expect(await hospitalRow()).toMatchObject({ orderedG: 500_000, deliveredG: 400_000 });

    // The freed grams can be called off again: 1,800,000 − 500,000 left.
    const rest = await hospital.api.tenders.placeCallOff({ contractId: c1, grams: 1_300_000, idempotencyKey: key() });
    expect(rest.orderStatus).toBe('pending_payment');
    expect(await hospitalRow()).toMatchObject({ orderedG: 1_800_000 });
    expect((await errorOf(() => hospital.api.tenders.placeCallOff({ contractId: c1, grams: 1, idempotencyKey: key() }))).data.field).toBe('grams');

    expect(failures.filter((f) => f.job.startsWith('orders.'))).toEqual([]);
    expect((await payments.retrieve((await hospital.api.orders.order({ id: paidId })).paymentIntentId!)).status).toBe('succeeded');
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });
});
