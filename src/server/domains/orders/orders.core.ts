import { AppError } from '../../../lib/errors.ts';
import { yuanText } from '../../../lib/amount-text.ts';
import { msg } from '../../../lib/messages.ts';
import { lineTotalFen } from '../catalog/listings.core.ts';

/**
 * The order state machine and order arithmetic, pure (ARCHITECTURE.md: state machines as data, money
 * integer fen). Each transition names who may make it: the buyer, the seller or the system (payment
 * jobs and webhooks).
 */
export const ORDER_STATUSES = [
  'pending_payment',
  'payment_failed',
  'paid',
  'accepted',
  'rejected',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'partially_refunded',
  'refunded',
  'disputed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderActorRole = 'buyer' | 'seller' | 'system';

export interface OrderTransition {
  from: OrderStatus;
  to: OrderStatus;
  by: readonly OrderActorRole[];
}

/** Every allowed move. Anything not listed is INVALID_TRANSITION. */
export const ORDER_TRANSITIONS: readonly OrderTransition[] = [
  // Payment: authorisation (job or webhook), a bank transfer the seller reconciled, or net terms.
  { from: 'pending_payment', to: 'paid', by: ['system', 'seller'] },
  { from: 'pending_payment', to: 'payment_failed', by: ['system'] },
  { from: 'pending_payment', to: 'cancelled', by: ['buyer', 'seller', 'system'] },
  // A declined payment: the buyer tries again within the payment window, or the order lapses.
  { from: 'payment_failed', to: 'pending_payment', by: ['buyer'] },
  { from: 'payment_failed', to: 'cancelled', by: ['buyer', 'system'] },
  // Seller workbench.
  { from: 'paid', to: 'accepted', by: ['seller'] },
  { from: 'paid', to: 'rejected', by: ['seller'] },
  { from: 'paid', to: 'cancelled', by: ['buyer', 'seller'] },
  { from: 'accepted', to: 'shipped', by: ['seller'] },
  { from: 'accepted', to: 'cancelled', by: ['buyer', 'seller'] },
  // Delivery: the buyer confirms; completed once delivered and captured.
  { from: 'shipped', to: 'delivered', by: ['buyer'] },
  { from: 'delivered', to: 'completed', by: ['system'] },
  // Refunds of captured money (settled by the refund job or the charge.refunded webhook).
  { from: 'shipped', to: 'partially_refunded', by: ['system'] },
  { from: 'shipped', to: 'refunded', by: ['system'] },
  { from: 'delivered', to: 'partially_refunded', by: ['system'] },
  { from: 'delivered', to: 'refunded', by: ['system'] },
  { from: 'completed', to: 'partially_refunded', by: ['system'] },
  { from: 'completed', to: 'refunded', by: ['system'] },
  { from: 'partially_refunded', to: 'partially_refunded', by: ['system'] },
  { from: 'partially_refunded', to: 'refunded', by: ['system'] },
  // Disputes: the buyer disputes what arrived (or did not); a refund settles it, or the buyer withdraws.
  { from: 'shipped', to: 'disputed', by: ['buyer'] },
  { from: 'delivered', to: 'disputed', by: ['buyer'] },
  { from: 'disputed', to: 'delivered', by: ['buyer'] },
  { from: 'disputed', to: 'partially_refunded', by: ['system'] },
  { from: 'disputed', to: 'refunded', by: ['system'] },
];

export const INITIAL_ORDER_STATUS: OrderStatus = 'pending_payment';

/** Statuses with no way out. */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => !ORDER_TRANSITIONS.some((t) => t.from === s && t.to !== s));

/** Stock is held (reservations not released) in these statuses; a declined order keeps it for a retry. */
export const STOCK_HELD_STATUSES: readonly OrderStatus[] = ['pending_payment', 'payment_failed', 'paid', 'accepted'];

/** The seller may ask for a refund of captured money in these statuses. */
export const REFUNDABLE_STATUSES: readonly OrderStatus[] = ['shipped', 'delivered', 'completed', 'partially_refunded', 'disputed'];

// ---------------------------------------------------------------------------------------------------
// Payment methods

/**
 * How a buyer pays. Cards are authorised at checkout and captured at shipment (manual capture);
 * Alipay and WeChat Pay do not support a separate capture, so they are charged when the buyer pays
 * and refunded if the order is cancelled before shipment; a bank transfer (对公转账) is reconciled
 * by the seller; net terms (账期) use the credit line the seller granted the buyer.
 */
export const PAYMENT_METHODS = ['card', 'alipay', 'wechat_pay', 'bank_transfer', 'net_terms'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Methods paid through the payments port (the checkout page), as opposed to offline ones. */
export const ONLINE_PAYMENT_METHODS: readonly PaymentMethod[] = ['card', 'alipay', 'wechat_pay'];

export function isOnlineMethod(method: string): boolean {
  return (ONLINE_PAYMENT_METHODS as readonly string[]).includes(method);
}

/** Charged at once (no manual capture) for these methods. */
export function capturesAtPayment(method: string): boolean {
  return method === 'alipay' || method === 'wechat_pay';
}

/** How long an unpaid (or declined) order holds its stock before it lapses. */
export function paymentWindowMs(method: string): number {
  return method === 'bank_transfer' ? 3 * 24 * 3600_000 : 30 * 60_000;
}

/**
 * The test payment method the payments sandbox (or Stripe test mode for cards) confirms with, for the
 * buyer's choice on the test checkout page: pay, or simulate a decline.
 */
export function testPaymentMethod(method: string, outcome: 'confirm' | 'decline'): string {
  if (outcome === 'decline') return 'pm_card_chargeDeclined';
  if (method === 'alipay') return 'pm_alipay';
  if (method === 'wechat_pay') return 'pm_wechat_pay';
  return 'pm_card_visa';
}

// ---------------------------------------------------------------------------------------------------
// Net terms

/** Due date of a net-terms invoice: `termDays` after it is issued. */
export function invoiceDueAt(issuedAt: Date, termDays: number): Date {
  return new Date(issuedAt.getTime() + termDays * 24 * 3600_000);
}

/**
 * Whether a new net-terms order of `totalFen` fits the buyer's credit line: nothing overdue, and the
 * unpaid balance (open orders on terms and open invoices) plus this order within the limit.
 */
export function creditCheck(input: { limitFen: number; outstandingFen: number; overdueInvoices: number; totalFen: number }): { ok: true } | { ok: false; reason: 'overdue' | 'over_limit'; availableFen: number } {
  if (fitsCreditLine(input, input.totalFen)) return { ok: true };
  return { ok: false, reason: input.overdueInvoices > 0 ? 'overdue' : 'over_limit', availableFen: Math.max(0, input.limitFen - input.outstandingFen) };
}

/**
 * The rule of `creditCheck` — nothing overdue, and the order within what the limit leaves — without
 * building an answer: the market writer checks each of a buyer's credit lines for every net-terms buy.
 */
export function fitsCreditLine(line: { limitFen: number; outstandingFen: number; overdueInvoices: number }, totalFen: number): boolean {
  return line.overdueInvoices <= 0 && totalFen <= Math.max(0, line.limitFen - line.outstandingFen);
}

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

export function findTransition(from: OrderStatus, to: OrderStatus): OrderTransition | undefined {
  return ORDER_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

export function canTransition(from: OrderStatus, to: OrderStatus, by?: OrderActorRole): boolean {
  const transition = findTransition(from, to);
  return Boolean(transition && (by === undefined || transition.by.includes(by)));
}

/**
 * Checks a move: a move missing from the table is INVALID_TRANSITION; a move in the table that this
 * party may not make is FORBIDDEN (a buyer cannot ship, a seller cannot confirm delivery).
 */
export function assertTransition(from: string, to: OrderStatus, by: OrderActorRole): OrderStatus {
  const current = isOrderStatus(from) ? from : null;
  const transition = current ? findTransition(current, to) : undefined;
  if (!current || !transition) throw new AppError('INVALID_TRANSITION', msg('orders.invalidTransition', { from, to }), { field: 'id', from, to });
  if (!transition.by.includes(by)) throw new AppError('FORBIDDEN', msg('orders.notYourMove', { to }), { field: 'id', from, to });
  return current;
}

/** Every status reachable from `start` through the table (breadth first). */
export function reachableStatuses(start: OrderStatus = INITIAL_ORDER_STATUS): Set<OrderStatus> {
  const seen = new Set<OrderStatus>([start]);
  const queue: OrderStatus[] = [start];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const t of ORDER_TRANSITIONS) {
      if (t.from === current && !seen.has(t.to)) {
        seen.add(t.to);
        queue.push(t.to);
      }
    }
  }
  return seen;
}

// ---------------------------------------------------------------------------------------------------
// Money

export interface PricedLine {
  grams: number;
  priceFenPerKg: number;
}

export interface OrderTotals {
  lines: { grams: number; priceFenPerKg: number; lineTotalFen: number }[];
  subtotalFen: number;
  shippingFen: number;
  totalFen: number;
}

function assertFen(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new AppError('VALIDATION', msg('field.integerFen'), { field });
}

/** Line totals (tier price × grams, the listing core's rounding) and the order total, all integer fen. */
export function orderTotals(lines: readonly PricedLine[], shippingFen = 0): OrderTotals {
  assertFen(shippingFen, 'shippingFen');
  const priced = lines.map((l) => ({ grams: l.grams, priceFenPerKg: l.priceFenPerKg, lineTotalFen: lineTotalFen(l.priceFenPerKg, l.grams) }));
  const subtotalFen = priced.reduce((sum, l) => sum + l.lineTotalFen, 0);
  if (!Number.isSafeInteger(subtotalFen + shippingFen)) throw new RangeError('order total too large');
  return { lines: priced, subtotalFen, shippingFen, totalFen: subtotalFen + shippingFen };
}

/** What may still be refunded: captured minus every refund already asked for (requested or settled). */
export function refundableFen(capturedFen: number, refundsFen: readonly number[]): number {
  const asked = refundsFen.reduce((sum, r) => sum + r, 0);
  return Math.max(0, capturedFen - asked);
}

/**
 * The amount of a new refund: `requested` (default: everything refundable). Refuses non-integer or
 * non-positive amounts and anything above what is refundable, so refunds never exceed the capture.
 */
export function planRefund(capturedFen: number, refundsFen: readonly number[], requested?: number): number {
  const left = refundableFen(capturedFen, refundsFen);
  const amount = requested ?? left;
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    if (requested === undefined) throw new AppError('PRECONDITION_FAILED', msg('orders.nothingToRefund'), { field: 'amountFen' });
    throw new AppError('VALIDATION', msg('field.integerFen'), { field: 'amountFen' });
  }
  if (amount > left) throw new AppError('VALIDATION', msg('orders.refundTooLarge', { max: yuanText(left) }), { field: 'amountFen', max: left });
  return amount;
}

/** The status after refunds totalling `refundedFen` of `capturedFen` settled. */
export function statusAfterRefund(capturedFen: number, refundedFen: number): 'refunded' | 'partially_refunded' {
  return refundedFen >= capturedFen ? 'refunded' : 'partially_refunded';
}

/** A spot market trade binds both parties: its buyer may not cancel the order alone (the seller may still reject it). */
export function buyerMayCancel(source: string): boolean {
  return source !== 'market';
}
