import { AppError } from '../../../lib/errors.ts';
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
  // Payment authorisation (job or webhook).
  { from: 'pending_payment', to: 'paid', by: ['system'] },
  { from: 'pending_payment', to: 'payment_failed', by: ['system'] },
  { from: 'pending_payment', to: 'cancelled', by: ['buyer', 'seller', 'system'] },
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
];

export const INITIAL_ORDER_STATUS: OrderStatus = 'pending_payment';

/** Statuses with no way out. */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => !ORDER_TRANSITIONS.some((t) => t.from === s && t.to !== s));

/** Stock is held (reservations not released) in these statuses. */
export const STOCK_HELD_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'accepted'];

/** The seller may ask for a refund of captured money in these statuses. */
export const REFUNDABLE_STATUSES: readonly OrderStatus[] = ['shipped', 'delivered', 'completed', 'partially_refunded'];

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
  if (amount > left) throw new AppError('VALIDATION', msg('orders.refundTooLarge', { max: left }), { field: 'amountFen', max: left });
  return amount;
}

/** The status after refunds totalling `refundedFen` of `capturedFen` settled. */
export function statusAfterRefund(capturedFen: number, refundedFen: number): 'refunded' | 'partially_refunded' {
  return refundedFen >= capturedFen ? 'refunded' : 'partially_refunded';
}
