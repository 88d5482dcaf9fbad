import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaymentError, type PaymentErrorReason, type Payments, type PaymentSnapshot } from './payments.port.ts';

/**
 * The one contract every payments adapter configuration passes: the sandbox always
 * (`payments.sandbox.test.ts`), real Stripe in test mode when STRIPE_SECRET_KEY is set
 * (`payments.stripe.test.ts`). Only the port is used — no adapter internals — so a pass means the
 * orders domain can rely on the behaviour whichever backend is configured.
 */
export interface ContractTarget {
  payments: Payments;
  close(): Promise<void>;
}

const key = (label: string) => `contract-${label}-${randomUUID()}`;
const orderId = () => `ord_contract_${randomUUID().replace(/-/g, '')}`;

async function reasonOf(promise: Promise<unknown>): Promise<PaymentErrorReason> {
  try {
    await promise;
  } catch (error) {
    if (isPaymentError(error)) return error.reason;
    throw error;
  }
  throw new Error('expected a PaymentError');
}

function expectIntegerFen(snapshot: PaymentSnapshot): void {
  for (const value of [snapshot.amountFen, snapshot.amountCapturableFen, snapshot.amountReceivedFen, snapshot.amountRefundedFen]) {
    expect(Number.isSafeInteger(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
  }
}

export function paymentsContract(name: string, setup: () => Promise<ContractTarget>, options: { skip?: boolean } = {}): void {
  describe.skipIf(options.skip ?? false)(`payments contract: ${name}`, () => {
    let target: ContractTarget;
    let payments: Payments;
    beforeAll(async () => {
      target = await setup();
      payments = target.payments;
    });
    afterAll(async () => target?.close());

    const authorize = (amountFen: number, extra: { paymentMethod?: string; idempotencyKey?: string; orderId?: string } = {}) =>
      payments.authorize({
        amountFen,
        currency: 'cny',
        orderId: extra.orderId ?? orderId(),
        idempotencyKey: extra.idempotencyKey ?? key('authorize'),
        metadata: { buyer_org: 'org_contract' },
        ...(extra.paymentMethod ? { paymentMethod: extra.paymentMethod } : {}),
      });

    it('authorizes with manual capture: funds held, nothing taken', async () => {
      const order = orderId();
      const result = await authorize(12_345, { orderId: order });
      expect(result).toMatchObject({
        authorized: true,
        status: 'requires_capture',
        currency: 'cny',
        amountFen: 12_345,
        amountCapturableFen: 12_345,
        amountReceivedFen: 0,
        amountRefundedFen: 0,
        orderId: order,
        decline: null,
      });
      expect(result.metadata).toMatchObject({ order_id: order, buyer_org: 'org_contract' });
      expect(result.paymentIntentId).toMatch(/^pi_/);
      expectIntegerFen(result);
      const again = await payments.retrieve(result.paymentIntentId);
      expect(again).toMatchObject({ status: 'requires_capture', amountFen: 12_345, orderId: order });
    });

    it('authorize → partial capture → partial refund → full refund', async () => {
      const auth = await authorize(20_000);
      const captured = await payments.capture(auth.paymentIntentId, { amountFen: 15_050, idempotencyKey: key('capture') });
      expect(captured).toMatchObject({ status: 'succeeded', amountFen: 20_000, amountReceivedFen: 15_050, amountCapturableFen: 0 });
      expectIntegerFen(captured);

      const first = await payments.refund(auth.paymentIntentId, { amountFen: 5_001, idempotencyKey: key('refund') });
      expect(first).toMatchObject({ paymentIntentId: auth.paymentIntentId, amountFen: 5_001, currency: 'cny' });
      expect(first.refundId).toMatch(/^re_/);
      expect(['succeeded', 'pending']).toContain(first.status);
      expect((await payments.retrieve(auth.paymentIntentId)).amountRefundedFen).toBe(5_001);

      const rest = await payments.refund(auth.paymentIntentId, { idempotencyKey: key('refund') });
      expect(rest.amountFen).toBe(10_049);
      const final = await payments.retrieve(auth.paymentIntentId);
      expect(final).toMatchObject({ status: 'succeeded', amountReceivedFen: 15_050, amountRefundedFen: 15_050 });
      expectIntegerFen(final);

      expect(await reasonOf(payments.refund(auth.paymentIntentId, { amountFen: 1, idempotencyKey: key('refund') }))).toBe('invalid_state');
    });

    it('authorize → full capture → one full refund', async () => {
      const auth = await authorize(8_888);
      const captured = await payments.capture(auth.paymentIntentId, { idempotencyKey: key('capture') });
      expect(captured).toMatchObject({ status: 'succeeded', amountReceivedFen: 8_888 });
      const refund = await payments.refund(auth.paymentIntentId, { idempotencyKey: key('refund'), reason: 'requested_by_customer' });
      expect(refund.amountFen).toBe(8_888);
      expect((await payments.retrieve(auth.paymentIntentId)).amountRefundedFen).toBe(8_888);
    });

    it('authorize → cancel releases the hold; capture afterwards is refused', async () => {
      const auth = await authorize(3_000);
      const canceled = await payments.cancel(auth.paymentIntentId, key('cancel'));
      expect(canceled).toMatchObject({ status: 'canceled', amountCapturableFen: 0, amountReceivedFen: 0 });
      expect(await reasonOf(payments.capture(auth.paymentIntentId, { idempotencyKey: key('capture') }))).toBe('invalid_state');
      expect(await reasonOf(payments.cancel(auth.paymentIntentId, key('cancel')))).toBe('invalid_state');
    });

    it('a declined card is an outcome, not an exception', async () => {
      const result = await authorize(5_000, { paymentMethod: 'pm_card_chargeDeclined' });
      expect(result.authorized).toBe(false);
      expect(result.status).toBe('requires_payment_method');
      expect(result.decline).toMatchObject({ code: 'card_declined', declineCode: 'generic_decline' });
      expect(result.amountCapturableFen).toBe(0);
      expect(await reasonOf(payments.capture(result.paymentIntentId, { idempotencyKey: key('capture') }))).toBe('invalid_state');
    });

    it('capturing more than authorized is refused and leaves the hold intact', async () => {
      const auth = await authorize(10_000);
      expect(await reasonOf(payments.capture(auth.paymentIntentId, { amountFen: 10_001, idempotencyKey: key('capture') }))).toBe('amount_too_large');
      const still = await payments.retrieve(auth.paymentIntentId);
      expect(still).toMatchObject({ status: 'requires_capture', amountCapturableFen: 10_000 });
    });

    it('a second capture is refused', async () => {
      const auth = await authorize(6_000);
      await payments.capture(auth.paymentIntentId, { amountFen: 4_000, idempotencyKey: key('capture') });
      expect(await reasonOf(payments.capture(auth.paymentIntentId, { amountFen: 1_000, idempotencyKey: key('capture') }))).toBe('invalid_state');
      expect((await payments.retrieve(auth.paymentIntentId)).amountReceivedFen).toBe(4_000);
    });

    it('refunding more than captured is refused (and nothing is refunded)', async () => {
      const auth = await authorize(10_000);
      await payments.capture(auth.paymentIntentId, { amountFen: 8_000, idempotencyKey: key('capture') });
      expect(await reasonOf(payments.refund(auth.paymentIntentId, { amountFen: 8_001, idempotencyKey: key('refund') }))).toBe('amount_too_large');
      await payments.refund(auth.paymentIntentId, { amountFen: 6_000, idempotencyKey: key('refund') });
      expect(await reasonOf(payments.refund(auth.paymentIntentId, { amountFen: 2_001, idempotencyKey: key('refund') }))).toBe('amount_too_large');
      expect((await payments.retrieve(auth.paymentIntentId)).amountRefundedFen).toBe(6_000);
    });

    it('refunding an uncaptured authorization is refused', async () => {
      const auth = await authorize(2_000);
      expect(await reasonOf(payments.refund(auth.paymentIntentId, { idempotencyKey: key('refund') }))).toBe('invalid_state');
    });

    it('idempotent retries return the same object and move money once', async () => {
      const authKey = key('authorize');
      const order = orderId();
      const a1 = await authorize(7_777, { idempotencyKey: authKey, orderId: order });
      const a2 = await authorize(7_777, { idempotencyKey: authKey, orderId: order });
      expect(a2.paymentIntentId).toBe(a1.paymentIntentId);
      expect(a2).toEqual(a1);

      const captureKey = key('capture');
      const c1 = await payments.capture(a1.paymentIntentId, { amountFen: 7_000, idempotencyKey: captureKey });
      const c2 = await payments.capture(a1.paymentIntentId, { amountFen: 7_000, idempotencyKey: captureKey });
      expect(c2).toEqual(c1);

      const refundKey = key('refund');
      const r1 = await payments.refund(a1.paymentIntentId, { amountFen: 2_500, idempotencyKey: refundKey });
      const r2 = await payments.refund(a1.paymentIntentId, { amountFen: 2_500, idempotencyKey: refundKey });
      expect(r2).toEqual(r1);
      expect((await payments.retrieve(a1.paymentIntentId)).amountRefundedFen).toBe(2_500);

      const cancelTarget = await authorize(1_000);
      const cancelKey = key('cancel');
      const x1 = await payments.cancel(cancelTarget.paymentIntentId, cancelKey);
      const x2 = await payments.cancel(cancelTarget.paymentIntentId, cancelKey);
      expect(x2).toEqual(x1);
    });

    it('the same idempotency key with different arguments is a conflict', async () => {
      const authKey = key('authorize');
      const order = orderId();
      await authorize(1_500, { idempotencyKey: authKey, orderId: order });
      expect(await reasonOf(authorize(1_501, { idempotencyKey: authKey, orderId: order }))).toBe('idempotency_conflict');
    });

    it('a declined authorization replays as the same decline', async () => {
      const authKey = key('authorize');
      const order = orderId();
      const d1 = await authorize(4_200, { idempotencyKey: authKey, orderId: order, paymentMethod: 'pm_card_chargeDeclined' });
      const d2 = await authorize(4_200, { idempotencyKey: authKey, orderId: order, paymentMethod: 'pm_card_chargeDeclined' });
      expect(d2.paymentIntentId).toBe(d1.paymentIntentId);
      expect(d2.authorized).toBe(false);
    });

    it('amounts in fen stay integers at the edges (1 fen and ¥999,999.99)', async () => {
      const small = await authorize(1);
      expect(small).toMatchObject({ amountFen: 1, amountCapturableFen: 1 });
      const large = await authorize(99_999_999);
      expect(large).toMatchObject({ amountFen: 99_999_999, amountCapturableFen: 99_999_999 });
      const captured = await payments.capture(large.paymentIntentId, { amountFen: 12_345_678, idempotencyKey: key('capture') });
      expect(captured.amountReceivedFen).toBe(12_345_678);
      expectIntegerFen(captured);
      await payments.cancel(small.paymentIntentId, key('cancel'));
    });

    it('refuses non-integer and out-of-range amounts before calling the provider', async () => {
      expect(await reasonOf(authorize(12.5))).toBe('invalid_request');
      expect(await reasonOf(authorize(0))).toBe('invalid_request');
      expect(await reasonOf(authorize(100_000_000))).toBe('invalid_request');
      const auth = await authorize(1_000);
      expect(await reasonOf(payments.capture(auth.paymentIntentId, { amountFen: 10.01, idempotencyKey: key('capture') }))).toBe('invalid_request');
      await payments.cancel(auth.paymentIntentId, key('cancel'));
    });

    it('an unknown payment intent is not_found', async () => {
      expect(await reasonOf(payments.retrieve('pi_doesnotexist000000000000000'))).toBe('not_found');
      expect(await reasonOf(payments.capture('pi_doesnotexist000000000000000', { idempotencyKey: key('capture') }))).toBe('not_found');
    });
  });
}
