import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { creditLine, invoice, netTermsExposure, organization, orgProfile } from '../../db/schema/index.ts';

/** Net terms: credit lines (seller → buyer) and invoices. Reads are scoped by the caller's org. */
export type CreditLineRow = typeof creditLine.$inferSelect;
export type InvoiceRow = typeof invoice.$inferSelect;

/**
 * Locks the line FOR NO KEY UPDATE (so is an invoice, below), as rows are locked everywhere here: no
 * flow changes a line's seller, buyer or id, nor an invoice's order or id. No table refers to either
 * today, so this changes no wait now; it keeps one rule for every row lock.
 */
export async function lockCreditLine(db: DbOrTx, sellerOrgId: string, buyerOrgId: string) {
  const [row] = await db
    .select()
    .from(creditLine)
    .where(and(eq(creditLine.sellerOrgId, sellerOrgId), eq(creditLine.buyerOrgId, buyerOrgId)))
    .for('no key update');
  return row;
}

/** First key of the two-key advisory lock a buyer's net-terms limits are checked under (checkout and the market writer). */
export const NET_TERMS_LOCK_NAMESPACE = 7251007;

/** Serialises every check of the buyer's net-terms limits until the transaction ends (take it before reading exposure). */
export async function lockBuyerTerms(db: DbOrTx, buyerOrgId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(NET_TERMS_LOCK_NAMESPACE))}, hashtext(${buyerOrgId}))`);
}

/**
 * What the buyer owes or may come to owe the seller on terms (view `net_terms_exposure`): open
 * net-terms orders less what was paid, resting net-terms market buys that may match this seller, and
 * net-terms market trades whose orders are not written yet.
 */
export async function outstandingFen(db: DbOrTx, sellerOrgId: string, buyerOrgId: string): Promise<number> {
  const [row] = await db
    .select({ fen: netTermsExposure.fen })
    .from(netTermsExposure)
    .where(and(eq(netTermsExposure.sellerOrgId, sellerOrgId), eq(netTermsExposure.buyerOrgId, buyerOrgId)));
  return Number(row?.fen ?? 0);
}

export async function overdueCount(db: DbOrTx, sellerOrgId: string, buyerOrgId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`count(*)` })
    .from(invoice)
    .where(and(eq(invoice.sellerOrgId, sellerOrgId), eq(invoice.buyerOrgId, buyerOrgId), eq(invoice.status, 'overdue')));
  return Number(row?.n ?? 0);
}

/** A seller's credit lines with the buyers' names. */
export async function sellerCreditLines(db: DbOrTx, sellerOrgId: string) {
  return db
    .select({ id: creditLine.id, buyerOrgId: creditLine.buyerOrgId, buyerName: organization.name, limitFen: creditLine.limitFen, termDays: creditLine.termDays, updatedAt: creditLine.updatedAt })
    .from(creditLine)
    .innerJoin(organization, eq(organization.id, creditLine.buyerOrgId))
    .where(eq(creditLine.sellerOrgId, sellerOrgId))
    .orderBy(asc(organization.name));
}

/** The credit lines a buyer holds, per seller. */
export async function buyerCreditLines(db: DbOrTx, buyerOrgId: string) {
  return db
    .select({ id: creditLine.id, sellerOrgId: creditLine.sellerOrgId, sellerName: organization.name, limitFen: creditLine.limitFen, termDays: creditLine.termDays })
    .from(creditLine)
    .innerJoin(organization, eq(organization.id, creditLine.sellerOrgId))
    .where(eq(creditLine.buyerOrgId, buyerOrgId))
    .orderBy(asc(organization.name));
}

/** Organisations a seller may grant terms to: approved hospitals and pharmacies. */
export async function creditableBuyers(db: DbOrTx) {
  return db
    .select({ id: organization.id, name: organization.name, kind: orgProfile.kind })
    .from(orgProfile)
    .innerJoin(organization, eq(organization.id, orgProfile.orgId))
    .where(and(eq(orgProfile.kybStatus, 'approved'), inArray(orgProfile.kind, ['hospital', 'pharmacy'])))
    .orderBy(asc(organization.name))
    .limit(1000);
}

export async function isCreditableBuyer(db: DbOrTx, orgId: string): Promise<boolean> {
  const [row] = await db
    .select({ orgId: orgProfile.orgId })
    .from(orgProfile)
    .where(and(eq(orgProfile.orgId, orgId), eq(orgProfile.kybStatus, 'approved'), inArray(orgProfile.kind, ['hospital', 'pharmacy'])));
  return Boolean(row);
}

export async function invoiceOfOrder(db: DbOrTx, orderId: string) {
  const [row] = await db.select().from(invoice).where(eq(invoice.orderId, orderId));
  return row;
}

export async function lockInvoiceOfOrder(db: DbOrTx, orderId: string) {
  const [row] = await db.select().from(invoice).where(eq(invoice.orderId, orderId)).for('no key update');
  return row;
}

export async function orgKind(db: DbOrTx, orgId: string): Promise<string | null> {
  const [row] = await db.select({ kind: orgProfile.kind }).from(orgProfile).where(eq(orgProfile.orgId, orgId));
  return row?.kind ?? null;
}
