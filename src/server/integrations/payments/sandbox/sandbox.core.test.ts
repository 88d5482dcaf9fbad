import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INTENT_STATUSES,
  INTENT_TRANSITIONS,
  cancelIntent,
  captureIntent,
  confirmIntent,
  createIntent,
  formatFen,
  nextStatus,
  planCapture,
  planRefund,
  refundIntent,
  type CoreResult,
  type CreateIntentParams,
  type IntentAction,
  type IntentChange,
  type IntentState,
} from './sandbox.core.ts';

const now = new Date('2026-03-01T08:00:00Z');
const ids = { id: 'pi_test', clientSecret: 'pi_test_secret_x', chargeId: 'ch_test' };

function params(overrides: Partial<CreateIntentParams> = {}): CreateIntentParams {
  return { amount: 10_000, currency: 'cny', captureMethod: 'manual', paymentMethod: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_1' }, description: null, ...overrides };
}

function ok<T>(result: CoreResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.failure)}`);
  return result.value;
}

function failure<T>(result: CoreResult<T>) {
  if (result.ok) throw new Error('expected a failure');
  return result.failure;
}

function authorized(amount = 10_000): IntentState {
  return ok(createIntent(params({ amount }), ids, now)).intent;
}

describe('PaymentIntent transition table', () => {
  it('is explicit and only moves forward from non-final states', () => {
    for (const t of INTENT_TRANSITIONS) {
      expect(INTENT_STATUSES).toContain(t.from);
      expect(INTENT_STATUSES).toContain(t.to);
      expect(['succeeded', 'canceled']).not.toContain(t.from);
    }
    const actions: IntentAction[] = ['attach_payment_method', 'authorize', 'charge', 'decline', 'capture', 'cancel'];
    for (const action of actions) {
      expect(nextStatus('succeeded', action)).toBeNull();
      expect(nextStatus('canceled', action)).toBeNull();
    }
    expect(nextStatus('requires_capture', 'capture')).toBe('succeeded');
    expect(nextStatus('requires_capture', 'cancel')).toBe('canceled');
    expect(nextStatus('requires_payment_method', 'capture')).toBeNull();
  });

  it('create + confirm with manual capture holds the funds and emits amount_capturable_updated', () => {
    const change = ok(createIntent(params(), ids, now));
    expect(change.intent).toMatchObject({ status: 'requires_capture', amountCapturable: 10_000, amountReceived: 0, latestCharge: 'ch_test', chargeStatus: 'succeeded' });
    expect(change.events).toEqual(['payment_intent.amount_capturable_updated']);
    expect(change.decline).toBeNull();
  });

  it('automatic capture takes the funds at once and emits succeeded', () => {
    const change = ok(createIntent(params({ captureMethod: 'automatic' }), ids, now));
    expect(change.intent).toMatchObject({ status: 'succeeded', amountCapturable: 0, amountReceived: 10_000 });
    expect(change.events).toEqual(['payment_intent.succeeded']);
  });

  it('wallets (Alipay, WeChat Pay) charge at once and refuse manual capture', () => {
    for (const pm of ['pm_alipay', 'pm_wechat_pay']) {
      const charged = ok(createIntent(params({ paymentMethod: pm, captureMethod: 'automatic' }), ids, now));
      expect(charged.intent).toMatchObject({ status: 'succeeded', amountReceived: 10_000, amountCapturable: 0 });
      expect(failure(createIntent(params({ paymentMethod: pm }), ids, now))).toMatchObject({ status: 400, error: { param: 'capture_method' } });
    }
  });

  it('without confirm the intent waits; confirm later follows the table', () => {
    const waiting = ok(createIntent(params({ confirm: false }), ids, now));
    expect(waiting.intent.status).toBe('requires_confirmation');
    expect(waiting.events).toEqual([]);
    const noMethod = ok(createIntent(params({ confirm: false, paymentMethod: null }), ids, now));
    expect(noMethod.intent.status).toBe('requires_payment_method');
    expect(failure(confirmIntent(noMethod.intent, { paymentMethod: null, chargeId: 'ch_2' }, now)).error.code).toBe('payment_intent_unexpected_state');
    const confirmed = ok(confirmIntent(noMethod.intent, { paymentMethod: 'pm_card_mastercard', chargeId: 'ch_2' }, now));
    expect(confirmed.intent).toMatchObject({ status: 'requires_capture', paymentMethod: 'pm_card_mastercard', latestCharge: 'ch_2' });
  });

  it('a decline is stored (requires_payment_method, last_payment_error) and reported as a card error', () => {
    const change = ok(createIntent(params({ paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' }), ids, now));
    expect(change.intent).toMatchObject({ status: 'requires_payment_method', paymentMethod: null, chargeStatus: 'failed', amountCapturable: 0 });
    expect(change.intent.lastPaymentError).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', charge: 'ch_test' });
    expect(change.decline).toEqual({ code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.', chargeId: 'ch_test' });
    expect(change.events).toEqual(['payment_intent.payment_failed']);
    // another card can be tried
    const retried = ok(confirmIntent(change.intent, { paymentMethod: 'pm_card_visa', chargeId: 'ch_3' }, now));
    expect(retried.intent).toMatchObject({ status: 'requires_capture', lastPaymentError: null, latestCharge: 'ch_3' });
  });

  it('an unknown payment method is resource_missing; confirm without one is a missing parameter', () => {
    expect(failure(createIntent(params({ paymentMethod: 'pm_nope' }), ids, now))).toMatchObject({ status: 400, error: { code: 'resource_missing', param: 'payment_method' } });
    expect(failure(createIntent(params({ paymentMethod: null }), ids, now))).toMatchObject({ status: 400, error: { code: 'parameter_missing' } });
  });

  it('capture: full, partial, too much, twice', () => {
    const full = ok(captureIntent(authorized(), null, now));
    expect(full.intent).toMatchObject({ status: 'succeeded', amountReceived: 10_000, amountCapturable: 0 });
    expect(full.events).toEqual(['payment_intent.succeeded']);

    const partial = ok(captureIntent(authorized(), 2_501, now));
    expect(partial.intent).toMatchObject({ status: 'succeeded', amountReceived: 2_501, amountCapturable: 0 });

    expect(failure(captureIntent(authorized(), 10_001, now))).toMatchObject({ status: 400, error: { type: 'invalid_request_error', code: 'amount_too_large', param: 'amount_to_capture' } });
    const again = failure(captureIntent(full.intent, null, now));
    expect(again).toMatchObject({ status: 400, error: { code: 'payment_intent_unexpected_state' } });
    expect(again.error.message).toContain('status of succeeded');
  });

  it('cancel: from requires_capture, never after capture or twice', () => {
    const canceled = ok(cancelIntent(authorized(), 'requested_by_customer', now));
    expect(canceled.intent).toMatchObject({ status: 'canceled', amountCapturable: 0, cancellationReason: 'requested_by_customer', canceledAt: now });
    expect(canceled.events).toEqual(['payment_intent.canceled']);
    expect(failure(cancelIntent(canceled.intent, null, now)).error.code).toBe('payment_intent_unexpected_state');
    const captured = ok(captureIntent(authorized(), null, now)).intent;
    expect(failure(cancelIntent(captured, null, now)).error.code).toBe('payment_intent_unexpected_state');
  });

  it('refund: only a captured intent, never more than captured', () => {
    expect(failure(refundIntent(authorized(), { amount: null, reason: null, metadata: {} }, 're_1', now)).error.code).toBe('payment_intent_unexpected_state');
    const captured = ok(captureIntent(authorized(), 6_000, now)).intent;
    const first = ok(refundIntent(captured, { amount: 2_000, reason: 'duplicate', metadata: {} }, 're_1', now));
    expect(first.refund).toMatchObject({ id: 're_1', amount: 2_000, chargeId: 'ch_test', paymentIntentId: 'pi_test', status: 'succeeded', reason: 'duplicate' });
    expect(first.intent.amountRefunded).toBe(2_000);
    expect(first.intent.status).toBe('succeeded');
    expect(first.events).toEqual(['charge.refunded']);
    const tooMuch = failure(refundIntent(first.intent, { amount: 4_001, reason: null, metadata: {} }, 're_2', now));
    expect(tooMuch).toMatchObject({ status: 400, error: { code: 'amount_too_large', param: 'amount' } });
    expect(tooMuch.error.message).toBe('Refund amount (¥40.01) is greater than unrefunded amount on charge (¥40.00)');
    const rest = ok(refundIntent(first.intent, { amount: null, reason: null, metadata: {} }, 're_3', now));
    expect(rest.refund.amount).toBe(4_000);
    expect(rest.intent.amountRefunded).toBe(6_000);
    expect(failure(refundIntent(rest.intent, { amount: null, reason: null, metadata: {} }, 're_4', now)).error.code).toBe('charge_already_refunded');
  });

  it('formats fen without floats', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(123_405)).toBe('¥1,234.05');
    expect(formatFen(99_999_999)).toBe('¥999,999.99');
  });
});

describe('capture and refund arithmetic', () => {
  it('planCapture never exceeds the capturable amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.option(fc.integer({ min: -5, max: 100_000_000 }), { nil: null }), (capturable, requested) => {
        const plan = planCapture(capturable, requested);
        if (plan.ok) {
          expect(Number.isSafeInteger(plan.value)).toBe(true);
          expect(plan.value).toBeGreaterThanOrEqual(1);
          expect(plan.value).toBeLessThanOrEqual(capturable);
          expect(plan.value).toBe(requested ?? capturable);
        } else {
          expect(requested === null ? false : requested < 1 || requested > capturable).toBe(true);
        }
      }),
    );
  });

  it('the sum of accepted refunds never exceeds the captured amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.array(fc.option(fc.integer({ min: -10, max: 100_000_000 }), { nil: null }), { maxLength: 40 }),
        (captured, requests) => {
          let refunded = 0;
          for (const requested of requests) {
            const plan = planRefund(captured, refunded, requested);
            if (!plan.ok) {
              const refundable = captured - refunded;
              if (plan.reason === 'already_refunded') expect(refundable).toBe(0);
              if (plan.reason === 'exceeds_refundable') expect(requested).toBeGreaterThan(refundable);
              if (plan.reason === 'invalid_amount') expect(requested === null ? false : requested < 1).toBe(true);
              continue;
            }
            expect(Number.isSafeInteger(plan.amountFen)).toBe(true);
            expect(plan.amountFen).toBeGreaterThanOrEqual(1);
            expect(plan.refundedAfterFen).toBe(refunded + plan.amountFen);
            refunded = plan.refundedAfterFen;
            expect(refunded).toBeLessThanOrEqual(captured);
            expect(plan.fullyRefunded).toBe(refunded === captured);
          }
        },
      ),
    );
  });

  it('the same holds through the intent: capture then any refund sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }), { maxLength: 20 }),
        (amount, captureAsk, refunds) => {
          const captured = captureIntent(authorized(amount), Math.min(captureAsk, amount), now);
          let intent = ok(captured as CoreResult<IntentChange>).intent;
          let sum = 0;
          refunds.forEach((requested, i) => {
            const result = refundIntent(intent, { amount: requested, reason: null, metadata: {} }, `re_${i}`, now);
            if (result.ok) {
              sum += result.value.refund.amount;
              intent = result.value.intent;
            }
          });
          expect(intent.amountRefunded).toBe(sum);
          expect(sum).toBeLessThanOrEqual(intent.amountReceived);
        },
      ),
    );
  });
});
