import { z } from 'zod';
import { defineJob, type AnyJobDefinition } from '../../jobs/define.ts';
import type { Payments } from '../../integrations/payments/payments.port.ts';
import { appPayments } from '../../integrations/payments/payments.ts';
import { runAuthorize, runCancel, runCapture, runRefund } from './orders.payments.ts';

/**
 * The orders domain's outbox jobs: every payments call happens here, after the domain transaction
 * committed, with idempotency keys derived from the order (or refund). `ordersJobsWith` lets tests
 * point the same jobs at their own payments port; the app's use `appPayments()`.
 */
const orderPayload = z.object({ orderId: z.string().min(1).max(64) });
const refundPayload = z.object({ refundId: z.string().min(1).max(64) });

export function ordersJobsWith(paymentsFor: () => Payments) {
  const authorize = defineJob({
    name: 'orders.authorize-payment',
    payload: orderPayload,
    maxAttempts: 8,
    backoffMs: 2_000,
    handler: ({ orderId }, ctx) => runAuthorize(ctx.db, paymentsFor(), orderId),
  });
  const capture = defineJob({
    name: 'orders.capture-payment',
    payload: orderPayload,
    maxAttempts: 10,
    backoffMs: 5_000,
    handler: ({ orderId }, ctx) => runCapture(ctx.db, paymentsFor(), orderId),
  });
  const cancel = defineJob({
    name: 'orders.cancel-payment',
    payload: orderPayload,
    maxAttempts: 10,
    backoffMs: 5_000,
    handler: ({ orderId }, ctx) => runCancel(ctx.db, paymentsFor(), orderId),
  });
  const refund = defineJob({
    name: 'orders.refund-payment',
    payload: refundPayload,
    maxAttempts: 10,
    backoffMs: 5_000,
    handler: ({ refundId }, ctx) => runRefund(ctx.db, paymentsFor(), refundId),
  });
  return { authorize, capture, cancel, refund, list: [authorize, capture, cancel, refund] as readonly AnyJobDefinition[] };
}

const app = ordersJobsWith(() => appPayments());
export const authorizePaymentJob = app.authorize;
export const capturePaymentJob = app.capture;
export const cancelPaymentJob = app.cancel;
export const refundPaymentJob = app.refund;
/** Registered in `jobs/registry.ts`. */
export const ordersJobList: readonly AnyJobDefinition[] = app.list;
