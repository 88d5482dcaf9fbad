import { z } from 'zod';
import { defineJob, type AnyJobDefinition } from '../../jobs/define.ts';
import type { Payments } from '../../integrations/payments/payments.port.ts';
import { appPayments } from '../../integrations/payments/payments.ts';
import { markInvoiceOverdue } from './credit.service.ts';
import { expireUnpaidOrder } from './payment-page.service.ts';
import { runAuthorize, runCancel, runCapture, runRefund } from './orders.payments.ts';

/**
 * The orders domain's outbox jobs: every payments call happens here, after the domain transaction
 * committed, with idempotency keys derived from the order (or refund). `ordersJobsWith` lets tests
 * point the same jobs at their own payments port; the app's use `appPayments()`.
 */
const orderPayload = z.object({ orderId: z.string().min(1).max(64) });
const refundPayload = z.object({ refundId: z.string().min(1).max(64) });
const authorizePayload = orderPayload.extend({ attempt: z.number().int().positive(), paymentMethod: z.string().min(1).max(64) });

/** An unpaid (or declined) order lapses at the end of its payment window; its stock is released. */
export const expireUnpaidJob = defineJob({
  name: 'orders.expire-unpaid',
  payload: orderPayload,
  maxAttempts: 10,
  backoffMs: 5_000,
  handler: ({ orderId }, ctx) => expireUnpaidOrder(ctx.db, orderId),
});

/** A net-terms invoice still open at its due date becomes overdue. */
export const invoiceOverdueJob = defineJob({
  name: 'orders.invoice-overdue',
  payload: orderPayload,
  maxAttempts: 10,
  backoffMs: 5_000,
  handler: ({ orderId }, ctx) => markInvoiceOverdue(ctx.db, orderId),
});

export function ordersJobsWith(paymentsFor: () => Payments) {
  const authorize = defineJob({
    name: 'orders.authorize-payment',
    payload: authorizePayload,
    maxAttempts: 8,
    backoffMs: 2_000,
    handler: (job, ctx) => runAuthorize(ctx.db, paymentsFor(), job),
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
  return { authorize, capture, cancel, refund, list: [authorize, capture, cancel, refund, expireUnpaidJob, invoiceOverdueJob] as readonly AnyJobDefinition[] };
}

const app = ordersJobsWith(() => appPayments());
export const authorizePaymentJob = app.authorize;
export const capturePaymentJob = app.capture;
export const cancelPaymentJob = app.cancel;
export const refundPaymentJob = app.refund;
/** Registered in `jobs/registry.ts`. */
export const ordersJobList: readonly AnyJobDefinition[] = app.list;
