import { z } from 'zod';
import { defineJob, type AnyJobDefinition } from '../../jobs/define.ts';
import type { Payments } from '../../integrations/payments/payments.port.ts';
import { appPayments } from '../../integrations/payments/payments.ts';
import { expireOrder, releaseFunding, releaseOrphanFunding } from './market.funding.ts';
import { createTradeOrders } from './market.trade-orders.ts';

/**
 * The market's outbox jobs. `market.expire-order` cancels a GTC order at its expiry (a logged cancel
 * like a member's, so a replay of the log keeps it); `market.release-funding` cancels the card
 * authorisation of a buy order that no longer rests; `market.release-orphan-funding` gives back a card
 * hold whose order never reached the log (the process died in between); `market.trade-orders` turns
 * trades into orders. All are idempotent.
 */
const id = z.string().min(1).max(64);

/** The authorisation request of a card-funded buy, kept so the job can repeat it (same idempotency key → the same payment intent). */
const cardAuthorisationRequest = z.object({
  amountFen: z.number().int().positive(),
  currency: z.literal('cny'),
  orderId: z.string().min(1).max(500),
  idempotencyKey: z.string().min(1).max(300),
  paymentMethod: z.string().min(1).max(200),
  captureMethod: z.literal('manual'),
  paymentMethodType: z.literal('card'),
  description: z.string().max(500),
  metadata: z.record(z.string().max(40), z.string().max(500)),
});
export type CardAuthorisationRequest = z.infer<typeof cardAuthorisationRequest>;

export function marketJobsWith(paymentsFor: () => Payments) {
  const expire = defineJob({
    name: 'market.expire-order',
    payload: z.object({ instrumentId: id, orderId: id }),
    maxAttempts: 20,
    backoffMs: 60_000,
    handler: ({ instrumentId, orderId }, ctx) => expireOrder(ctx.db, instrumentId, orderId),
  });
  const release = defineJob({
    name: 'market.release-funding',
    payload: z.object({ orderId: id }),
    maxAttempts: 10,
    backoffMs: 5_000,
    handler: ({ orderId }, ctx) => releaseFunding(ctx.db, paymentsFor(), orderId),
  });
  const releaseOrphan = defineJob({
    name: 'market.release-orphan-funding',
    payload: z.object({ orgId: id, idempotencyKey: z.string().min(1).max(200), request: cardAuthorisationRequest }),
    maxAttempts: 10,
    backoffMs: 30_000,
    handler: (payload, ctx) => releaseOrphanFunding(ctx.db, paymentsFor(), payload),
  });
  const tradeOrders = defineJob({
    name: 'market.trade-orders',
    payload: z.object({ tradeIds: z.array(id).min(1).max(10_000) }),
    maxAttempts: 10,
    backoffMs: 2_000,
    handler: ({ tradeIds }, ctx) => createTradeOrders(ctx.db, tradeIds),
  });
  return { expire, release, releaseOrphan, tradeOrders, list: [expire, release, releaseOrphan, tradeOrders] as readonly AnyJobDefinition[] };
}

const app = marketJobsWith(() => appPayments());
export const expireOrderJob = app.expire;
export const releaseFundingJob = app.release;
export const releaseOrphanFundingJob = app.releaseOrphan;
export const tradeOrdersJob = app.tradeOrders;
/** Registered in `jobs/registry.ts`. */
export const marketJobList: readonly AnyJobDefinition[] = app.list;
