import { describe, expect, it } from 'vitest';
import { eventJson, intentJson } from './sandbox/objects.core.ts';
import { captureIntent, createIntent, refundIntent, type CoreResult } from './sandbox/sandbox.core.ts';
import { parsePaymentEvent, snapshotFromIntent, StripeShapeError } from './stripe-objects.core.ts';

const now = new Date('2026-03-01T08:00:00Z');

function ok<T>(result: CoreResult<T>): T {
  if (!result.ok) throw new Error(result.failure.error.message);
  return result.value;
}

const authorized = ok(
  createIntent(
    { amount: 12_345, currency: 'cny', captureMethod: 'manual', paymentMethod: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_9' }, description: null },
    { id: 'pi_9', clientSecret: 'pi_9_secret', chargeId: 'ch_9' },
    now,
  ),
).intent;

describe('Stripe objects → port types', () => {
  it('a PaymentIntent becomes a snapshot in integer fen', () => {
    expect(snapshotFromIntent(intentJson(authorized))).toEqual({
      paymentIntentId: 'pi_9',
      status: 'requires_capture',
      currency: 'cny',
      amountFen: 12_345,
      amountCapturableFen: 12_345,
      amountReceivedFen: 0,
      amountRefundedFen: 0,
      orderId: 'ord_9',
      metadata: { order_id: 'ord_9' },
      chargeId: 'ch_9',
      decline: null,
      cancellationReason: null,
    });
    // an expanded latest_charge is read as its id
    expect(snapshotFromIntent(intentJson(authorized, { expandLatestCharge: true })).chargeId).toBe('ch_9');
  });

  it('refuses non-integer or negative amounts instead of rounding them', () => {
    expect(() => snapshotFromIntent({ ...intentJson(authorized), amount: 123.45 })).toThrow(StripeShapeError);
    expect(() => snapshotFromIntent({ ...intentJson(authorized), amount_received: -1 })).toThrow(StripeShapeError);
    expect(() => snapshotFromIntent({ ...intentJson(authorized), status: 'teleported' })).toThrow(StripeShapeError);
  });

  it('parses intent events, charge.refunded and unknown types', () => {
    const base = { requestId: 'req_1', idempotencyKey: 'k', created: now };
    const capturable = parsePaymentEvent(eventJson({ ...base, id: 'evt_1', type: 'payment_intent.amount_capturable_updated', intent: authorized }));
    expect(capturable).toMatchObject({ id: 'evt_1', type: 'payment_intent.amount_capturable_updated', livemode: false, created: now, payment: { paymentIntentId: 'pi_9', amountCapturableFen: 12_345 } });

    const captured = ok(captureIntent(authorized, 10_000, now)).intent;
    const refunded = ok(refundIntent(captured, { amount: 10_000, reason: null, metadata: {} }, 're_1', now)).intent;
    expect(parsePaymentEvent(eventJson({ ...base, id: 'evt_2', type: 'charge.refunded', intent: refunded }))).toEqual({
      id: 'evt_2',
      type: 'charge.refunded',
      created: now,
      livemode: false,
      paymentIntentId: 'pi_9',
      chargeId: 'ch_9',
      orderId: 'ord_9',
      amountFen: 12_345,
      amountCapturedFen: 10_000,
      amountRefundedFen: 10_000,
      fullyRefunded: true,
    });

    expect(parsePaymentEvent({ id: 'evt_3', object: 'event', type: 'customer.created', created: 1, livemode: true, data: { object: {} } })).toEqual({
      id: 'evt_3',
      type: 'unhandled',
      providerType: 'customer.created',
      created: new Date(1000),
      livemode: true,
    });
    expect(() => parsePaymentEvent({ id: 'evt_4', object: 'event', type: 'payment_intent.succeeded', created: 1, livemode: false, data: { object: { id: 'x' } } })).toThrow(StripeShapeError);
  });
});
