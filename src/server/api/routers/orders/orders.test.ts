import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lot, order, orderEvent, paymentSandboxEvent, stockReservation } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { ordersJobsWith } from '../../../domains/orders/orders.jobs.ts';
import { ordersPaymentSink } from '../../../domains/orders/orders.payments.ts';
import { expireUnpaidOrder } from '../../../domains/orders/payment-page.service.ts';
import { markInvoiceOverdue } from '../../../domains/orders/credit.service.ts';
import { usccCheckChar } from '../../../domains/orgs/identity.core.ts';
import { decideKyb } from '../../../domains/orgs/orgs.service.ts';
import type { Payments } from '../../../integrations/payments/payments.port.ts';
import { deliverSandboxEvent, sandboxDeliveryJobWith } from '../../../integrations/payments/sandbox/sandbox.jobs.ts';
import { createStripePayments } from '../../../integrations/payments/stripe.adapter.ts';
import { startSandboxServer, TEST_WEBHOOK_SECRET, type SandboxServer } from '../../../integrations/payments/testing/sandbox-server.ts';
import { composeSinks, createRecordingSink, handlePaymentWebhook } from '../../../integrations/payments/webhook.ts';
import { createJobRegistry } from '../../../jobs/define.ts';
import { createJobRunner, type JobFailure, type JobRunner } from '../../../jobs/runner.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';

// The whole slice over real pieces: tRPC procedures with better-auth sessions, the database (PGlite, or
// PostgreSQL with DATABASE_URL), the outbox runner, and the official stripe SDK over real HTTP to the
// payments sandbox, whose signed webhooks come back through the webhook handler into the orders sink.
let app: TestApp;
let server: SandboxServer;
let payments: Payments;
let runner: JobRunner;
const failures: JobFailure[] = [];
let n = 0;

async function drain() {
  for (let i = 0; i < 20; i += 1) if ((await runner.drainOnce!()) === 0) return;
}

async function orgOf(kind: 'supplier' | 'pharmacy' | 'hospital') {
  n += 1;
  const tag = `${n}-${randomBytes(3).toString('hex')}`;
  const owner = await app.signUp(`ord-${tag}@example.cn`);
  const api0 = await app.caller(owner.headers);
  const stem = `91330106MA${randomBytes(4).toString('hex').toUpperCase().replace(/[IOSVZ]/g, 'A').slice(0, 7)}`;
  const { id } = await api0.orgs.create({ name: `订单${kind} ${tag}`, kind, uscc: stem + usccCheckChar(stem), regionCode: '330106', address: '杭州', lat: 30.27, lng: 120.15 });
  const op = await app.signUp(`ord-op-${tag}@example.cn`);
  const opOrg = await app.makeOperator(op.userId);
  await decideKyb(app.handle.db, { userId: op.userId, orgId: opOrg }, { orgId: id, decision: 'approved' });
  const api = await app.caller(owner.headers);
  const type = kind === 'supplier' ? 'drug_manufacturing' : kind === 'hospital' ? 'medical_institution' : 'drug_distribution';
  await api.orgs.addLicence({ type, number: `LIC-${tag}`, scope: '中药饮片', validFrom: '2024-01-01', expiresOn: '2035-01-01' });
  return { id, api, headers: owner.headers };
}
type Party = Awaited<ReturnType<typeof orgOf>>;

async function listingOf(seller: Party, quantityG = 100_000) {
  const product = await seller.api.catalog.createProduct({ herbId: herbIdFor('黄芪'), form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected', origin: '甘肃陇西', daoDi: true });
  const created = await seller.api.catalog.createLot({ batchNo: `HQ-${randomBytes(3).toString('hex')}`, quantityG, productionDate: '2025-10-01', expiryDate: '2027-09-30', productId: product.id });
  const listing = await seller.api.catalog.createListing({
    lotId: created.id,
    priceFenPerKg: 6800,
    tiers: [{ minG: 10_000, priceFenPerKg: 6500 }],
    minOrderG: 1000,
    deliveryRegions: ['330106'],
    leadTimeDays: 3,
  });
  await seller.api.catalog.setListingStatus({ id: listing.id, status: 'active' });
  return { lotId: created.id, listingId: listing.id };
}

async function lotStock(lotId: string) {
  const [row] = await app.handle.db.select({ quantityG: lot.quantityG, reservedG: lot.reservedG }).from(lot).where(eq(lot.id, lotId));
  return row;
}
async function eventsCount(orderId: string) {
  return (await app.handle.db.select().from(orderEvent).where(eq(orderEvent.orderId, orderId))).length;
}
const key = () => `chk-${randomBytes(6).toString('hex')}`;

/** Checkout and pay on the checkout page (card by default), as the buyer does. */
async function checkoutAndPay(party: Party, options: { outcome?: 'confirm' | 'decline'; paymentMethod?: 'card' | 'alipay' | 'wechat_pay' } = {}) {
  const result = await party.api.orders.checkout({ idempotencyKey: key(), paymentMethod: options.paymentMethod ?? 'card' });
  await party.api.orders.pay({ checkoutKey: result.checkoutKey!, outcome: options.outcome ?? 'confirm' });
  return result;
}

let seller: Party;
let buyer: Party;
let other: Party;

beforeAll(async () => {
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
  seller = await orgOf('supplier');
  buyer = await orgOf('hospital');
  other = await orgOf('pharmacy');
}, 180_000);
afterAll(async () => {
  await server.close();
  await app.close();
});

describe('orders: cart → checkout → payment → workbench → delivery', () => {
  it('runs the happy path with authorisation, capture at shipment and completion', async () => {
    const { lotId, listingId } = await listingOf(seller);
    const line = await buyer.api.orders.addToCart({ listingId, grams: 5000 });
    await buyer.api.orders.addToCart({ listingId, grams: 7000 }); // adds up to 12 kg → 10 kg tier
    const cart = await buyer.api.orders.cart();
    expect(cart.sellers).toHaveLength(1);
    expect(cart.sellers[0]!.lines[0]).toMatchObject({ id: line.id, grams: 12_000, unitPriceFenPerKg: 6500, lineTotalFen: 78_000 });
    expect(cart.totalFen).toBe(78_000);

    const result = await buyer.api.orders.checkout({ idempotencyKey: key() });
    expect(result.replayed).toBe(false);
    expect(result.orders).toHaveLength(1);
    const id = result.orders[0]!.id;
    expect(id).toMatch(/^ord_/);
    // Decoction pieces carry 13 % VAT, included in the price: 78,000 × 13/113 = 8,973.45 → 8,973 fen.
    expect(result.orders[0]).toMatchObject({ status: 'pending_payment', totalFen: 78_000, taxFen: 8973, sellerOrgId: seller.id });
    expect((await buyer.api.orders.cart()).itemCount).toBe(0);
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 12_000 });

    // Nothing is charged until the buyer pays on the checkout page; a double click sends one attempt.
    await drain();
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'pending_payment', paymentAttempt: 0, paymentIntentId: null });
    const [paid, again] = await Promise.all([buyer.api.orders.pay({ checkoutKey: result.checkoutKey! }), buyer.api.orders.pay({ checkoutKey: result.checkoutKey! })]);
    expect(paid.orders[0]).toMatchObject({ inFlight: true, paymentAttempt: 1 });
    expect(again.orders[0]).toMatchObject({ paymentAttempt: 1 });
    await drain();
    expect(await errorOf(() => buyer.api.orders.pay({ checkoutKey: result.checkoutKey! }))).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'checkoutKey' } });
    let detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'paid', paymentStatus: 'authorized', authorizedFen: 78_000, capturedFen: 0, side: 'buyer', paymentAttempt: 1, taxFen: 8973 });
    expect(detail.paymentIntentId).toMatch(/^pi_/);
    expect(detail.lines).toMatchObject([{ grams: 12_000, priceFenPerKg: 6500, lineTotalFen: 78_000, lotId, taxRateBp: 1300, taxFen: 8973 }]);
    expect(detail.taxLines).toEqual([{ rateBp: 1300, grossFen: 78_000, taxFen: 8973, netFen: 69_027 }]);

    // Wrong parties: a buyer cannot accept or ship, a seller cannot confirm delivery.
    expect(await errorOf(() => buyer.api.orders.accept({ id }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect((await seller.api.orders.myOrders({ side: 'seller', status: 'paid' })).map((o) => o.id)).toContain(id);
    expect(await seller.api.orders.accept({ id })).toMatchObject({ status: 'accepted' });
    expect(await errorOf(() => buyer.api.orders.ship({ id }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => seller.api.orders.accept({ id }))).toMatchObject({ data: { code: 'CONFLICT', appCode: 'INVALID_TRANSITION', field: 'id' } });
    expect(await seller.api.orders.ship({ id })).toMatchObject({ status: 'shipped' });
    expect(await errorOf(() => seller.api.orders.confirmDelivery({ id }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => buyer.api.orders.cancel({ id }))).toMatchObject({ data: { appCode: 'INVALID_TRANSITION' } });

    await drain();
    detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'shipped', paymentStatus: 'captured', capturedFen: 78_000 });
    expect(await buyer.api.orders.confirmDelivery({ id })).toMatchObject({ status: 'completed' });
    detail = await seller.api.orders.order({ id });
    expect(detail.side).toBe('seller');
    expect(detail.timeline.filter((e) => e.from !== e.to).map((e) => e.to)).toEqual(['pending_payment', 'paid', 'accepted', 'shipped', 'delivered', 'completed']);
    expect(detail.timeline.find((e) => e.to === 'accepted')).toMatchObject({ role: 'seller' });
    expect((await payments.retrieve(detail.paymentIntentId!)).status).toBe('succeeded');

    // Refunds: partial, then the rest; never more than captured.
    expect(await errorOf(() => seller.api.orders.refund({ id, idempotencyKey: key(), amountFen: 78_001 }))).toMatchObject({ data: { field: 'amountFen' } });
    expect(await errorOf(() => seller.api.orders.refund({ id, idempotencyKey: key(), amountFen: 12.5 }))).toMatchObject({ data: { field: 'amountFen' } });
    expect(await errorOf(() => buyer.api.orders.refund({ id, idempotencyKey: key() }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    const partialKey = key();
    const partial = await seller.api.orders.refund({ id, idempotencyKey: partialKey, amountFen: 20_000 });
    expect(partial).toMatchObject({ amountFen: 20_000, replayed: false });
    expect(await seller.api.orders.refund({ id, idempotencyKey: partialKey, amountFen: 20_000 })).toMatchObject({ refundId: partial.refundId, replayed: true });
    await drain();
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'partially_refunded', refundedFen: 20_000 });
    expect(await seller.api.orders.refund({ id, idempotencyKey: key() })).toMatchObject({ amountFen: 58_000 });
    await drain();
    detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'refunded', refundedFen: 78_000, capturedFen: 78_000 });
    expect(detail.refunds.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect((await payments.retrieve(detail.paymentIntentId!)).amountRefundedFen).toBe(78_000);
    expect(await errorOf(() => seller.api.orders.refund({ id, idempotencyKey: key() }))).toMatchObject({ data: { appCode: 'INVALID_TRANSITION' } });

    // Replayed webhooks (every event of this payment, delivered again) change nothing.
    const before = await eventsCount(id);
    const events = await app.handle.db.select().from(paymentSandboxEvent).where(eq(paymentSandboxEvent.objectId, detail.paymentIntentId!));
    expect(events.length).toBeGreaterThan(2);
    for (const e of events) {
      await deliverSandboxEvent(app.handle.db, e.id, {
        webhookSecret: TEST_WEBHOOK_SECRET,
        deliver: (raw, sig) => handlePaymentWebhook({ db: app.handle.db, payments, sink: ordersPaymentSink }, raw, sig),
      });
    }
    // and the sink itself, fed a late authorisation and an older refund figure, is a no-op too
    const snapshot = await payments.retrieve(detail.paymentIntentId!);
    await app.handle.db.transaction(async (tx) => {
      await ordersPaymentSink.handle(tx, { id: 'evt_late_1', type: 'payment_intent.amount_capturable_updated', created: new Date(), livemode: false, payment: { ...snapshot, status: 'requires_capture' } });
      await ordersPaymentSink.handle(tx, { id: 'evt_late_2', type: 'charge.refunded', created: new Date(), livemode: false, paymentIntentId: snapshot.paymentIntentId, chargeId: snapshot.chargeId ?? 'ch_x', orderId: id, amountFen: 78_000, amountCapturedFen: 78_000, amountRefundedFen: 20_000, fullyRefunded: false });
    });
    expect(await eventsCount(id)).toBe(before);
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'refunded', refundedFen: 78_000 });
    expect(failures.filter((f) => f.job.startsWith('orders.'))).toEqual([]);
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  }, 120_000);

  it('a declined payment keeps the stock for a retry; the retry is a new attempt and pays', async () => {
    const { lotId, listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 3000 });
    const { orders, checkoutKey } = await checkoutAndPay(buyer, { outcome: 'decline' });
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 3000 });
    await drain();
    const id = orders[0]!.id;
    const declined = await buyer.api.orders.order({ id });
    expect(declined).toMatchObject({ status: 'payment_failed', paymentStatus: 'declined', paymentAttempt: 1 });
    const firstIntent = declined.paymentIntentId!;
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 3000 });
    expect(await errorOf(() => seller.api.orders.accept({ id }))).toMatchObject({ data: { appCode: 'INVALID_TRANSITION' } });

    const retried = await buyer.api.orders.pay({ checkoutKey: checkoutKey! });
    expect(retried.orders[0]).toMatchObject({ status: 'pending_payment', paymentAttempt: 2, inFlight: true });
    await drain();
    const detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'paid', paymentStatus: 'authorized', paymentAttempt: 2 });
    expect(detail.paymentIntentId).not.toBe(firstIntent);
    // Late news of the first, declined attempt changes nothing.
    const stale = await payments.retrieve(firstIntent);
    const before = await eventsCount(id);
    await app.handle.db.transaction((tx) => ordersPaymentSink.handle(tx, { id: 'evt_stale_1', type: 'payment_intent.payment_failed', created: new Date(), livemode: false, payment: stale }));
    expect(await eventsCount(id)).toBe(before);
    expect(detail.timeline.filter((e) => e.from !== e.to).map((e) => e.to)).toEqual(['pending_payment', 'payment_failed', 'pending_payment', 'paid']);
  }, 60_000);

  it('an unpaid order lapses when its payment window closes: cancelled, stock released, no more paying', async () => {
    const { lotId, listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 2000 });
    const { orders, checkoutKey } = await checkoutAndPay(buyer, { outcome: 'decline' });
    await drain();
    const id = orders[0]!.id;
    await expireUnpaidOrder(app.handle.db, id);
    await expireUnpaidOrder(app.handle.db, id); // at-least-once delivery: the second run is a no-op
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'cancelled', closeReason: 'payment_window_closed' });
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 0 });
    expect(await errorOf(() => buyer.api.orders.pay({ checkoutKey: checkoutKey! }))).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'checkoutKey' } });
  }, 60_000);

  it('seller rejects with a reason: stock released, authorisation cancelled', async () => {
    const { lotId, listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 2000 });
    const { orders } = await checkoutAndPay(buyer);
    const id = orders[0]!.id;
    await drain();
    expect(await errorOf(() => seller.api.orders.reject({ id, reason: '' }))).toMatchObject({ data: { field: 'reason' } });
    expect(await seller.api.orders.reject({ id, reason: '批次已被预订' })).toMatchObject({ status: 'rejected' });
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 0 });
    await drain();
    const detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'rejected', closeReason: '批次已被预订', paymentStatus: 'canceled' });
    expect(detail.timeline.find((e) => e.to === 'rejected')).toMatchObject({ reason: '批次已被预订', role: 'seller' });
    expect((await payments.retrieve(detail.paymentIntentId!)).status).toBe('canceled');
  }, 60_000);

  it('buyer cancels a paid order before shipment', async () => {
    const { lotId, listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 2000 });
    const { orders } = await checkoutAndPay(buyer);
    await drain();
    expect(await buyer.api.orders.cancel({ id: orders[0]!.id, reason: '计划变更' })).toMatchObject({ status: 'cancelled' });
    await drain();
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 0 });
    expect(await buyer.api.orders.order({ id: orders[0]!.id })).toMatchObject({ paymentStatus: 'canceled' });
  }, 60_000);

  it('a double-clicked checkout (same key) creates one order per seller, once', async () => {
    const second = await orgOf('supplier');
    const a = await listingOf(seller);
    const b = await listingOf(second);
    await buyer.api.orders.addToCart({ listingId: a.listingId, grams: 1000 });
    await buyer.api.orders.addToCart({ listingId: b.listingId, grams: 1500 });
    const k = key();
    const [first, again] = await Promise.all([buyer.api.orders.checkout({ idempotencyKey: k }), buyer.api.orders.checkout({ idempotencyKey: k })]);
    const third = await buyer.api.orders.checkout({ idempotencyKey: k });
    expect(first.orders).toHaveLength(2);
    const ids = first.orders.map((o) => o.id).sort();
    expect(again.orders.map((o) => o.id).sort()).toEqual(ids);
    expect(third).toMatchObject({ replayed: true });
    expect(third.orders.map((o) => o.id).sort()).toEqual(ids);
    expect((await app.handle.db.select().from(order).where(eq(order.checkoutKey, k))).length).toBe(2);
    expect(await lotStock(a.lotId)).toMatchObject({ reservedG: 1000 });
    expect(await lotStock(b.lotId)).toMatchObject({ reservedG: 1500 });
    expect(new Set(first.orders.map((o) => o.sellerOrgId))).toEqual(new Set([seller.id, second.id]));
    expect(await errorOf(() => buyer.api.orders.checkout({ idempotencyKey: key() }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'cart' } });
    await drain();
  }, 60_000);

  it('a stock conflict at checkout is a clear error and writes nothing', async () => {
    const a = await listingOf(seller, 50_000);
    const b = await listingOf(seller, 5000);
    await buyer.api.orders.addToCart({ listingId: a.listingId, grams: 4000 });
    await buyer.api.orders.addToCart({ listingId: b.listingId, grams: 4000 });
    // Someone else takes most of lot b first.
    await other.api.orders.addToCart({ listingId: b.listingId, grams: 3000 });
    await other.api.orders.checkout({ idempotencyKey: key() });
    const k = key();
    const error = await errorOf(() => buyer.api.orders.checkout({ idempotencyKey: k }));
    expect(error).toMatchObject({ data: { code: 'CONFLICT', field: 'items.1.grams' } });
    // In kilograms, as the buyer typed them: 2 kg left of lot b, 4 kg asked.
    expect(error.message).toContain('当前可售 2 公斤，需要 4 公斤');
    expect(await lotStock(a.lotId)).toMatchObject({ reservedG: 0 });
    expect(await lotStock(b.lotId)).toMatchObject({ reservedG: 3000 });
    expect(await app.handle.db.select().from(order).where(eq(order.checkoutKey, k))).toEqual([]);
    expect((await app.handle.db.select().from(stockReservation).where(eq(stockReservation.buyerOrgId, buyer.id))).every((r) => !r.idempotencyKey.includes(k))).toBe(true);
    expect((await buyer.api.orders.cart()).itemCount).toBe(2);
    // The buyer lowers the quantity and checks out.
    const cart = await buyer.api.orders.cart();
    const bLine = cart.sellers[0]!.lines.find((l) => l.listingId === b.listingId)!;
    expect(await errorOf(() => buyer.api.orders.updateCartItem({ id: bLine.id, grams: 2001 }))).toMatchObject({ data: { field: 'grams' } });
    await buyer.api.orders.updateCartItem({ id: bLine.id, grams: 2000 });
    const placed = (await buyer.api.orders.checkout({ idempotencyKey: k })).orders;
    expect(placed).toHaveLength(1);
    // The order list says what was bought: the first line's product, the number of lines, the total weight.
    const detail = await buyer.api.orders.order({ id: placed[0]!.id });
    expect((await buyer.api.orders.myOrders({ side: 'buyer' })).find((o) => o.id === placed[0]!.id)).toMatchObject({ firstProductName: detail.lines[0]!.productName, lineCount: 2, totalGrams: 6000 });
    expect((await seller.api.orders.myOrders({ side: 'seller' })).find((o) => o.id === placed[0]!.id)).toMatchObject({ lineCount: 2, totalGrams: 6000 });
    await drain();
  }, 60_000);

  it('validates cart quantities and names the field', async () => {
    const { listingId } = await listingOf(seller, 20_000);
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 0 }))).toMatchObject({ data: { field: 'grams' } });
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 1.5 }))).toMatchObject({ data: { field: 'grams' } });
    // The minimum order and the stock are stated in kilograms, as the catalogue shows them.
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 999 }))).toMatchObject({ message: '数量低于最小起订量（1 公斤）。', data: { field: 'grams' } });
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 20_001 }))).toMatchObject({ message: '数量超过可售库存（20 公斤）。', data: { field: 'grams' } });
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 999 }), new Headers({ 'accept-language': 'en' }))).toMatchObject({ message: 'The quantity is below the minimum order (1 kg).' });
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId: 'lst_unknown', grams: 1000 }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'listingId' } });
    expect(await errorOf(() => seller.api.orders.addToCart({ listingId, grams: 1000 }))).toMatchObject({ data: { field: 'listingId' } });
    expect(await errorOf(() => buyer.api.orders.checkout({ idempotencyKey: 'short' }))).toMatchObject({ data: { field: 'idempotencyKey' } });
    const added = await buyer.api.orders.addToCart({ listingId, grams: 1000 });
    expect(await errorOf(() => other.api.orders.removeCartItem({ id: added.id }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    await buyer.api.orders.removeCartItem({ id: added.id });
  }, 60_000);

  it('tenant isolation: another organisation cannot read or act on the order', async () => {
    const { listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 1000 });
    const { orders, checkoutKey } = await checkoutAndPay(buyer);
    const id = orders[0]!.id;
    await drain();
    for (const attempt of [
      () => other.api.orders.pay({ checkoutKey: checkoutKey! }),
      () => other.api.orders.checkoutPayment({ checkoutKey: checkoutKey! }),
    ]) {
      expect(await errorOf(attempt)).toMatchObject({ data: { code: 'NOT_FOUND', field: 'checkoutKey' } });
    }
    for (const attempt of [
      () => other.api.orders.confirmTransfer({ id, reference: 'BANK-0001', amountFen: 6800 }),
      () => other.api.orders.markInvoicePaid({ id, reference: 'BANK-0001' }),
      () => other.api.orders.dispute({ id, reason: '货不对板' }),
      () => other.api.orders.withdrawDispute({ id }),
      () => other.api.orders.order({ id }),
      () => other.api.orders.accept({ id }),
      () => other.api.orders.reject({ id, reason: 'x' }),
      () => other.api.orders.ship({ id }),
      () => other.api.orders.cancel({ id }),
      () => other.api.orders.confirmDelivery({ id }),
      () => other.api.orders.refund({ id, idempotencyKey: key() }),
    ]) {
      expect(await errorOf(attempt)).toMatchObject({ data: { code: 'NOT_FOUND', field: 'id' } });
    }
    expect((await other.api.orders.myOrders({ side: 'buyer' })).map((o) => o.id)).not.toContain(id);
    expect((await other.api.orders.myOrders({ side: 'seller' })).map((o) => o.id)).not.toContain(id);
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'paid' });
  }, 60_000);
});

describe('payment methods: wallets, bank transfer, net terms; disputes', () => {
  it('Alipay and WeChat Pay are charged when the buyer pays; a cancellation before shipment refunds in full', async () => {
    for (const paymentMethod of ['alipay', 'wechat_pay'] as const) {
      const { lotId, listingId } = await listingOf(seller);
      await buyer.api.orders.addToCart({ listingId, grams: 2000 });
      const { orders } = await checkoutAndPay(buyer, { paymentMethod });
      await drain();
      const id = orders[0]!.id;
      const paid = await buyer.api.orders.order({ id });
      expect(paid).toMatchObject({ status: 'paid', paymentMethod, paymentStatus: 'captured', capturedFen: 13_600 });
      expect((await payments.retrieve(paid.paymentIntentId!)).status).toBe('succeeded');
      expect(await buyer.api.orders.cancel({ id, reason: '改用其他批次' })).toMatchObject({ status: 'cancelled' });
      await drain();
      const cancelled = await buyer.api.orders.order({ id });
      expect(cancelled).toMatchObject({ status: 'cancelled', refundedFen: 13_600 });
      expect(cancelled.refunds).toMatchObject([{ amountFen: 13_600, status: 'succeeded' }]);
      expect((await payments.retrieve(paid.paymentIntentId!)).amountRefundedFen).toBe(13_600);
      expect(await lotStock(lotId)).toMatchObject({ reservedG: 0 });
    }
  }, 90_000);

  it('an order above what one online payment may be is refused for card and wallets at checkout, and goes through by bank transfer', async () => {
    const { listingId, lotId } = await listingOf(seller, 20_000_000);
    // 15.4 t at the 10 kg tier (¥65.00/kg): ¥1,001,000.00.
    await buyer.api.orders.addToCart({ listingId, grams: 15_400_000 });
    for (const paymentMethod of ['card', 'alipay', 'wechat_pay'] as const) {
      expect(await errorOf(() => buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod }))).toMatchObject({
        data: { code: 'BAD_REQUEST', field: 'paymentMethod' },
        message: '在线支付（银行卡、支付宝、微信支付）单笔不能超过 ¥999,999.99，本单 ¥1,001,000.00：请选择对公转账或账期，或分成几笔订单。',
      });
    }
    // Nothing half-written: no stock held, the cart kept.
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 0 });
    const { orders } = await buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod: 'bank_transfer' });
    expect(orders).toEqual([expect.objectContaining({ status: 'pending_payment', totalFen: 100_100_000 })]);
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 15_400_000 });
    await buyer.api.orders.cancel({ id: orders[0]!.id });
    await drain();
  });

  it('bank transfer: the seller reconciles the exact amount once; then ship, deliver, dispute, withdraw, refund offline', async () => {
    const { listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 10_000 });
    const { orders, checkoutKey } = await buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod: 'bank_transfer' });
    const id = orders[0]!.id;
    await drain();
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'pending_payment', paymentStatus: 'awaiting_transfer' });
    expect(await errorOf(() => buyer.api.orders.pay({ checkoutKey: checkoutKey! }))).toMatchObject({ data: { code: 'PRECONDITION_FAILED' } });
    expect(await errorOf(() => buyer.api.orders.confirmTransfer({ id, reference: 'BANK-20261123-01', amountFen: 65_000 }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => seller.api.orders.confirmTransfer({ id, reference: 'BANK-20261123-01', amountFen: 64_999 }))).toMatchObject({
      data: { code: 'BAD_REQUEST', field: 'amountFen' },
      message: '到账金额 ¥649.99 与订单应付金额 ¥650.00 不符；请核对后再确认，或联系买方。',
    });
    expect(await errorOf(() => seller.api.orders.confirmTransfer({ id, reference: 'BANK-20261123-01', amountFen: 650.5 }))).toMatchObject({ data: { field: 'amountFen' } });
    expect(await errorOf(() => seller.api.orders.confirmTransfer({ id, reference: 'x', amountFen: 65_000 }))).toMatchObject({ data: { field: 'reference' } });
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'pending_payment' });
    expect(await seller.api.orders.confirmTransfer({ id, reference: 'BANK-20261123-01', amountFen: 65_000 })).toMatchObject({ status: 'paid', replayed: false });
    expect(await seller.api.orders.confirmTransfer({ id, reference: 'BANK-20261123-01', amountFen: 65_000 })).toMatchObject({ status: 'paid', replayed: true });
    expect(await errorOf(() => seller.api.orders.confirmTransfer({ id, reference: 'BANK-OTHER-02', amountFen: 65_000 }))).toMatchObject({ data: { code: 'CONFLICT', field: 'reference' } });
    await seller.api.orders.accept({ id });
    await seller.api.orders.ship({ id });
    await drain();
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'shipped', paymentStatus: 'captured', capturedFen: 65_000, invoice: null });
    expect(await errorOf(() => buyer.api.orders.dispute({ id, reason: '' }))).toMatchObject({ data: { field: 'reason' } });
    expect(await errorOf(() => seller.api.orders.dispute({ id, reason: '卖方不能发起' }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await buyer.api.orders.dispute({ id, reason: '水分偏高，与质检报告不符' })).toMatchObject({ status: 'disputed' });
    expect(await buyer.api.orders.withdrawDispute({ id })).toMatchObject({ status: 'completed' });
    expect(await errorOf(() => buyer.api.orders.dispute({ id, reason: '再次争议' }))).toMatchObject({ data: { appCode: 'INVALID_TRANSITION' } });
    // Offline refund: recorded as settled at once, no payments call.
    expect(await seller.api.orders.refund({ id, idempotencyKey: key(), amountFen: 5000 })).toMatchObject({ status: 'succeeded' });
    const detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'partially_refunded', refundedFen: 5000, paymentIntentId: null });
    expect(detail.timeline.filter((e) => e.from !== e.to).map((e) => e.to)).toEqual(['pending_payment', 'paid', 'accepted', 'shipped', 'disputed', 'delivered', 'completed', 'partially_refunded']);
  }, 90_000);

  it('ships with a carrier: the shipment is created in the same step, a taken tracking number rolls the step back', async () => {
    const ship = async () => {
      const { listingId } = await listingOf(seller);
      await buyer.api.orders.addToCart({ listingId, grams: 2000 });
      const { orders } = await checkoutAndPay(buyer);
      const id = orders[0]!.id;
      await drain();
      await seller.api.orders.accept({ id });
      return id;
    };
    const first = await ship();
    const trackingNumber = `SF${randomBytes(5).toString('hex').replace(/[a-f]/g, '7').slice(0, 10)}77`;
    expect(await seller.api.orders.ship({ id: first, shipment: { carrier: 'sf', trackingNumber, parcels: 2, weightG: 2100 } })).toMatchObject({ status: 'shipped' });
    const { items } = await buyer.api.shipments.list({ side: 'received', orderId: first });
    expect(items).toEqual([expect.objectContaining({ trackingNumber, parcels: 2, weightG: 2100, state: 'created', sender: expect.objectContaining({ id: seller.id }), receiver: expect.objectContaining({ id: buyer.id }) })]);
    // The same waybill on another order: refused naming the field, and that order is not shipped.
    const second = await ship();
    expect(await errorOf(() => seller.api.orders.ship({ id: second, shipment: { carrier: 'sf', trackingNumber, parcels: 1, weightG: 2000 } }))).toMatchObject({ data: { code: 'CONFLICT', field: 'trackingNumber' } });
    expect(await buyer.api.orders.order({ id: second })).toMatchObject({ status: 'accepted' });
    expect((await buyer.api.shipments.list({ side: 'received', orderId: second })).items).toEqual([]);
    // Bad shipment details are named too.
    expect(await errorOf(() => seller.api.orders.ship({ id: second, shipment: { carrier: 'sf', trackingNumber: 'SF0000000001', parcels: 1, weightG: -5 } }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'shipment.weightG' } });
    expect(await errorOf(() => seller.api.orders.ship({ id: second, shipment: { carrier: 'dhl' as 'sf', parcels: 1, weightG: 10 } }))).toMatchObject({ data: { field: 'shipment.carrier' } });
    // The simulated carrier is the demo's only (these tests do not run in demo mode).
    expect(await errorOf(() => seller.api.orders.ship({ id: second, shipment: { carrier: 'sim', parcels: 1, weightG: 2000 } }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'shipment.carrier' } });
    expect(await buyer.api.orders.order({ id: second })).toMatchObject({ status: 'accepted' });
  }, 90_000);

  it('a dispute is settled by a refund', async () => {
    const { listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 1000 });
    const { orders } = await checkoutAndPay(buyer);
    const id = orders[0]!.id;
    await drain();
    await seller.api.orders.accept({ id });
    await seller.api.orders.ship({ id });
    await drain();
    await buyer.api.orders.dispute({ id, reason: '少发 200 克' });
    await seller.api.orders.refund({ id, idempotencyKey: key(), amountFen: 1360 });
    await drain();
    expect(await buyer.api.orders.order({ id })).toMatchObject({ status: 'partially_refunded', refundedFen: 1360 });
  }, 60_000);

  it('net terms: credit line, limit and overdue checks at checkout, invoice at shipment, settled by the seller', async () => {
    const termsSeller = await orgOf('supplier');
    const { lotId, listingId } = await listingOf(termsSeller);
    await buyer.api.orders.addToCart({ listingId, grams: 10_000 }); // 65,000 fen
    const noLine = await errorOf(() => buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod: 'net_terms' }));
    expect(noLine).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'paymentMethod' } });
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 0 });
    expect((await buyer.api.orders.cart()).itemCount).toBe(1);

    // Granting terms: validated, only to approved hospitals and pharmacies, never to oneself.
    expect(await errorOf(() => termsSeller.api.orders.setCreditLine({ buyerOrgId: buyer.id, limitFen: 100_000, termDays: 0 }))).toMatchObject({ data: { field: 'termDays' } });
    expect(await errorOf(() => termsSeller.api.orders.setCreditLine({ buyerOrgId: buyer.id, limitFen: -1, termDays: 30 }))).toMatchObject({ data: { field: 'limitFen' } });
    expect(await errorOf(() => termsSeller.api.orders.setCreditLine({ buyerOrgId: buyer.id, limitFen: 1.5, termDays: 30 }))).toMatchObject({ data: { field: 'limitFen' } });
    expect(await errorOf(() => termsSeller.api.orders.setCreditLine({ buyerOrgId: termsSeller.id, limitFen: 100_000, termDays: 30 }))).toMatchObject({ data: { field: 'buyerOrgId' } });
    expect(await errorOf(() => termsSeller.api.orders.setCreditLine({ buyerOrgId: seller.id, limitFen: 100_000, termDays: 30 }))).toMatchObject({ data: { field: 'buyerOrgId' } });
    expect(await errorOf(() => buyer.api.orders.setCreditLine({ buyerOrgId: other.id, limitFen: 100_000, termDays: 30 }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    await termsSeller.api.orders.setCreditLine({ buyerOrgId: buyer.id, limitFen: 100_000, termDays: 30 });
    expect((await termsSeller.api.orders.sellerCredit()).lines).toMatchObject([{ buyerOrgId: buyer.id, limitFen: 100_000, termDays: 30, outstandingFen: 0, availableFen: 100_000 }]);

    const { orders } = await buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod: 'net_terms' });
    const id = orders[0]!.id;
    expect(orders[0]).toMatchObject({ status: 'paid', totalFen: 65_000 });
    expect((await buyer.api.orders.myCredit()).find((c) => c.sellerOrgId === termsSeller.id)).toMatchObject({ outstandingFen: 65_000, availableFen: 35_000 });

    // Over the limit: refused, nothing written.
    await buyer.api.orders.addToCart({ listingId, grams: 6000 }); // 40,800 fen > 35,000 available
    const over = await errorOf(() => buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod: 'net_terms' }));
    expect(over).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'paymentMethod' } });
    expect(over.message).toContain('可用 ¥350.00，本单 ¥408.00');
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 10_000 });

    await termsSeller.api.orders.accept({ id });
    const shippedAt = Date.now();
    await termsSeller.api.orders.ship({ id });
    await drain();
    let detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'shipped', paymentStatus: 'on_terms', capturedFen: 0, invoice: { amountFen: 65_000, taxFen: detail.taxFen, status: 'open' } });
    const dueAt = detail.invoice!.dueAt.getTime();
    expect(Math.abs(dueAt - (shippedAt + 30 * 24 * 3600_000))).toBeLessThan(60_000);

    // Not yet due: nothing happens; after the due date: overdue, and terms pause.
    await markInvoiceOverdue(app.handle.db, id, new Date(dueAt - 1000));
    expect((await buyer.api.orders.order({ id })).invoice).toMatchObject({ status: 'open' });
    await markInvoiceOverdue(app.handle.db, id, new Date(dueAt + 1000));
    expect((await buyer.api.orders.order({ id })).invoice).toMatchObject({ status: 'overdue' });
    await buyer.api.orders.updateCartItem({ id: (await buyer.api.orders.cart()).sellers[0]!.lines[0]!.id, grams: 1000 });
    const overdue = await errorOf(() => buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod: 'net_terms' }));
    expect(overdue).toMatchObject({ data: { code: 'PRECONDITION_FAILED', field: 'paymentMethod' } });

    // The buyer confirms delivery; the order completes once the seller records the invoice as paid.
    expect(await buyer.api.orders.confirmDelivery({ id })).toMatchObject({ status: 'delivered' });
    expect(await errorOf(() => buyer.api.orders.markInvoicePaid({ id, reference: 'BANK-INV-0001' }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await termsSeller.api.orders.markInvoicePaid({ id, reference: 'BANK-INV-0001' })).toMatchObject({ status: 'completed', replayed: false });
    expect(await termsSeller.api.orders.markInvoicePaid({ id, reference: 'BANK-INV-0001' })).toMatchObject({ replayed: true });
    detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'completed', capturedFen: 65_000, invoice: { status: 'paid', paymentReference: 'BANK-INV-0001' } });
    expect((await buyer.api.orders.myCredit()).find((c) => c.sellerOrgId === termsSeller.id)).toMatchObject({ outstandingFen: 0, overdueInvoices: 0 });
    expect((await buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod: 'net_terms' })).orders[0]).toMatchObject({ status: 'paid' });
    expect(failures.filter((f) => f.job.startsWith('orders.'))).toEqual([]);
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  }, 120_000);
});
