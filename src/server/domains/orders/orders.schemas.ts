import { z } from 'zod';
import { ORDER_STATUSES } from './orders.core.ts';

/** Inputs of the orders API (zod at the edge: integer grams and fen, keys, reasons). */
const id = z.string().trim().min(1).max(64);
const grams = z.number().int().positive().max(1_000_000_000);
export const idempotencyKey = z.string().trim().min(8).max(100);
const reason = z.string().trim().min(1).max(500);

/** Sandbox / Stripe test payment methods the checkout offers. */
export const PAYMENT_METHODS = ['pm_card_visa', 'pm_card_mastercard', 'pm_card_unionpay', 'pm_card_chargeDeclined', 'pm_card_chargeDeclinedInsufficientFunds'] as const;

export const addToCartInput = z.object({ listingId: id, grams });
export const updateCartItemInput = z.object({ id, grams });
export const removeCartItemInput = z.object({ id });
export const checkoutInput = z.object({ idempotencyKey, paymentMethod: z.enum(PAYMENT_METHODS).default('pm_card_visa') });
export const myOrdersInput = z.object({ side: z.enum(['buyer', 'seller']).default('buyer'), status: z.enum(ORDER_STATUSES).optional() });
export const orderIdInput = z.object({ id });
export const rejectInput = z.object({ id, reason });
export const cancelInput = z.object({ id, reason: reason.optional() });
export const refundInput = z.object({ id, idempotencyKey, amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() });

export type AddToCartInput = z.infer<typeof addToCartInput>;
export type UpdateCartItemInput = z.infer<typeof updateCartItemInput>;
export type CheckoutInput = z.input<typeof checkoutInput>;
export type MyOrdersInput = z.input<typeof myOrdersInput>;
export type RefundInput = z.infer<typeof refundInput>;
