import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { creditLine, invoice, order, organization, orgProfile } from '../../db/schema/index.ts';

/** Net terms: credit lines (seller → buyer) and invoices. Reads are scoped by the caller's org. */
export type CreditLineRow = typeof creditLine.$inferSelect;
export type InvoiceRow = typeof invoice.$inferSelect;

/** Orders that no longer owe anything on terms. */
const SETTLED_STATUSES = ['cancelled', 'rejected', 'refunded'];

export async function lockCreditLine(db: DbOrTx, sellerOrgId: string, buyerOrgId: string) {
  const [row] = await db
    .select()
    .from(creditLine)
    .where(and(eq(creditLine.sellerOrgId, sellerOrgId), eq(creditLine.buyerOrgId, buyerOrgId)))
    .for('update');
  return row;
}

/** Unpaid money on terms between a seller and a buyer: every open net-terms order's total less what was paid. */
export async function outstandingFen(db: DbOrTx, sellerOrgId: string, buyerOrgId: string): Promise<number> {
  const [row] = await db
    .select({ fen: sql<string>`coalesce(sum(${order.totalFen} - ${order.capturedFen}), 0)` })
    .from(order)
    .where(and(eq(order.sellerOrgId, sellerOrgId), eq(order.buyerOrgId, buyerOrgId), eq(order.paymentMethod, 'net_terms'), notInArray(order.status, SETTLED_STATUSES)));
  return Number(row?.fen ?? 0);
}

/**
 * Every credit line granted to these buyers with what is outstanding and overdue on it, in one query
 * (the market's check of net-terms buys).
 */
export async function creditRoomOfBuyers(db: DbOrTx, buyerOrgIds: readonly string[]) {
  if (buyerOrgIds.length === 0) return [];
  const buyers = JSON.stringify(buyerOrgIds);
  const settled = sql.join(SETTLED_STATUSES.map((s) => sql`${s}`), sql`, `);
  // One pass over the buyers' open net-terms orders and overdue invoices, grouped, joined to their lines.
  const rows = await db
    .select({
      sellerOrgId: creditLine.sellerOrgId,
      buyerOrgId: creditLine.buyerOrgId,
      limitFen: creditLine.limitFen,
      outstandingFen: sql<string>`coalesce(owed.fen, 0)`,
      overdueInvoices: sql<string>`coalesce(late.n, 0)`,
    })
    .from(creditLine)
    .leftJoin(
      sql`(select o.seller_org_id, o.buyer_org_id, sum(o.total_fen - o.captured_fen) as fen from "order" o
           where o.buyer_org_id in (select jsonb_array_elements_text(${buyers}::jsonb)) and o.payment_method = 'net_terms' and o.status not in (${settled})
           group by o.seller_org_id, o.buyer_org_id) as owed`,
      sql`owed.seller_org_id = ${creditLine.sellerOrgId} and owed.buyer_org_id = ${creditLine.buyerOrgId}`,
    )
    .leftJoin(
      sql`(select i.seller_org_id, i.buyer_org_id, count(*) as n from invoice i
           where i.buyer_org_id in (select jsonb_array_elements_text(${buyers}::jsonb)) and i.status = 'overdue'
           group by i.seller_org_id, i.buyer_org_id) as late`,
      sql`late.seller_org_id = ${creditLine.sellerOrgId} and late.buyer_org_id = ${creditLine.buyerOrgId}`,
    )
    .where(inArray(creditLine.buyerOrgId, [...buyerOrgIds]));
  return rows.map((r) => ({ ...r, outstandingFen: Number(r.outstandingFen), overdueInvoices: Number(r.overdueInvoices) }));
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
  const [row] = await db.select().from(invoice).where(eq(invoice.orderId, orderId)).for('update');
  return row;
}

export async function orgKind(db: DbOrTx, orgId: string): Promise<string | null> {
  const [row] = await db.select({ kind: orgProfile.kind }).from(orgProfile).where(eq(orgProfile.orgId, orgId));
  return row?.kind ?? null;
}
