import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../db/client.ts';
import { auditLog, outboxEvent, paymentSandboxEvent, paymentSandboxIntent, paymentWebhookEvent } from '../../../db/schema/index.ts';
import { createJobRegistry } from '../../../jobs/define.ts';
import { createJobRunner } from '../../../jobs/runner.ts';
import { createTestDb } from '../../../testing/test-db.ts';
import { isPaymentError, type Payments } from '../payments.port.ts';
import { createStripeClient, createStripePayments } from '../stripe.adapter.ts';
import { startSandboxServer, TEST_SANDBOX_SECRET_KEY, TEST_WEBHOOK_SECRET, type SandboxServer } from '../testing/sandbox-server.ts';
import { createRecordingSink, handlePaymentWebhook } from '../webhook.ts';
import { deliverSandboxEvent, sandboxDeliveryJobWith, type SandboxDeliveryDeps } from './sandbox.jobs.ts';
import { eventsFor } from './sandbox.repo.ts';

describe('payments sandbox over HTTP', () => {
  let handle: DbHandle;
  let server: SandboxServer;
  let payments: Payments;
  let stripe: Stripe;

  beforeAll(async () => {
    handle = await createTestDb();
    server = await startSandboxServer({ db: handle.db });
    payments = createStripePayments(server.config, { maxNetworkRetries: 0 });
    stripe = createStripeClient(server.config, { maxNetworkRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await handle?.close();
  });

  const url = (path: string) => `${server.apiBase}${path}`;
  const auth = { authorization: `Bearer ${TEST_SANDBOX_SECRET_KEY}` };
  const formHeaders = { ...auth, 'content-type': 'application/x-www-form-urlencoded' };
  const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(url(path), { method: 'POST', body, headers: { ...formHeaders, ...headers } });
  const authorizeBody = (amount: number, pm = 'pm_card_visa') => `amount=${amount}&currency=cny&capture_method=manual&confirm=true&payment_method=${pm}&metadata[order_id]=ord_http`;

  it('the SDK really speaks HTTP to the mounted sandbox, with an idempotency key on every POST', async () => {
    const before = server.requests.length;
    const auth1 = await payments.authorize({ amountFen: 1_234, currency: 'cny', orderId: 'ord_sdk', idempotencyKey: 'sdk-key-1' });
    await payments.retrieve(auth1.paymentIntentId);
    const seen = server.requests.slice(before);
    expect(seen[0]).toEqual({ method: 'POST', path: '/api/payments-sandbox/v1/payment_intents', idempotencyKey: 'sdk-key-1' });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/payments-sandbox/v1/payment_intents',
      `GET /api/payments-sandbox/v1/payment_intents/${auth1.paymentIntentId}`,
      'GET /api/payments-sandbox/v1/refunds',
    ]);
  });

  it('authentication: 401 without a key or with a wrong one; the SDK reports authentication', async () => {
    const none = await fetch(url('/v1/payment_intents/pi_x'));
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('did not provide an API key') } });
    const wrong = await fetch(url('/v1/payment_intents/pi_x'), { headers: { authorization: 'Bearer sk_test_sandbox_wrong' } });
    expect(wrong.status).toBe(401);
    const basic = await fetch(url('/v1/refunds'), { headers: { authorization: `Basic ${Buffer.from(`${TEST_SANDBOX_SECRET_KEY}:`).toString('base64')}` } });
    expect(basic.status).toBe(200);
    const intruder = createStripePayments({ ...server.config, secretKey: 'sk_test_sandbox_intruder' }, { maxNetworkRetries: 0 });
    await expect(intruder.retrieve('pi_x')).rejects.toMatchObject({ reason: 'authentication' });
    await expect(stripe.paymentIntents.retrieve('pi_x')).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('unknown routes and methods are Stripe-shaped 404s', async () => {
    for (const [method, path] of [
      ['GET', '/v1/customers'],
      ['DELETE', '/v1/payment_intents/pi_x'],
      ['POST', '/v1/payment_intents/pi_x/explode'],
      ['GET', '/v1/payment_intents'],
    ] as const) {
      const res = await fetch(url(path), { method, headers: auth });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('Unrecognized request URL') } });
    }
  });

  it('parameter errors are Stripe-shaped 400s with the param named', async () => {
    const cases: [string, string, string][] = [
      ['currency=cny', 'parameter_missing', 'amount'],
      ['amount=12.5&currency=cny', 'parameter_invalid_integer', 'amount'],
      ['amount=100&currency=cny&bogus=1', 'parameter_unknown', 'bogus'],
    ];
    for (const [body, code, param] of cases) {
      const res = await post('/v1/payment_intents', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', code, param } });
    }
    const sdk = await stripe.paymentIntents.create({ amount: 100, currency: 'cny', confirm: true, payment_method: 'pm_card_nonexistent', capture_method: 'manual' }).catch((e: unknown) => e);
    expect(sdk).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(sdk).toMatchObject({ code: 'resource_missing', param: 'payment_method', statusCode: 400 });
  });

  it('a declined card answers 402 card_error carrying the intent; the SDK raises StripeCardError', async () => {
    const res = await post('/v1/payment_intents', authorizeBody(900, 'pm_card_chargeDeclined'), { 'idempotency-key': randomUUID() });
    expect(res.status).toBe(402);
    const body = (await res.json()) as { error: Record<string, unknown> & { payment_intent: Record<string, unknown> } };
    expect(body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
    expect(body.error.payment_intent).toMatchObject({ object: 'payment_intent', status: 'requires_payment_method', amount: 900, last_payment_error: { code: 'card_declined' } });
    const sdk = await stripe.paymentIntents
      .create({ amount: 901, currency: 'cny', confirm: true, payment_method: 'pm_card_chargeDeclined', capture_method: 'manual' })
      .catch((e: unknown) => e);
    expect(sdk).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(sdk).toMatchObject({ decline_code: 'generic_decline', statusCode: 402, payment_intent: { status: 'requires_payment_method' } });
  });

  describe('Idempotency-Key', () => {
    it('same key + same request replays the first response byte for byte', async () => {
      const key = randomUUID();
      const first = await post('/v1/payment_intents', authorizeBody(4_321), { 'idempotency-key': key });
      const second = await post('/v1/payment_intents', 'metadata[order_id]=ord_http&payment_method=pm_card_visa&confirm=true&capture_method=manual&currency=cny&amount=4321', {
        'idempotency-key': key,
      });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.headers.get('request-id')).toBe(first.headers.get('request-id'));
      const [a, b] = [await first.text(), await second.text()];
      expect(b).toBe(a);
      const id = (JSON.parse(a) as { id: string }).id;
      expect(await handle.db.select().from(paymentSandboxIntent).where(eq(paymentSandboxIntent.id, id))).toHaveLength(1);
    });

    it('same key + different parameters or endpoint → 400 idempotency_error, nothing done', async () => {
      const key = randomUUID();
      await post('/v1/payment_intents', authorizeBody(1_000), { 'idempotency-key': key });
      const count = (await handle.db.select().from(paymentSandboxIntent)).length;
      const other = await post('/v1/payment_intents', authorizeBody(1_001), { 'idempotency-key': key });
      expect(other.status).toBe(400);
      expect(await other.json()).toMatchObject({ error: { type: 'idempotency_error', message: expect.stringContaining(key) } });
      const otherEndpoint = await post('/v1/refunds', 'payment_intent=pi_x', { 'idempotency-key': key });
      expect(otherEndpoint.status).toBe(400);
      expect((await handle.db.select().from(paymentSandboxIntent)).length).toBe(count);
      await expect(
        stripe.paymentIntents.create({ amount: 1_002, currency: 'cny', capture_method: 'manual' }, { idempotencyKey: key }),
      ).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    });

    it('errors after execution starts are replayed; parameter errors are not recorded', async () => {
      const key = randomUUID();
      const invalid = await post('/v1/payment_intents', 'amount=abc&currency=cny', { 'idempotency-key': key });
      expect(invalid.status).toBe(400);
      // the key was not used up by the invalid request
      const good = await post('/v1/payment_intents', authorizeBody(2_000), { 'idempotency-key': key });
      expect(good.status).toBe(200);
      const { id } = (await good.json()) as { id: string };
      const captureKey = randomUUID();
      const tooMuch = await post(`/v1/payment_intents/${id}/capture`, 'amount_to_capture=2001', { 'idempotency-key': captureKey });
      expect(tooMuch.status).toBe(400);
      const replayed = await post(`/v1/payment_intents/${id}/capture`, 'amount_to_capture=2001', { 'idempotency-key': captureKey });
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(await replayed.json()).toMatchObject({ error: { code: 'amount_too_large' } });
    });

    it('concurrent requests with one key create one intent', async () => {
      const key = randomUUID();
      const responses = await Promise.all(Array.from({ length: 5 }, () => post('/v1/payment_intents', authorizeBody(3_333), { 'idempotency-key': key })));
      const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ id?: string }>));
      const ids = new Set(bodies.map((b) => b.id));
      expect(responses.every((r) => r.status === 200)).toBe(true);
      expect(ids.size).toBe(1);
    });
  });

  it('concurrent captures of one intent: exactly one wins', async () => {
    const auth1 = await payments.authorize({ amountFen: 10_000, currency: 'cny', orderId: 'ord_race', idempotencyKey: randomUUID() });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => payments.capture(auth1.paymentIntentId, { amountFen: 10_000, idempotencyKey: randomUUID() })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(isPaymentError(r.reason) && r.reason.reason).toBe('invalid_state');
    }
    expect((await payments.retrieve(auth1.paymentIntentId)).amountReceivedFen).toBe(10_000);
  });

  it('retrieve expands latest_charge; refunds can be listed and created by charge', async () => {
    const auth1 = await payments.authorize({ amountFen: 5_000, currency: 'cny', orderId: 'ord_expand', idempotencyKey: randomUUID() });
    await payments.capture(auth1.paymentIntentId, { amountFen: 4_000, idempotencyKey: randomUUID() });
    const pi = await stripe.paymentIntents.retrieve(auth1.paymentIntentId, { expand: ['latest_charge'] });
    expect(pi.latest_charge).toMatchObject({ object: 'charge', amount: 5_000, amount_captured: 4_000, captured: true, payment_intent: auth1.paymentIntentId });
    const chargeId = typeof pi.latest_charge === 'string' ? pi.latest_charge : pi.latest_charge!.id;
    const byCharge = await stripe.refunds.create({ charge: chargeId, amount: 1_500 }, { idempotencyKey: randomUUID() });
    expect(byCharge).toMatchObject({ object: 'refund', amount: 1_500, charge: chargeId, payment_intent: auth1.paymentIntentId, status: 'succeeded' });
    const list = await stripe.refunds.list({ payment_intent: auth1.paymentIntentId });
    expect(list.data.map((r) => r.amount)).toEqual([1_500]);
    expect((await payments.retrieve(auth1.paymentIntentId)).amountRefundedFen).toBe(1_500);
  });

  it('state lives in the database: a new server over the same database sees it (restart)', async () => {
    const auth1 = await payments.authorize({ amountFen: 2_468, currency: 'cny', orderId: 'ord_restart', idempotencyKey: 'restart-key' });
    const second = await startSandboxServer({ db: handle.db });
    try {
      const restarted = createStripePayments(second.config, { maxNetworkRetries: 0 });
      expect(await restarted.retrieve(auth1.paymentIntentId)).toMatchObject({ status: 'requires_capture', amountFen: 2_468, orderId: 'ord_restart' });
      const again = await restarted.authorize({ amountFen: 2_468, currency: 'cny', orderId: 'ord_restart', idempotencyKey: 'restart-key' });
      expect(again.paymentIntentId).toBe(auth1.paymentIntentId);
      expect((await restarted.capture(auth1.paymentIntentId, { idempotencyKey: randomUUID() })).status).toBe('succeeded');
    } finally {
      await second.close();
    }
  });

  describe('events and webhook delivery', () => {
    const sink = createRecordingSink();
    const deliveryDeps = (db: DbHandle['db']): SandboxDeliveryDeps => ({
      webhookSecret: TEST_WEBHOOK_SECRET,
      deliver: (rawBody, signature) => handlePaymentWebhook({ db, payments, sink }, rawBody, signature),
    });

    it('every state change emits a Stripe event, delivered signed through the outbox, processed once', async () => {
      const auth1 = await payments.authorize({ amountFen: 9_000, currency: 'cny', orderId: 'ord_events', idempotencyKey: randomUUID() });
      await payments.capture(auth1.paymentIntentId, { amountFen: 8_000, idempotencyKey: randomUUID() });
      await payments.refund(auth1.paymentIntentId, { amountFen: 3_000, idempotencyKey: randomUUID() });
      await payments.refund(auth1.paymentIntentId, { idempotencyKey: randomUUID() });
      const declined = await payments.authorize({ amountFen: 100, currency: 'cny', orderId: 'ord_events_2', idempotencyKey: randomUUID(), paymentMethod: 'pm_card_chargeDeclined' });
      const canceled = await payments.authorize({ amountFen: 200, currency: 'cny', orderId: 'ord_events_3', idempotencyKey: randomUUID() });
      await payments.cancel(canceled.paymentIntentId, randomUUID());

      const events = await eventsFor(handle.db, auth1.paymentIntentId);
      expect(events.map((e) => e.type)).toEqual(['payment_intent.amount_capturable_updated', 'payment_intent.succeeded', 'charge.refunded', 'charge.refunded']);
      expect((await eventsFor(handle.db, declined.paymentIntentId)).map((e) => e.type)).toEqual(['payment_intent.payment_failed']);
      expect((await eventsFor(handle.db, canceled.paymentIntentId)).map((e) => e.type)).toEqual(['payment_intent.amount_capturable_updated', 'payment_intent.canceled']);
      const first = events[0]!;
      const pending = await handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, `payments.sandbox-event:${first.id}`));
      expect(pending).toMatchObject([{ job: 'payments.sandbox-deliver-event', status: 'pending', payload: { eventId: first.id } }]);

      const runner = createJobRunner({ db: handle.db, registry: createJobRegistry([sandboxDeliveryJobWith(deliveryDeps)]), onFailed: () => {} });
      const delivered = await runner.drainOnce!();
      expect(delivered).toBeGreaterThanOrEqual(7);
      expect(await runner.drainOnce!()).toBe(0);

      const received = await handle.db.select().from(paymentWebhookEvent).where(eq(paymentWebhookEvent.paymentIntentId, auth1.paymentIntentId));
      expect(received.map((r) => r.type).sort()).toEqual(['charge.refunded', 'charge.refunded', 'payment_intent.amount_capturable_updated', 'payment_intent.succeeded']);
      const audit = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, auth1.paymentIntentId));
      expect(audit.map((a) => a.action).sort()).toEqual([
        'payment.charge.refunded',
        'payment.charge.refunded',
        'payment.payment_intent.amount_capturable_updated',
        'payment.payment_intent.succeeded',
      ]);
      const refundedAudit = audit.filter((a) => a.action === 'payment.charge.refunded').map((a) => a.data as { amountRefundedFen: number; fullyRefunded: boolean });
      expect(refundedAudit.map((d) => d.amountRefundedFen).sort((x, y) => x - y)).toEqual([3_000, 8_000]);
      expect(refundedAudit.some((d) => d.fullyRefunded)).toBe(true);
      const [row] = await handle.db.select().from(paymentSandboxEvent).where(eq(paymentSandboxEvent.id, first.id));
      expect(row?.deliveredAt).toBeInstanceOf(Date);

      // a second delivery of the same event (Stripe redelivers) changes nothing
      await deliverSandboxEvent(handle.db, first.id, deliveryDeps(handle.db));
      expect(await handle.db.select().from(auditLog).where(eq(auditLog.entityId, auth1.paymentIntentId))).toHaveLength(4);
    });

    it('a delivery the webhook refuses is retried by the runner', async () => {
      const auth1 = await payments.authorize({ amountFen: 700, currency: 'cny', orderId: 'ord_wrong_secret', idempotencyKey: randomUUID() });
      const wrongSecret = (db: DbHandle['db']): SandboxDeliveryDeps => ({ ...deliveryDeps(db), webhookSecret: 'whsec_not_the_right_one_0123456789' });
      const failures: string[] = [];
      const runner = createJobRunner({ db: handle.db, registry: createJobRegistry([sandboxDeliveryJobWith(wrongSecret)]), onFailed: (f) => failures.push(f.error) });
      await runner.drainOnce!();
      expect(failures.some((e) => e.includes('answered 400'))).toBe(true);
      const [event] = await eventsFor(handle.db, auth1.paymentIntentId);
      const [job] = await handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, `payments.sandbox-event:${event!.id}`));
      expect(job).toMatchObject({ status: 'pending', attempts: 1 });
      expect(await handle.db.select().from(paymentWebhookEvent).where(eq(paymentWebhookEvent.id, event!.id))).toHaveLength(0);
    });
  });
});
