import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.ts';
import { auditLog, paymentWebhookEvent } from '../../db/schema/index.ts';
import { verifyAuditChain } from '../../domains/audit/audit.service.ts';
import { createTestDb } from '../../testing/test-db.ts';
import type { PaymentsConfig } from './payments.config.ts';
import { eventJson } from './sandbox/objects.core.ts';
import { createIntent, type IntentState } from './sandbox/sandbox.core.ts';
import { signatureHeader } from './signature.core.ts';
import { createStripePayments } from './stripe.adapter.ts';
import { createRecordingSink, handlePaymentWebhook, handlePaymentWebhookRequest, type PaymentEventSink } from './webhook.ts';

const SECRET = 'whsec_webhook_tests_0123456789abcdefghij';
const now = new Date('2026-03-01T08:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);
// verifyWebhook needs no network: the API base is never called.
const config: PaymentsConfig = { kind: 'sandbox', secretKey: 'sk_test_sandbox_unused', webhookSecret: SECRET, apiBase: 'http://127.0.0.1:9/api/payments-sandbox' };
const payments = createStripePayments(config, { now: () => now });

function intent(): IntentState {
  const change = createIntent(
    { amount: 50_000, currency: 'cny', captureMethod: 'manual', paymentMethod: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_webhook' }, description: null },
    { id: 'pi_webhook', clientSecret: 'pi_webhook_secret', chargeId: 'ch_webhook' },
    now,
  );
  if (!change.ok) throw new Error('setup');
  return change.value.intent;
}

function eventBody(id: string, type: Parameters<typeof eventJson>[0]['type'] = 'payment_intent.amount_capturable_updated'): string {
  return JSON.stringify(eventJson({ id, type, intent: intent(), requestId: 'req_1', idempotencyKey: null, created: now }), null, 2);
}

describe('POST /api/webhooks/payments handler', () => {
  let handle: DbHandle;
  const sink = createRecordingSink();
  const deps = () => ({ db: handle.db, payments, sink, onError: () => {} });

  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => handle.close());

  async function recorded(id: string) {
    return handle.db.select().from(paymentWebhookEvent).where(eq(paymentWebhookEvent.id, id));
  }
  async function auditFor(eventId: string) {
    const rows = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, 'pi_webhook'));
    return rows.filter((r) => (r.data as { eventId?: string }).eventId === eventId);
  }

  it('accepts a valid signature once: records the event and writes one audit entry', async () => {
    const body = eventBody('evt_valid_1');
    const result = await handlePaymentWebhook(deps(), body, signatureHeader(SECRET, nowSeconds, body));
    expect(result).toMatchObject({ status: 200, outcome: 'processed', body: { received: true } });
    const [row] = await recorded('evt_valid_1');
    expect(row).toMatchObject({ type: 'payment_intent.amount_capturable_updated', paymentIntentId: 'pi_webhook', handled: true, livemode: false, eventCreatedAt: now });
    const audit = await auditFor('evt_valid_1');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'payment.payment_intent.amount_capturable_updated', entityType: 'payment_intent' });
    expect(audit[0]!.data).toMatchObject({ orderId: 'ord_webhook', amountCapturableFen: 50_000, status: 'requires_capture' });
  });

  it('a replayed event (even re-signed later) is acknowledged without a second effect', async () => {
    const body = eventBody('evt_replay_1');
    expect((await handlePaymentWebhook(deps(), body, signatureHeader(SECRET, nowSeconds, body))).outcome).toBe('processed');
    const replay = await handlePaymentWebhook(deps(), body, signatureHeader(SECRET, nowSeconds + 60, body));
    expect(replay).toMatchObject({ status: 200, outcome: 'duplicate', body: { received: true, duplicate: true } });
    expect(await recorded('evt_replay_1')).toHaveLength(1);
    expect(await auditFor('evt_replay_1')).toHaveLength(1);
  });

  it('concurrent deliveries of one event take effect once', async () => {
    const body = eventBody('evt_concurrent_1');
    const header = signatureHeader(SECRET, nowSeconds, body);
    const results = await Promise.all(Array.from({ length: 4 }, () => handlePaymentWebhook(deps(), body, header)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.filter((r) => r.outcome === 'processed')).toHaveLength(1);
    expect(await auditFor('evt_concurrent_1')).toHaveLength(1);
  });

  describe('refused with 400, nothing recorded', () => {
    const cases: [string, (body: string) => string | null, string][] = [
      ['wrong secret', (body) => signatureHeader('whsec_someone_else_0123456789abcdef', nowSeconds, body), 'bad_signature'],
      ['missing header', () => null, 'missing_signature'],
      ['empty header', () => '', 'missing_signature'],
      ['malformed header', () => 'this-is-not-a-signature', 'malformed_signature'],
      ['no v1', () => `t=${nowSeconds}`, 'malformed_signature'],
      ['non-hex v1', () => `t=${nowSeconds},v1=not-hex`, 'malformed_signature'],
      ['timestamp 301 s old', (body) => signatureHeader(SECRET, nowSeconds - 301, body), 'stale_timestamp'],
      ['timestamp a day old', (body) => signatureHeader(SECRET, nowSeconds - 86_400, body), 'stale_timestamp'],
      ['timestamp 10 min ahead', (body) => signatureHeader(SECRET, nowSeconds + 600, body), 'future_timestamp'],
      ['signature of another body', (body) => signatureHeader(SECRET, nowSeconds, body.replace('50000', '5')), 'bad_signature'],
      ['signature with the timestamp changed', (body) => signatureHeader(SECRET, nowSeconds, body).replace(`t=${nowSeconds}`, `t=${nowSeconds - 1}`), 'bad_signature'],
    ];
    it.each(cases)('%s', async (_name, header, code) => {
      const id = `evt_bad_${code}_${Math.random().toString(36).slice(2)}`;
      const body = eventBody(id);
      const result = await handlePaymentWebhook(deps(), body, header(body));
      expect(result.status).toBe(400);
      expect(result.outcome).toBe('rejected');
      expect(result.body.error?.code).toBe(code);
      expect(await recorded(id)).toHaveLength(0);
      expect(await auditFor(id)).toHaveLength(0);
    });

    it('a validly signed body that is not a payment event', async () => {
      const body = JSON.stringify({ id: 'evt_shape', object: 'event', type: 'payment_intent.succeeded', created: nowSeconds, livemode: false, data: { object: { id: 'pi_x' } } });
      const result = await handlePaymentWebhook(deps(), body, signatureHeader(SECRET, nowSeconds, body));
      expect(result).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload' } } });
      expect(await recorded('evt_shape')).toHaveLength(0);
    });
  });

  it('an event type the platform does not handle is recorded and acknowledged, not handed on', async () => {
    const body = JSON.stringify({ id: 'evt_other_1', object: 'event', type: 'customer.created', created: nowSeconds, livemode: false, data: { object: { id: 'cus_1' } } });
    const result = await handlePaymentWebhook(deps(), body, signatureHeader(SECRET, nowSeconds, body));
    expect(result).toMatchObject({ status: 200, outcome: 'ignored' });
    expect((await recorded('evt_other_1'))[0]).toMatchObject({ type: 'customer.created', handled: false, paymentIntentId: null });
  });

  describe('a failing sink', () => {
    let calls = 0;
    const failing: PaymentEventSink = {
      async handle() {
        calls += 1;
        throw new Error('orders database unavailable');
      },
    };
    beforeEach(() => {
      calls = 0;
    });

    it('answers 500 and records nothing, so the provider redelivers; the redelivery is processed', async () => {
      const body = eventBody('evt_retry_1', 'payment_intent.succeeded');
      const header = signatureHeader(SECRET, nowSeconds, body);
      const first = await handlePaymentWebhook({ ...deps(), sink: failing }, body, header);
      expect(first).toMatchObject({ status: 500, outcome: 'failed' });
      expect(calls).toBe(1);
      expect(await recorded('evt_retry_1')).toHaveLength(0);
      const second = await handlePaymentWebhook(deps(), body, header);
      expect(second.outcome).toBe('processed');
      expect(await auditFor('evt_retry_1')).toHaveLength(1);
    });
  });

  it('without a configured secret every delivery is refused with 500 (misconfiguration, retried by Stripe)', async () => {
    const unconfigured = createStripePayments({ ...config, kind: 'stripe', webhookSecret: null, apiBase: null });
    const body = eventBody('evt_noconf');
    const result = await handlePaymentWebhook({ ...deps(), payments: unconfigured }, body, signatureHeader(SECRET, nowSeconds, body));
    expect(result).toMatchObject({ status: 500, body: { error: { code: 'not_configured' } } });
  });

  it('the Request adapter reads the raw bytes (non-ASCII preserved) and the Stripe-Signature header', async () => {
    const body = eventBody('evt_request_1').replace('"description": null', '"description": "黄芪 500g"');
    expect(body).toContain('黄芪 500g');
    const ok = await handlePaymentWebhookRequest(
      deps(),
      new Request('http://localhost/api/webhooks/payments', { method: 'POST', body, headers: { 'stripe-signature': signatureHeader(SECRET, nowSeconds, body) } }),
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true });
    const bad = await handlePaymentWebhookRequest(deps(), new Request('http://localhost/api/webhooks/payments', { method: 'POST', body }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ received: false, error: { code: 'missing_signature' } });
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });
});
