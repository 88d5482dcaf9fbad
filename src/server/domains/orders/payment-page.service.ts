import { eq } from 'drizzle-orm';
import { yuanText } from '../../../lib/amount-text.ts';
import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { order } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { isOnlineMethod, testPaymentMethod, type OrderStatus } from './orders.core.ts';
import { authorizePaymentJob } from './orders.jobs.ts';
import { releasePayment } from './orders.payments.ts';
import * as repo from './orders.repo.ts';
import type { OrderRow } from './orders.repo.ts';
import type { ConfirmTransferInput, PayInput } from './orders.schemas.ts';
import { lockOrderStock, moveOrder, releaseOrderStock, SYSTEM } from './orders.transitions.ts';
import type { OrderActor } from './orders.service.ts';

/**
 * The checkout page: the buyer pays (or, on the test page, declines) every order of one checkout that
 * waits for payment, and retries a declined one. Each try is a new payment attempt whose intent carries
 * the attempt number; the payments call happens in the `orders.authorize-payment` job.
 */

export interface CheckoutPaymentView {
  checkoutKey: string;
  orders: {
    id: string;
    sellerName: string;
    status: OrderStatus;
    paymentStatus: string;
    paymentMethod: string;
    paymentAttempt: number;
    totalFen: number;
    taxFen: number;
    closeReason: string | null;
    /** The bank's words and code when the latest attempt was declined. */
    declineMessage: string | null;
    declineCode: string | null;
    /** A payment attempt was sent and no answer has come back yet. */
    inFlight: boolean;
  }[];
  totalFen: number;
}

const inFlight = (row: OrderRow) => row.status === 'pending_payment' && row.paymentAttempt > 0;

/** The orders of the buyer's checkout, for the checkout page; another org's key finds nothing. */
export async function checkoutPayment(db: DbOrTx, actor: OrderActor, checkoutKey: string): Promise<CheckoutPaymentView> {
  const rows = await repo.ordersOfCheckout(db, actor.orgId, checkoutKey.trim());
  if (rows.length === 0) throw new AppError('NOT_FOUND', msg('orders.notFound'), { field: 'checkoutKey' });
  const names = await repo.orgNames(
    db,
    rows.map((r) => r.sellerOrgId),
  );
  const declines = new Map<string, { message: string | null; code: string | null }>();
  for (const r of rows.filter((row) => row.status === 'payment_failed')) {
    const last = (await repo.eventsOf(db, r.id)).filter((e) => e.toStatus === 'payment_failed').at(-1);
    declines.set(r.id, { message: last?.reason ?? null, code: typeof last?.data.declineCode === 'string' ? last.data.declineCode : null });
  }
  return {
    checkoutKey: checkoutKey.trim(),
    orders: rows.map((r) => ({
      id: r.id,
      sellerName: names.get(r.sellerOrgId) ?? r.sellerOrgId,
      status: r.status as OrderStatus,
      paymentStatus: r.paymentStatus,
      paymentMethod: r.paymentMethod,
      paymentAttempt: r.paymentAttempt,
      totalFen: r.totalFen,
      taxFen: r.taxFen,
      closeReason: r.closeReason,
      declineMessage: declines.get(r.id)?.message ?? null,
      declineCode: declines.get(r.id)?.code ?? null,
      inFlight: inFlight(r),
    })),
    totalFen: rows.reduce((sum, r) => sum + r.totalFen, 0),
  };
}

/**
 * Pays (or declines, on the test page) the checkout's orders that wait for payment. Safe to repeat: an
 * order whose attempt is in flight or already paid is left alone, so a double click sends one attempt.
 * A declined order goes back to pending_payment with the next attempt number.
 */
export async function payCheckout(db: Db, actor: OrderActor, input: PayInput): Promise<CheckoutPaymentView> {
  const key = input.checkoutKey.trim();
  const rows = await repo.ordersOfCheckout(db, actor.orgId, key);
  if (rows.length === 0) throw new AppError('NOT_FOUND', msg('orders.notFound'), { field: 'checkoutKey' });
  const online = rows.filter((r) => isOnlineMethod(r.paymentMethod));
  if (online.length === 0) throw new AppError('PRECONDITION_FAILED', msg('pay.notOnline', { method: rows[0]!.paymentMethod }), { field: 'checkoutKey' });
  if (!online.some((r) => (r.status === 'pending_payment' && r.paymentAttempt === 0) || r.status === 'payment_failed' || inFlight(r))) {
    const closed = online.every((r) => r.status === 'cancelled');
    throw new AppError('PRECONDITION_FAILED', msg(closed ? 'pay.windowClosed' : 'pay.nothingToPay'), { field: 'checkoutKey' });
  }
  await db.transaction(async (tx) => {
    for (const candidate of online) {
      const row = await repo.lockPartyOrder(tx, actor.orgId, candidate.id);
      if (!row) continue;
      let attempt: number;
      if (row.status === 'pending_payment' && row.paymentAttempt === 0) {
        attempt = 1;
        await tx.update(order).set({ paymentAttempt: attempt, updatedAt: new Date() }).where(eq(order.id, row.id));
      } else if (row.status === 'payment_failed') {
        attempt = row.paymentAttempt + 1;
        await moveOrder(tx, row, 'pending_payment', { role: 'buyer', userId: actor.userId, orgId: actor.orgId }, {
          set: { paymentAttempt: attempt, paymentIntentId: null, paymentStatus: 'none' },
          data: { payment: 'retry', attempt },
        });
      } else continue;
      await enqueue(tx, authorizePaymentJob, { orderId: row.id, attempt, paymentMethod: testPaymentMethod(row.paymentMethod, input.outcome) }, { dedupeKey: `orders.authorize-payment:${row.id}:${attempt}` });
    }
  });
  return checkoutPayment(db, actor, key);
}

/** Job body: an order still unpaid (or declined) when its payment window closes is cancelled. */
export async function expireUnpaidOrder(db: Db, orderId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await repo.lockOrder(tx, orderId);
    if (!row || (row.status !== 'pending_payment' && row.status !== 'payment_failed')) return;
    await lockOrderStock(tx, row.id);
    const moved = await moveOrder(tx, row, 'cancelled', SYSTEM, { reason: 'payment_window_closed', set: { closeReason: 'payment_window_closed' } });
    await releaseOrderStock(tx, moved, null);
    await releasePayment(tx, moved, SYSTEM);
  });
}

/**
 * Seller reconciles a bank transfer: the amount received must be the amount due; the order is then
 * paid (nothing to capture later). Repeating it with the same reference answers the same result.
 */
export async function confirmTransfer(db: Db, actor: OrderActor, input: ConfirmTransferInput) {
  return db.transaction(async (tx) => {
    const row = await repo.lockPartyOrder(tx, actor.orgId, input.id);
    if (!row) throw new AppError('NOT_FOUND', msg('orders.notFound'), { field: 'id' });
    if (row.sellerOrgId !== actor.orgId) throw new AppError('FORBIDDEN', msg('orders.notYourMove', { to: 'paid' }), { field: 'id' });
    if (row.paymentMethod !== 'bank_transfer') throw new AppError('PRECONDITION_FAILED', msg('pay.notBankTransfer'), { field: 'id' });
    const reference = input.reference.trim();
    if (row.paymentReference) {
      if (row.paymentReference === reference) return { id: row.id, status: row.status as OrderStatus, replayed: true };
      throw new AppError('CONFLICT', msg('pay.referenceUsed', { reference: row.paymentReference }), { field: 'reference' });
    }
    if (input.amountFen !== row.totalFen) throw new AppError('VALIDATION', msg('pay.amountMismatch', { received: yuanText(input.amountFen), due: yuanText(row.totalFen) }), { field: 'amountFen' });
    const moved = await moveOrder(tx, row, 'paid', { role: 'seller', userId: actor.userId, orgId: actor.orgId }, {
      set: { paymentStatus: 'captured', authorizedFen: row.totalFen, capturedFen: row.totalFen, paymentReference: reference },
      data: { payment: 'transfer_received', reference, amountFen: input.amountFen },
    });
    return { id: moved.id, status: moved.status as OrderStatus, replayed: false };
  });
}
