import type { ProductForm } from '../catalog/products.core.ts';
import type { OrderStatus } from './orders.core.ts';

/**
 * Call-offs on tender framework contracts, pure. A call-off is carried out by an ordinary order
 * (source = call_off); what it counts for in completion tracking is read from that order's state:
 *
 * - **ordered**: the order is alive. A cancelled or rejected order (the payment window lapsed, the
 *   buyer or the seller cancelled, the seller rejected it) or a fully refunded one frees its grams:
 *   the member may call them off again.
 * - **delivered**: the buyer confirmed delivery (the order reached `delivered` at some point: it may
 *   have completed, been partly refunded or disputed since) and it was not refunded in full.
 */
export const CALL_OFF_FREED_STATUSES: readonly OrderStatus[] = ['cancelled', 'rejected', 'refunded'];

export interface CallOffOrderState {
  grams: number;
  orderStatus: string;
  /** When the buyer confirmed delivery (the order's first move to `delivered`), if it did. */
  deliveredAt: Date | null;
}

export function isCallOffOrdered(state: Pick<CallOffOrderState, 'orderStatus'>): boolean {
  return !(CALL_OFF_FREED_STATUSES as readonly string[]).includes(state.orderStatus);
}

/** Grams a call-off counts as ordered and as delivered, from its order's state. */
export function callOffVolume(state: CallOffOrderState): { orderedG: number; deliveredG: number } {
  if (!isCallOffOrdered(state)) return { orderedG: 0, deliveredG: 0 };
  return { orderedG: state.grams, deliveredG: state.deliveredAt ? state.grams : 0 };
}

/** What is left of an allocation: agreed minus the grams of live call-offs, never below zero. */
export function allocationLeftG(agreedG: number, states: readonly Pick<CallOffOrderState, 'grams' | 'orderStatus'>[]): number {
  const ordered = states.filter(isCallOffOrdered).reduce((sum, s) => sum + s.grams, 0);
  return Math.max(0, agreedG - ordered);
}

/**
 * The product form a tender lot's spec names (“饮片 · 切片 · 生 · 统货” → decoction pieces), or null
 * when the spec does not say: the lot a supplier allocates must be of that form, and the order line's
 * VAT rate follows it (an unknown form is taxed at the standard rate, tax.core.ts).
 */
export function formOfTenderSpec(spec: string): ProductForm | null {
  if (/颗粒|granule/i.test(spec)) return 'granule';
  if (/饮片|decoction/i.test(spec)) return 'decoction_piece';
  if (/药材|原药|\braw\b/i.test(spec)) return 'raw';
  return null;
}

export interface LotCandidate {
  herbName: string;
  form: string;
  availableG: number;
  /** YYYY-MM-DD */
  expiryDate: string;
}

export type LotUnfitReason = 'herb' | 'form' | 'stock' | 'expired';

/**
 * Whether one of the seller's lots can fill a call-off line: the tender lot's variety, the spec's form
 * (when it names one), enough unreserved grams, and not expired on `today` (YYYY-MM-DD, China).
 */
export function lotUnfitReason(candidate: LotCandidate, need: { herbName: string; spec: string; grams: number; today: string }): LotUnfitReason | null {
  if (candidate.herbName !== need.herbName) return 'herb';
  const form = formOfTenderSpec(need.spec);
  if (form && candidate.form !== form) return 'form';
  if (candidate.expiryDate < need.today) return 'expired';
  if (candidate.availableG < need.grams) return 'stock';
  return null;
}
