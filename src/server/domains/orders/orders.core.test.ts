import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.ts';
import { lineTotalFen } from '../catalog/listings.core.ts';
import {
  assertTransition,
  canTransition,
  capturesAtPayment,
  creditCheck,
  fitsCreditLine,
  invoiceDueAt,
  isOnlineMethod,
  PAYMENT_METHODS,
  paymentWindowMs,
  testPaymentMethod,
  FINAL_ORDER_STATUSES,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  orderTotals,
  planRefund,
  reachableStatuses,
  refundableFen,
  statusAfterRefund,
  type OrderStatus,
} from './orders.core.ts';

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : 'other';
  }
}

describe('order state machine (data)', () => {
  it('reaches every status from pending_payment through the table', () => {
    expect([...reachableStatuses()].sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it('runs the happy path and the documented side paths', () => {
    const path: [OrderStatus, OrderStatus, 'buyer' | 'seller' | 'system'][] = [
      ['pending_payment', 'paid', 'system'],
      ['paid', 'accepted', 'seller'],
      ['accepted', 'shipped', 'seller'],
      ['shipped', 'delivered', 'buyer'],
      ['delivered', 'completed', 'system'],
      ['completed', 'partially_refunded', 'system'],
      ['partially_refunded', 'refunded', 'system'],
    ];
    for (const [from, to, by] of path) expect(canTransition(from, to, by)).toBe(true);
    expect(canTransition('paid', 'rejected', 'seller')).toBe(true);
    expect(canTransition('accepted', 'cancelled', 'buyer')).toBe(true);
    expect(canTransition('shipped', 'cancelled')).toBe(false);
  });

  it('forbidden moves throw INVALID_TRANSITION, wrong party FORBIDDEN', () => {
    expect(codeOf(() => assertTransition('shipped', 'cancelled', 'buyer'))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => assertTransition('completed', 'accepted', 'seller'))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => assertTransition('nonsense', 'paid', 'system'))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => assertTransition('paid', 'accepted', 'buyer'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertTransition('accepted', 'shipped', 'buyer'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertTransition('shipped', 'delivered', 'seller'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertTransition('paid', 'accepted', 'seller'))).toBeNull();
  });

  it('payment methods, windows and credit checks', () => {
    expect(PAYMENT_METHODS.filter(isOnlineMethod)).toEqual(['card', 'alipay', 'wechat_pay']);
    expect(PAYMENT_METHODS.filter(capturesAtPayment)).toEqual(['alipay', 'wechat_pay']);
    expect(paymentWindowMs('card')).toBe(30 * 60_000);
    expect(paymentWindowMs('bank_transfer')).toBe(3 * 24 * 3600_000);
    expect(testPaymentMethod('card', 'confirm')).toBe('pm_card_visa');
    expect(testPaymentMethod('alipay', 'confirm')).toBe('pm_alipay');
    expect(testPaymentMethod('wechat_pay', 'decline')).toBe('pm_card_chargeDeclined');
    expect(invoiceDueAt(new Date('2026-11-23T00:00:00Z'), 30).toISOString()).toBe('2026-12-23T00:00:00.000Z');
    expect(creditCheck({ limitFen: 100, outstandingFen: 40, overdueInvoices: 0, totalFen: 60 })).toEqual({ ok: true });
    expect(creditCheck({ limitFen: 100, outstandingFen: 40, overdueInvoices: 0, totalFen: 61 })).toEqual({ ok: false, reason: 'over_limit', availableFen: 60 });
    expect(creditCheck({ limitFen: 100, outstandingFen: 0, overdueInvoices: 1, totalFen: 1 })).toEqual({ ok: false, reason: 'overdue', availableFen: 100 });
    expect(creditCheck({ limitFen: 100, outstandingFen: 150, overdueInvoices: 0, totalFen: 1 })).toMatchObject({ ok: false, availableFen: 0 });
  });

  it('fitsCreditLine answers as creditCheck does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 10_000_000 }), fc.integer({ min: -5, max: 10_000_000 }), fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 10_000_000 }), (limitFen, outstandingFen, overdueInvoices, totalFen) => {
        expect(fitsCreditLine({ limitFen, outstandingFen, overdueInvoices }, totalFen)).toBe(creditCheck({ limitFen, outstandingFen, overdueInvoices, totalFen }).ok);
      }),
    );
    expect(fitsCreditLine({ limitFen: 100, outstandingFen: 40, overdueInvoices: 0 }, 60)).toBe(true);
    expect(fitsCreditLine({ limitFen: 100, outstandingFen: 40, overdueInvoices: 0 }, 61)).toBe(false);
    expect(fitsCreditLine({ limitFen: 100, outstandingFen: 0, overdueInvoices: 1 }, 1)).toBe(false);
  });

  it('a credit check never lets the balance exceed the limit', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), fc.nat(3), fc.integer({ min: 1, max: 10_000_000 }), (limitFen, outstandingFen, overdueInvoices, totalFen) => {
        const result = creditCheck({ limitFen, outstandingFen, overdueInvoices, totalFen });
        if (result.ok) {
          expect(outstandingFen + totalFen).toBeLessThanOrEqual(limitFen);
          expect(overdueInvoices).toBe(0);
        }
      }),
    );
  });

  it('disputes: only the buyer opens or withdraws one; refunds settle it', () => {
    expect(canTransition('delivered', 'disputed', 'buyer')).toBe(true);
    expect(canTransition('shipped', 'disputed', 'seller')).toBe(false);
    expect(canTransition('completed', 'disputed')).toBe(false);
    expect(canTransition('disputed', 'refunded', 'system')).toBe(true);
    expect(canTransition('disputed', 'delivered', 'buyer')).toBe(true);
    expect(canTransition('payment_failed', 'pending_payment', 'buyer')).toBe(true);
    expect(canTransition('payment_failed', 'paid')).toBe(false);
  });

  it('final statuses have no way out', () => {
    expect([...FINAL_ORDER_STATUSES].sort()).toEqual(['cancelled', 'refunded', 'rejected']);
  });

  it('property: a random walk only ever takes table moves and every pair outside the table throws', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_STATUSES), fc.constantFrom(...ORDER_STATUSES), fc.constantFrom('buyer' as const, 'seller' as const, 'system' as const), (from, to, by) => {
        const listed = ORDER_TRANSITIONS.find((t) => t.from === from && t.to === to);
        const code = codeOf(() => assertTransition(from, to, by));
        if (!listed) expect(code).toBe('INVALID_TRANSITION');
        else expect(code).toBe(listed.by.includes(by) ? null : 'FORBIDDEN');
      }),
    );
  });
});

describe('order money (integer fen)', () => {
  const line = fc.record({ grams: fc.integer({ min: 1, max: 5_000_000 }), priceFenPerKg: fc.integer({ min: 1, max: 2_000_000 }) });

  it('property: totals reconcile to the fen', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 100_000 }), (lines, shipping) => {
        const totals = orderTotals(lines, shipping);
        for (const [i, l] of totals.lines.entries()) {
          expect(Number.isSafeInteger(l.lineTotalFen)).toBe(true);
          expect(l.lineTotalFen).toBe(lineTotalFen(lines[i]!.priceFenPerKg, lines[i]!.grams));
          // round-half-up of price × grams / 1000: off by at most half a fen
          expect(Math.abs(l.lineTotalFen * 1000 - l.priceFenPerKg * l.grams)).toBeLessThanOrEqual(500);
        }
        expect(totals.subtotalFen).toBe(totals.lines.reduce((s, l) => s + l.lineTotalFen, 0));
        expect(totals.totalFen).toBe(totals.subtotalFen + shipping);
      }),
    );
  });

  it('prices a tiered line like the listing core (12 kg at 65.00/kg = 780.00)', () => {
    expect(orderTotals([{ grams: 12_000, priceFenPerKg: 6500 }])).toMatchObject({ subtotalFen: 78_000, totalFen: 78_000, shippingFen: 0 });
    expect(orderTotals([{ grams: 1, priceFenPerKg: 500 }]).totalFen).toBe(1); // 0.5 fen rounds up
    expect(codeOf(() => orderTotals([], 1.5))).toBe('VALIDATION');
  });

  it('property: any sequence of refunds never exceeds the capture', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.array(fc.option(fc.integer({ min: -5, max: 5_000_000 }), { nil: undefined }), { maxLength: 15 }), (captured, asks) => {
        const done: number[] = [];
        for (const ask of asks) {
          try {
            done.push(planRefund(captured, done, ask));
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
          }
          const sum = done.reduce((s, r) => s + r, 0);
          expect(sum).toBeLessThanOrEqual(captured);
          expect(refundableFen(captured, done)).toBe(captured - sum);
        }
        for (const r of done) expect(Number.isSafeInteger(r) && r > 0).toBe(true);
      }),
    );
  });

  it('refund edges: default is everything left, then nothing; too much and decimals are refused', () => {
    expect(planRefund(10_000, [])).toBe(10_000);
    expect(planRefund(10_000, [3000])).toBe(7000);
    expect(codeOf(() => planRefund(10_000, [10_000]))).toBe('PRECONDITION_FAILED');
    expect(codeOf(() => planRefund(10_000, [3000], 7001))).toBe('VALIDATION');
    expect(codeOf(() => planRefund(10_000, [], 12.5))).toBe('VALIDATION');
    expect(statusAfterRefund(10_000, 3000)).toBe('partially_refunded');
    expect(statusAfterRefund(10_000, 10_000)).toBe('refunded');
  });
});
