import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { cartItem, instrument, listing, lot, marketTrade, order, orderEvent, orderLine, orderRefund, organization, orgProfile, product } from '../../db/schema/index.ts';

/** Drizzle queries of the orders domain. Everything that reads org data takes the caller's org. */
export type OrderRow = typeof order.$inferSelect;
export type OrderLineRow = typeof orderLine.$inferSelect;
export type OrderEventRow = typeof orderEvent.$inferSelect;
export type OrderRefundRow = typeof orderRefund.$inferSelect;

const partyOf = (orgId: string): SQL => or(eq(order.buyerOrgId, orgId), eq(order.sellerOrgId, orgId)) as SQL;

export async function cartRows(db: DbOrTx, buyerOrgId: string) {
  return db
    .select({
      id: cartItem.id,
      grams: cartItem.grams,
      createdAt: cartItem.createdAt,
      listingId: listing.id,
      listingStatus: listing.status,
      priceFenPerKg: listing.priceFenPerKg,
      tiers: listing.tiers,
      minOrderG: listing.minOrderG,
      lotId: lot.id,
      quantityG: lot.quantityG,
      reservedG: lot.reservedG,
      productName: product.name,
      productForm: product.form,
      sellerOrgId: listing.sellerOrgId,
      sellerName: organization.name,
      sellerKind: orgProfile.kind,
    })
    .from(cartItem)
    .innerJoin(listing, eq(listing.id, cartItem.listingId))
    .innerJoin(lot, eq(lot.id, listing.lotId))
    .innerJoin(product, eq(product.id, lot.productId))
    .innerJoin(organization, eq(organization.id, listing.sellerOrgId))
    .leftJoin(orgProfile, eq(orgProfile.orgId, listing.sellerOrgId))
    .where(eq(cartItem.buyerOrgId, buyerOrgId))
    .orderBy(asc(organization.name), asc(cartItem.createdAt), asc(cartItem.id));
}
export type CartRow = Awaited<ReturnType<typeof cartRows>>[number];

export async function findOwnCartItem(db: DbOrTx, buyerOrgId: string, id: string) {
  const [row] = await db.select().from(cartItem).where(and(eq(cartItem.id, id), eq(cartItem.buyerOrgId, buyerOrgId)));
  return row;
}

export async function findCartItemByListing(db: DbOrTx, buyerOrgId: string, listingId: string) {
  const [row] = await db.select().from(cartItem).where(and(eq(cartItem.listingId, listingId), eq(cartItem.buyerOrgId, buyerOrgId)));
  return row;
}

export async function deleteCartItems(db: DbOrTx, buyerOrgId: string, ids: string[]) {
  if (ids.length === 0) return;
  await db.delete(cartItem).where(and(eq(cartItem.buyerOrgId, buyerOrgId), inArray(cartItem.id, ids)));
}

/** The orders of one checkout (a retried checkout answers these). */
export async function ordersOfCheckout(db: DbOrTx, buyerOrgId: string, checkoutKey: string) {
  return db
    .select()
    .from(order)
    .where(and(eq(order.buyerOrgId, buyerOrgId), eq(order.checkoutKey, checkoutKey)))
    .orderBy(asc(order.id));
}

/** One order the org is a party to (buyer or seller); other orgs' orders are undefined. */
export async function findPartyOrder(db: DbOrTx, orgId: string, id: string) {
  const [row] = await db.select().from(order).where(and(eq(order.id, id), partyOf(orgId)));
  return row;
}

export async function lockPartyOrder(db: DbOrTx, orgId: string, id: string) {
  const [row] = await db.select().from(order).where(and(eq(order.id, id), partyOf(orgId))).for('no key update');
  return row;
}

/** System use (jobs, webhooks): no org scope. */
export async function lockOrder(db: DbOrTx, id: string) {
  const [row] = await db.select().from(order).where(eq(order.id, id)).for('no key update');
  return row;
}

export async function findOrder(db: DbOrTx, id: string) {
  const [row] = await db.select().from(order).where(eq(order.id, id));
  return row;
}

export async function lockOrderByPaymentIntent(db: DbOrTx, paymentIntentId: string) {
  const [row] = await db.select().from(order).where(eq(order.paymentIntentId, paymentIntentId)).for('no key update');
  return row;
}

export async function listPartyOrders(db: DbOrTx, orgId: string, side: 'buyer' | 'seller', status?: string) {
  const conditions = [side === 'buyer' ? eq(order.buyerOrgId, orgId) : eq(order.sellerOrgId, orgId)];
  if (status) conditions.push(eq(order.status, status));
  const counterparty = side === 'buyer' ? order.sellerOrgId : order.buyerOrgId;
  const rows = await db
    .select({
      id: order.id,
      status: order.status,
      paymentStatus: order.paymentStatus,
      paymentMethod: order.paymentMethod,
      totalFen: order.totalFen,
      capturedFen: order.capturedFen,
      refundedFen: order.refundedFen,
      buyerOrgId: order.buyerOrgId,
      sellerOrgId: order.sellerOrgId,
      counterpartyName: organization.name,
      source: order.source,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
    })
    .from(order)
    .innerJoin(organization, eq(organization.id, counterparty))
    .where(and(...conditions))
    .orderBy(desc(order.createdAt), desc(order.id))
    .limit(500);
  const lines = await lineSummaries(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, ...(lines.get(r.id) ?? { firstProductName: null, lineCount: 0, totalGrams: 0 }) }));
}

/** What each order is for, at a glance: its first line's product, how many lines, and the grams of all. */
async function lineSummaries(db: DbOrTx, orderIds: string[]) {
  if (orderIds.length === 0) return new Map<string, { firstProductName: string | null; lineCount: number; totalGrams: number }>();
  const rows = await db
    .select({
      orderId: orderLine.orderId,
      firstProductName: sql<string | null>`(array_agg(${orderLine.productName} order by ${orderLine.lineNo}))[1]`,
      lineCount: sql<number>`count(*)`.mapWith(Number),
      totalGrams: sql<number>`sum(${orderLine.grams})`.mapWith(Number),
    })
    .from(orderLine)
    .where(inArray(orderLine.orderId, orderIds))
    .groupBy(orderLine.orderId);
  return new Map(rows.map(({ orderId, ...summary }) => [orderId, summary]));
}

export async function linesOf(db: DbOrTx, orderId: string) {
  return db.select().from(orderLine).where(eq(orderLine.orderId, orderId)).orderBy(asc(orderLine.lineNo));
}

export async function eventsOf(db: DbOrTx, orderId: string) {
  return db.select().from(orderEvent).where(eq(orderEvent.orderId, orderId)).orderBy(asc(orderEvent.at), asc(orderEvent.id));
}

export async function refundsOf(db: DbOrTx, orderId: string) {
  return db.select().from(orderRefund).where(eq(orderRefund.orderId, orderId)).orderBy(asc(orderRefund.createdAt), asc(orderRefund.id));
}

/** An organisation's kind (supplier, grower, …), for the VAT rate of what it sells. */
export async function orgKind(db: DbOrTx, orgId: string): Promise<string | undefined> {
  const [row] = await db.select({ kind: orgProfile.kind }).from(orgProfile).where(eq(orgProfile.orgId, orgId));
  return row?.kind;
}

export async function orgNames(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db.select({ id: organization.id, name: organization.name }).from(organization).where(inArray(organization.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The spot market trade an order carries out (source = market): instrument, price, grams, time. */
export async function marketTradeOfOrder(db: DbOrTx, orderId: string) {
  const [row] = await db
    .select({ tradeId: marketTrade.id, instrumentId: marketTrade.instrumentId, instrumentName: instrument.name, fenPerKg: marketTrade.fenPerKg, grams: marketTrade.grams, at: marketTrade.at })
    .from(marketTrade)
    .innerJoin(instrument, eq(instrument.id, marketTrade.instrumentId))
    .where(eq(marketTrade.orderId, orderId));
  return row ?? null;
}
