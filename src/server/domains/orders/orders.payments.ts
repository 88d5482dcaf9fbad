import { and, eq } from 'drizzle-orm';
import { newId } from '../../../lib/ids.ts';
import type { Db, Tx } from '../../db/client.ts';
import { order, orderRefund } from '../../db/schema/index.ts';
import { isPaymentError, type Payments, type PaymentSnapshot } from '../../integrations/payments/payments.port.ts';
import type { PaymentEventSink } from '../../integrations/payments/webhook.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { canTransition, capturesAtPayment, isOnlineMethod, isOrderStatus, refundableFen, statusAfterRefund, type OrderStatus } from './orders.core.ts';
import { cancelPaymentJob, refundPaymentJob } from './orders.jobs.ts';
import { findOrder, lockOrder, lockOrderByPaymentIntent, refundsOf, type OrderRow } from './orders.repo.ts';
import { moveOrder, recordEvent, SYSTEM, type OrderMover } from './orders.transitions.ts';

/**
 * The payment side of orders. The payments port is only ever called from outbox jobs (never inside a
 * transaction: in embedded mode the sandbox shares the database connection), with idempotency keys
 * derived from the order; the results, and the provider's webhook events, are applied by the
 * `apply*` functions, which compare with the order's own state so late or duplicate news is a no-op.
 */
export const authorizeKey = (orderId: string, attempt: number) => `orders.authorize:${orderId}:${attempt}`;
export const captureKey = (orderId: string) => `orders.capture:${orderId}`;
export const cancelKey = (orderId: string) => `orders.cancel:${orderId}`;
export const refundKey = (refundId: string) => `orders.refund:${refundId}`;

function statusOf(row: OrderRow): OrderStatus | null {
  return isOrderStatus(row.status) ? row.status : null;
}

/** News about an earlier payment attempt than the order's current one (its intent carries `attempt`). */
function isStaleAttempt(row: OrderRow, payment: PaymentSnapshot): boolean {
  const attempt = payment.metadata.attempt;
  return attempt !== undefined && attempt !== String(row.paymentAttempt);
}

/**
 * Authorised (`requires_capture`), charged at once (`succeeded`, wallets) or declined:
 * pending_payment → paid | payment_failed. A declined order keeps its stock for a retry until its
 * payment window closes (`orders.expire-unpaid`).
 */
export async function applyAuthorization(tx: Tx, current: OrderRow, payment: PaymentSnapshot): Promise<void> {
  if (isStaleAttempt(current, payment)) return;
  const charged = payment.status === 'succeeded';
  const authorized = payment.status === 'requires_capture' || charged;
  const declined = !authorized && payment.status === 'requires_payment_method';
  if (!authorized && !declined) return;
  let row = current;
  if (!row.paymentIntentId) {
    const [updated] = await tx.update(order).set({ paymentIntentId: payment.paymentIntentId }).where(eq(order.id, row.id)).returning();
    row = updated ?? row;
  }
  if (row.status === 'pending_payment') {
    if (charged) {
      await moveOrder(tx, row, 'paid', SYSTEM, {
        set: { paymentStatus: 'captured', authorizedFen: payment.amountFen, capturedFen: Math.min(payment.amountReceivedFen, row.totalFen), paymentIntentId: payment.paymentIntentId },
        data: { payment: 'charged', paymentIntentId: payment.paymentIntentId, capturedFen: payment.amountReceivedFen },
      });
    } else if (authorized) {
      await moveOrder(tx, row, 'paid', SYSTEM, {
        set: { paymentStatus: 'authorized', authorizedFen: payment.amountCapturableFen, paymentIntentId: payment.paymentIntentId },
        data: { payment: 'authorized', paymentIntentId: payment.paymentIntentId, authorizedFen: payment.amountCapturableFen },
      });
    } else {
      await moveOrder(tx, row, 'payment_failed', SYSTEM, {
        reason: payment.decline?.message ?? null,
        set: { paymentStatus: 'declined' },
        data: { payment: 'declined', paymentIntentId: payment.paymentIntentId, declineCode: payment.decline?.declineCode ?? payment.decline?.code ?? null },
      });
    }
    return;
  }
  // Cancelled while the payment was in flight: give the money back (release the hold, or refund a charge).
  if (authorized && row.paymentStatus === 'none' && (row.status === 'cancelled' || row.status === 'rejected')) {
    const [updated] = await tx
      .update(order)
      .set(charged ? { paymentStatus: 'captured', authorizedFen: payment.amountFen, capturedFen: Math.min(payment.amountReceivedFen, row.totalFen) } : { paymentStatus: 'authorized', authorizedFen: payment.amountCapturableFen })
      .where(eq(order.id, row.id))
      .returning();
    if (updated) await releasePayment(tx, updated, SYSTEM);
  }
}

/**
 * Gives the buyer's money back after a cancellation or rejection: an uncaptured hold is released (job),
 * a charge (wallets) is refunded in full (job); a bank transfer is refunded by the seller outside the
 * platform, recorded here as settled. Net terms: nothing was paid.
 */
export async function releasePayment(tx: Tx, row: OrderRow, mover: OrderMover): Promise<void> {
  if (row.paymentIntentId && row.paymentStatus === 'authorized') {
    await enqueue(tx, cancelPaymentJob, { orderId: row.id }, { dedupeKey: `orders.cancel-payment:${row.id}` });
    return;
  }
  if (row.paymentStatus !== 'captured') return;
  const refunds = await refundsOf(tx, row.id);
  const amountFen = refundableFen(
    row.capturedFen,
    refunds.map((r) => r.amountFen),
  );
  if (amountFen <= 0) return;
  const refundId = newId('rfd');
  const offline = !isOnlineMethod(row.paymentMethod);
  await tx.insert(orderRefund).values({
    id: refundId,
    orderId: row.id,
    amountFen,
    idempotencyKey: `release:${row.id}`,
    status: offline ? 'succeeded' : 'requested',
    requestedByUserId: mover.userId,
    ...(offline ? { settledAt: new Date() } : {}),
  });
  await recordEvent(tx, row, { from: row.status, to: row.status, mover, data: { payment: offline ? 'refunded_offline' : 'refund_requested', refundId, amountFen } });
  if (offline) await tx.update(order).set({ refundedFen: row.refundedFen + amountFen, updatedAt: new Date() }).where(eq(order.id, row.id));
  else await enqueue(tx, refundPaymentJob, { refundId }, { dedupeKey: `orders.refund-payment:${refundId}` });
}

/** Captured money recorded once; a delivered order then completes. */
export async function applyCapture(tx: Tx, current: OrderRow, capturedFen: number): Promise<void> {
  let row = current;
  const amount = Math.min(capturedFen, row.totalFen);
  if (amount > row.capturedFen) {
    const [updated] = await tx.update(order).set({ capturedFen: amount, paymentStatus: 'captured', updatedAt: new Date() }).where(eq(order.id, row.id)).returning();
    if (!updated) return;
    row = updated;
    await recordEvent(tx, row, { from: row.status, to: row.status, mover: SYSTEM, data: { payment: 'captured', amountFen: amount } });
  }
  const status = statusOf(row);
  if (status === 'delivered' && row.capturedFen > 0 && canTransition(status, 'completed', 'system')) await moveOrder(tx, row, 'completed', SYSTEM);
}

/** The authorisation was released (cancel job or webhook). */
export async function applyCancellation(tx: Tx, current: OrderRow): Promise<void> {
  if (current.paymentStatus !== 'authorized' && current.paymentStatus !== 'none') return;
  if (current.status !== 'cancelled' && current.status !== 'rejected' && current.status !== 'payment_failed') return;
  await tx.update(order).set({ paymentStatus: 'canceled', updatedAt: new Date() }).where(eq(order.id, current.id));
  await recordEvent(tx, current, { from: current.status, to: current.status, mover: SYSTEM, data: { payment: 'authorization_canceled' } });
}

/**
 * Refunded money so far is the larger of what we know (settled refund rows, the provider's cumulative
 * figure): monotone, never above the capture, so a replayed or late event changes nothing.
 */
export async function applyRefunded(tx: Tx, current: OrderRow, knownRefundedFen: number): Promise<void> {
  const refunded = Math.min(Math.max(current.refundedFen, knownRefundedFen), current.capturedFen);
  if (refunded <= current.refundedFen) return;
  const status = statusOf(current);
  const to = statusAfterRefund(current.capturedFen, refunded);
  if (status && canTransition(status, to, 'system')) {
    await moveOrder(tx, current, to, SYSTEM, { set: { refundedFen: refunded }, data: { payment: 'refunded', refundedFen: refunded } });
  } else {
    await tx.update(order).set({ refundedFen: refunded, updatedAt: new Date() }).where(eq(order.id, current.id));
  }
}

/** The orders domain's webhook sink (composed with the recording sink in `appPaymentEventSink`). */
export const ordersPaymentSink: PaymentEventSink = {
  async handle(tx, event) {
    const orderId = event.type === 'charge.refunded' ? event.orderId : event.payment.orderId;
    const intentId = event.type === 'charge.refunded' ? event.paymentIntentId : event.payment.paymentIntentId;
    const row = (orderId ? await lockOrder(tx, orderId) : undefined) ?? (await lockOrderByPaymentIntent(tx, intentId));
    if (!row) return; // not an order's payment (e.g. the sandbox's own tests)
    if (row.paymentIntentId && row.paymentIntentId !== intentId) return; // an older intent
    switch (event.type) {
      case 'payment_intent.amount_capturable_updated':
      case 'payment_intent.payment_failed':
        await applyAuthorization(tx, row, event.payment);
        return;
      case 'payment_intent.succeeded':
        // A wallet charge is the payment itself; for a card it is the capture at shipment.
        if (capturesAtPayment(row.paymentMethod) && (row.status === 'pending_payment' || row.paymentStatus === 'none')) await applyAuthorization(tx, row, event.payment);
        else await applyCapture(tx, row, event.payment.amountReceivedFen);
        return;
      case 'payment_intent.canceled':
        await applyCancellation(tx, row);
        return;
      case 'charge.refunded':
        await applyRefunded(tx, row, event.amountRefundedFen);
        return;
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// Job bodies (idempotent: keys derived from the order, "already done?" checks first)

export async function runAuthorize(db: Db, payments: Payments, job: { orderId: string; attempt: number; paymentMethod: string }): Promise<void> {
  const { orderId, attempt } = job;
  const row = await findOrder(db, orderId);
  if (!row || row.status !== 'pending_payment' || row.paymentAttempt !== attempt || !isOnlineMethod(row.paymentMethod)) return;
  const wallet = capturesAtPayment(row.paymentMethod);
  const result = await payments.authorize({
    amountFen: row.totalFen,
    currency: 'cny',
    orderId: row.id,
    idempotencyKey: authorizeKey(row.id, attempt),
    paymentMethod: job.paymentMethod,
    captureMethod: wallet ? 'automatic' : 'manual',
    paymentMethodType: row.paymentMethod === 'alipay' ? 'alipay' : row.paymentMethod === 'wechat_pay' ? 'wechat_pay' : 'card',
    description: `Bencao order ${row.id}`,
    metadata: { buyer_org_id: row.buyerOrgId, seller_org_id: row.sellerOrgId, attempt: String(attempt) },
  });
  await db.transaction(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    if (locked) await applyAuthorization(tx, locked, result);
  });
}

export async function runCapture(db: Db, payments: Payments, orderId: string): Promise<void> {
  const row = await findOrder(db, orderId);
  if (!row?.paymentIntentId || row.capturedFen > 0 || row.paymentStatus !== 'authorized') return;
  const snapshot = await payments.capture(row.paymentIntentId, { idempotencyKey: captureKey(row.id) });
  await db.transaction(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    if (locked) await applyCapture(tx, locked, snapshot.amountReceivedFen);
  });
}

export async function runCancel(db: Db, payments: Payments, orderId: string): Promise<void> {
  const row = await findOrder(db, orderId);
  if (!row?.paymentIntentId || row.paymentStatus !== 'authorized') return;
  try {
    await payments.cancel(row.paymentIntentId, cancelKey(row.id));
  } catch (error) {
    // Already cancelled at the provider (e.g. by an earlier attempt): fall through and record it.
    if (!(isPaymentError(error) && error.reason === 'invalid_state')) throw error;
    const current = await payments.retrieve(row.paymentIntentId);
    if (current.status !== 'canceled') throw error;
  }
  await db.transaction(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    if (locked) await applyCancellation(tx, locked);
  });
}

export async function runRefund(db: Db, payments: Payments, refundId: string): Promise<void> {
  const [refund] = await db.select().from(orderRefund).where(eq(orderRefund.id, refundId));
  if (!refund || refund.status === 'succeeded') return;
  const row = await findOrder(db, refund.orderId);
  if (!row?.paymentIntentId) return;
  const result = await payments.refund(row.paymentIntentId, { amountFen: refund.amountFen, idempotencyKey: refundKey(refund.id), reason: 'requested_by_customer' });
  await db.transaction(async (tx) => {
    const locked = await lockOrder(tx, refund.orderId);
    if (!locked) return;
    await tx
      .update(orderRefund)
      .set({ status: 'succeeded', providerRefundId: result.refundId, settledAt: new Date() })
      .where(and(eq(orderRefund.id, refund.id), eq(orderRefund.status, 'requested')));
    const settled = (await refundsOf(tx, locked.id)).filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amountFen, 0);
    await applyRefunded(tx, locked, settled);
  });
}
