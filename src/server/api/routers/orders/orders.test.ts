import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lot, order, orderEvent, paymentSandboxEvent, stockReservation } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { ordersJobsWith } from '../../../domains/orders/orders.jobs.ts';
import { ordersPaymentSink } from '../../../domains/orders/orders.payments.ts';
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
    expect(result.orders[0]).toMatchObject({ status: 'pending_payment', totalFen: 78_000, sellerOrgId: seller.id });
    expect((await buyer.api.orders.cart()).itemCount).toBe(0);
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 12_000 });

    await drain();
    let detail = await buyer.api.orders.order({ id });
    expect(detail).toMatchObject({ status: 'paid', paymentStatus: 'authorized', authorizedFen: 78_000, capturedFen: 0, side: 'buyer' });
    expect(detail.paymentIntentId).toMatch(/^pi_/);
    expect(detail.lines).toMatchObject([{ grams: 12_000, priceFenPerKg: 6500, lineTotalFen: 78_000, lotId }]);

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

  it('a declined card fails the order and releases its stock', async () => {
    const { lotId, listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 3000 });
    const { orders } = await buyer.api.orders.checkout({ idempotencyKey: key(), paymentMethod: 'pm_card_chargeDeclined' });
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 3000 });
    await drain();
    const detail = await buyer.api.orders.order({ id: orders[0]!.id });
    expect(detail).toMatchObject({ status: 'payment_failed', paymentStatus: 'declined' });
    expect(await lotStock(lotId)).toMatchObject({ reservedG: 0 });
    expect(await errorOf(() => seller.api.orders.accept({ id: detail.id }))).toMatchObject({ data: { appCode: 'INVALID_TRANSITION' } });
  }, 60_000);

  it('seller rejects with a reason: stock released, authorisation cancelled', async () => {
    const { lotId, listingId } = await listingOf(seller);
    await buyer.api.orders.addToCart({ listingId, grams: 2000 });
    const { orders } = await buyer.api.orders.checkout({ idempotencyKey: key() });
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
    const { orders } = await buyer.api.orders.checkout({ idempotencyKey: key() });
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
    expect(error.message).toContain('2000');
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
    expect((await buyer.api.orders.checkout({ idempotencyKey: k })).orders).toHaveLength(1);
    await drain();
  }, 60_000);

  it('validates cart quantities and names the field', async () => {
    const { listingId } = await listingOf(seller, 20_000);
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 0 }))).toMatchObject({ data: { field: 'grams' } });
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 1.5 }))).toMatchObject({ data: { field: 'grams' } });
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 999 }))).toMatchObject({ data: { field: 'grams' } });
    expect(await errorOf(() => buyer.api.orders.addToCart({ listingId, grams: 20_001 }))).toMatchObject({ data: { field: 'grams' } });
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
    const { orders } = await buyer.api.orders.checkout({ idempotencyKey: key() });
    const id = orders[0]!.id;
    await drain();
    for (const attempt of [
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
