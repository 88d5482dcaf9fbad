import { and, eq } from 'drizzle-orm';
import { yuanText } from '../../../lib/amount-text.ts';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { creditLine, invoice, order } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { creditCheck, invoiceDueAt, type OrderStatus } from './orders.core.ts';
import { invoiceOverdueJob } from './orders.jobs.ts';
import { applyCapture } from './orders.payments.ts';
import * as creditRepo from './credit.repo.ts';
import * as repo from './orders.repo.ts';
import type { OrderRow } from './orders.repo.ts';
import type { MarkInvoicePaidInput, SetCreditLineInput } from './orders.schemas.ts';
import { recordEvent, SYSTEM } from './orders.transitions.ts';
import type { OrderActor } from './orders.service.ts';

/**
 * Net terms (账期): a seller grants a buyer a credit limit and a term; orders on terms skip payment,
 * are invoiced at shipment with a due date, become overdue by a job, and are settled when the seller
 * reconciles the payment. An overdue invoice pauses the buyer's terms with that seller.
 */

/** Seller grants (or changes) a buyer's credit line. */
export async function setCreditLine(db: Db, actor: OrderActor, input: SetCreditLineInput) {
  const kind = await creditRepo.orgKind(db, actor.orgId);
  if (kind !== 'supplier' && kind !== 'grower') throw new AppError('FORBIDDEN', msg('credit.notSeller'), { field: 'buyerOrgId' });
  if (input.buyerOrgId === actor.orgId) throw new AppError('VALIDATION', msg('credit.notOwnOrg'), { field: 'buyerOrgId' });
  if (!(await creditRepo.isCreditableBuyer(db, input.buyerOrgId))) throw new AppError('VALIDATION', msg('credit.buyerNotEligible'), { field: 'buyerOrgId' });
  return db.transaction(async (tx) => {
    const now = new Date();
    const existing = await creditRepo.lockCreditLine(tx, actor.orgId, input.buyerOrgId);
    const [row] = existing
      ? await tx.update(creditLine).set({ limitFen: input.limitFen, termDays: input.termDays, updatedByUserId: actor.userId, updatedAt: now }).where(eq(creditLine.id, existing.id)).returning()
      : await tx
          .insert(creditLine)
          .values({ id: newId('crl'), sellerOrgId: actor.orgId, buyerOrgId: input.buyerOrgId, limitFen: input.limitFen, termDays: input.termDays, updatedByUserId: actor.userId, createdAt: now, updatedAt: now })
          .returning();
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: actor.orgId,
      orgId: actor.orgId,
      action: existing ? 'credit_line.changed' : 'credit_line.granted',
      entityType: 'credit_line',
      entityId: row!.id,
      data: { buyerOrgId: input.buyerOrgId, limitFen: input.limitFen, termDays: input.termDays, before: existing ? { limitFen: existing.limitFen, termDays: existing.termDays } : null },
    });
    return row!;
  });
}

/** A seller's credit lines with what each buyer owes now and how many invoices are overdue. */
export async function sellerCredit(db: DbOrTx, actor: OrderActor) {
  const lines = await creditRepo.sellerCreditLines(db, actor.orgId);
  const enriched = [];
  for (const line of lines) {
    const [outstandingFen, overdue] = await Promise.all([creditRepo.outstandingFen(db, actor.orgId, line.buyerOrgId), creditRepo.overdueCount(db, actor.orgId, line.buyerOrgId)]);
    enriched.push({ ...line, outstandingFen, availableFen: Math.max(0, line.limitFen - outstandingFen), overdueInvoices: overdue });
  }
  return { lines: enriched, buyers: (await creditRepo.creditableBuyers(db)).filter((b) => b.id !== actor.orgId) };
}

/** The buyer's view: terms per seller and what is still available. */
export async function buyerCredit(db: DbOrTx, actor: OrderActor) {
  const lines = await creditRepo.buyerCreditLines(db, actor.orgId);
  const out = [];
  for (const line of lines) {
    const [outstandingFen, overdue] = await Promise.all([creditRepo.outstandingFen(db, line.sellerOrgId, actor.orgId), creditRepo.overdueCount(db, line.sellerOrgId, actor.orgId)]);
    out.push({ ...line, outstandingFen, availableFen: Math.max(0, line.limitFen - outstandingFen), overdueInvoices: overdue });
  }
  return out;
}

/**
 * In the checkout transaction: the buyer's terms and the seller's credit line are locked (so two
 * checkouts, or a checkout and a market buy, cannot both use the last of a limit) and the new order
 * must fit it. `field` names the cart line for the error.
 */
export async function assertCreditFor(tx: Tx, input: { sellerOrgId: string; sellerName: string; buyerOrgId: string; totalFen: number }) {
  // The market writer checks the buyer's net-terms buys under the same lock.
  await creditRepo.lockBuyerTerms(tx, input.buyerOrgId);
  const line = await creditRepo.lockCreditLine(tx, input.sellerOrgId, input.buyerOrgId);
  if (!line) throw new AppError('PRECONDITION_FAILED', msg('credit.noLine', { seller: input.sellerName }), { field: 'paymentMethod' });
  const [outstandingFen, overdueInvoices] = await Promise.all([creditRepo.outstandingFen(tx, input.sellerOrgId, input.buyerOrgId), creditRepo.overdueCount(tx, input.sellerOrgId, input.buyerOrgId)]);
  // The order being checked out is already inserted (with its total) in this transaction.
  const check = creditCheck({ limitFen: line.limitFen, outstandingFen: outstandingFen - input.totalFen, overdueInvoices, totalFen: input.totalFen });
  if (!check.ok) {
    if (check.reason === 'overdue') throw new AppError('PRECONDITION_FAILED', msg('credit.overdue', { seller: input.sellerName }), { field: 'paymentMethod' });
    throw new AppError('PRECONDITION_FAILED', msg('credit.overLimit', { seller: input.sellerName, available: yuanText(check.availableFen), total: yuanText(input.totalFen) }), { field: 'paymentMethod', availableFen: check.availableFen });
  }
  return line;
}

/** At shipment of a net-terms order: the invoice with its due date, and the job that checks it then. */
export async function issueInvoice(tx: Tx, row: OrderRow, now = new Date()) {
  if (row.paymentMethod !== 'net_terms') return null;
  const existing = await creditRepo.invoiceOfOrder(tx, row.id);
  if (existing) return existing;
  const line = await creditRepo.lockCreditLine(tx, row.sellerOrgId, row.buyerOrgId);
  const dueAt = invoiceDueAt(now, line?.termDays ?? 30);
  const [created] = await tx
    .insert(invoice)
    .values({ id: newId('ivc'), orderId: row.id, sellerOrgId: row.sellerOrgId, buyerOrgId: row.buyerOrgId, amountFen: row.totalFen, taxFen: row.taxFen, status: 'open', issuedAt: now, dueAt })
    .returning();
  await recordEvent(tx, row, { from: row.status, to: row.status, mover: SYSTEM, data: { payment: 'invoiced', invoiceId: created!.id, amountFen: row.totalFen, dueAt: dueAt.toISOString() } });
  await enqueue(tx, invoiceOverdueJob, { orderId: row.id }, { runAt: dueAt, dedupeKey: `orders.invoice-overdue:${row.id}` });
  return created!;
}

/** Job body: an invoice still open at (or after) its due date becomes overdue. */
export async function markInvoiceOverdue(db: Db, orderId: string, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const inv = await creditRepo.lockInvoiceOfOrder(tx, orderId);
    if (!inv || inv.status !== 'open' || inv.dueAt.getTime() > now.getTime()) return;
    await tx.update(invoice).set({ status: 'overdue' }).where(and(eq(invoice.id, inv.id), eq(invoice.status, 'open')));
    const row = await repo.findOrder(tx, orderId);
    if (row) await recordEvent(tx, row, { from: row.status, to: row.status, mover: SYSTEM, data: { payment: 'invoice_overdue', invoiceId: inv.id, dueAt: inv.dueAt.toISOString() } });
  });
}

/** Seller reconciles the buyer's payment of an invoice: the order counts as paid (and completes if delivered). */
export async function markInvoicePaid(db: Db, actor: OrderActor, input: MarkInvoicePaidInput) {
  return db.transaction(async (tx) => {
    const row = await repo.lockPartyOrder(tx, actor.orgId, input.id);
    if (!row) throw new AppError('NOT_FOUND', msg('orders.notFound'), { field: 'id' });
    if (row.sellerOrgId !== actor.orgId) throw new AppError('FORBIDDEN', msg('orders.notYourMove', { to: 'invoice_paid' }), { field: 'id' });
    const inv = await creditRepo.lockInvoiceOfOrder(tx, row.id);
    if (!inv) throw new AppError('NOT_FOUND', msg('invoice.notFound'), { field: 'id' });
    const reference = input.reference.trim();
    if (inv.status === 'paid') {
      if (inv.paymentReference === reference) return { id: row.id, status: row.status as OrderStatus, invoiceStatus: 'paid', replayed: true };
      throw new AppError('CONFLICT', msg('invoice.alreadyPaid', { paidAt: inv.paidAt?.toISOString() ?? '' }), { field: 'reference' });
    }
    const now = new Date();
    await tx.update(invoice).set({ status: 'paid', paidAt: now, paymentReference: reference }).where(eq(invoice.id, inv.id));
    await recordEvent(tx, row, { from: row.status, to: row.status, mover: { role: 'seller', userId: actor.userId, orgId: actor.orgId }, data: { payment: 'invoice_paid', invoiceId: inv.id, reference } });
    const [updated] = await tx.update(order).set({ authorizedFen: row.totalFen, updatedAt: now }).where(eq(order.id, row.id)).returning();
    await applyCapture(tx, updated ?? row, row.totalFen);
    const after = await repo.findOrder(tx, row.id);
    return { id: row.id, status: (after?.status ?? row.status) as OrderStatus, invoiceStatus: 'paid', replayed: false };
  });
}

export async function invoiceOf(db: DbOrTx, orderId: string) {
  return creditRepo.invoiceOfOrder(db, orderId);
}
