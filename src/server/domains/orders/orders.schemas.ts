import { z } from 'zod';
import { shipmentDetailsInput } from '../delivery/shipments.schemas.ts';
import { ORDER_STATUSES, PAYMENT_METHODS } from './orders.core.ts';

/** Inputs of the orders API (zod at the edge: integer grams and fen, keys, reasons). */
const id = z.string().trim().min(1).max(64);
const grams = z.number().int().positive().max(1_000_000_000);
export const idempotencyKey = z.string().trim().min(8).max(100);
const reason = z.string().trim().min(1).max(500);

const reference = z.string().trim().min(4).max(64);
/** Money columns are 32-bit integers: at most ¥20,000,000.00 per order, invoice or credit line. */
const MAX_FEN = 2_000_000_000;

export const addToCartInput = z.object({ listingId: id, grams });
export const updateCartItemInput = z.object({ id, grams });
export const removeCartItemInput = z.object({ id });
export const checkoutInput = z.object({ idempotencyKey, paymentMethod: z.enum(PAYMENT_METHODS).default('card') });
export const payInput = z.object({ checkoutKey: idempotencyKey, outcome: z.enum(['confirm', 'decline']).default('confirm') });
export const checkoutKeyInput = z.object({ checkoutKey: idempotencyKey });
export const confirmTransferInput = z.object({ id, reference, amountFen: z.number().int().positive().max(MAX_FEN) });
export const markInvoicePaidInput = z.object({ id, reference });
export const setCreditLineInput = z.object({ buyerOrgId: id, limitFen: z.number().int().min(0).max(MAX_FEN), termDays: z.number().int().min(1).max(180) });
export const disputeInput = z.object({ id, reason });
export const myOrdersInput = z.object({ side: z.enum(['buyer', 'seller']).default('buyer'), status: z.enum(ORDER_STATUSES).optional() });
export const orderIdInput = z.object({ id });
/**
 * Shipping: with `shipment` (carrier, tracking number, parcels, weight…) the order is tracked to the
 * door (a shipment the carrier's webhooks move); without it, the seller delivers by its own means and
 * the buyer's confirmation is the only proof.
 */
export const shipOrderInput = z.object({ id, shipment: shipmentDetailsInput.optional() });
export type ShipOrderInput = z.input<typeof shipOrderInput>;
/** `lotId`: for a tender call-off, the seller's lot to ship from (reserved at acceptance). */
export const acceptInput = z.object({ id, lotId: id.optional() });
export const rejectInput = z.object({ id, reason });
export const cancelInput = z.object({ id, reason: reason.optional() });
export const refundInput = z.object({ id, idempotencyKey, amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() });

export type AddToCartInput = z.infer<typeof addToCartInput>;
export type UpdateCartItemInput = z.infer<typeof updateCartItemInput>;
export type CheckoutInput = z.input<typeof checkoutInput>;
export type MyOrdersInput = z.input<typeof myOrdersInput>;
export type RefundInput = z.infer<typeof refundInput>;
export type PayInput = z.infer<typeof payInput>;
export type ConfirmTransferInput = z.infer<typeof confirmTransferInput>;
export type MarkInvoicePaidInput = z.infer<typeof markInvoicePaidInput>;
export type SetCreditLineInput = z.infer<typeof setCreditLineInput>;
