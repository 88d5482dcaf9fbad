import { and, asc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { callOff, herb, lot, order, orderEvent, product, tender, tenderLot } from '../../db/schema/index.ts';

/**
 * Queries of call-offs and the orders that carry them out. Every read that returns org data is
 * scoped by the caller's organisation (member, supplier) or by a tender the caller may see.
 */

/** When the order first moved to `delivered` (the buyer confirmed delivery), or null. */
const deliveredAt = sql<Date | null>`(select min(${orderEvent.at}) from ${orderEvent} where ${orderEvent.orderId} = ${order.id} and ${orderEvent.toStatus} = 'delivered')`.mapWith(orderEvent.at);

/** Call-offs with their order's id, status and delivery time (a call-off without its order is ignored). */
async function callOffsWithOrders(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: callOff.id,
      allocationId: callOff.allocationId,
      contractId: callOff.contractId,
      tenderId: callOff.tenderId,
      lotId: callOff.lotId,
      memberOrgId: callOff.memberOrgId,
      supplierOrgId: callOff.supplierOrgId,
      grams: callOff.grams,
      fenPerKg: callOff.fenPerKg,
      totalFen: callOff.totalFen,
      idempotencyKey: callOff.idempotencyKey,
      createdAt: callOff.createdAt,
      orderId: order.id,
      orderStatus: order.status,
      paymentMethod: order.paymentMethod,
      paymentStatus: order.paymentStatus,
      checkoutKey: order.checkoutKey,
      deliveredAt,
    })
    .from(callOff)
    .innerJoin(order, eq(order.callOffId, callOff.id))
    .where(where)
    .orderBy(asc(callOff.createdAt), asc(callOff.id));
}
export type CallOffWithOrder = Awaited<ReturnType<typeof callOffsWithOrders>>[number];

/** A member's call-off by its idempotency key (a retried submission answers it). */
export async function findMemberCallOffByKey(db: DbOrTx, memberOrgId: string, idempotencyKey: string): Promise<CallOffWithOrder | undefined> {
  const [row] = await callOffsWithOrders(db, and(eq(callOff.memberOrgId, memberOrgId), eq(callOff.idempotencyKey, idempotencyKey)));
  return row;
}

/** The call-offs of one allocation (to count what is ordered against it). */
export async function callOffsOfAllocation(db: DbOrTx, allocationId: string) {
  return callOffsWithOrders(db, eq(callOff.allocationId, allocationId));
}

/** The call-offs of one tender, all (alliance) or one party's (member, supplier). */
export async function callOffsOfTender(db: DbOrTx, tenderId: string, party?: { memberOrgId?: string; supplierOrgId?: string }) {
  return callOffsWithOrders(
    db,
    and(
      eq(callOff.tenderId, tenderId),
      party?.memberOrgId ? eq(callOff.memberOrgId, party.memberOrgId) : undefined,
      party?.supplierOrgId ? eq(callOff.supplierOrgId, party.supplierOrgId) : undefined,
    ),
  );
}

/**
 * What a member received over the platform since `since` for a variety × spec: grams of call-offs
 * on any tender whose order was delivered since then and is still counted (not refunded in full).
 */
export async function deliveredCallOffs(db: DbOrTx, memberOrgId: string, herbName: string, spec: string) {
  return db
    .select({ grams: callOff.grams, orderStatus: order.status, deliveredAt })
    .from(callOff)
    .innerJoin(order, eq(order.callOffId, callOff.id))
    .innerJoin(tenderLot, eq(tenderLot.id, callOff.lotId))
    .where(and(eq(callOff.memberOrgId, memberOrgId), eq(tenderLot.herbName, herbName), eq(tenderLot.spec, spec), inArray(order.status, ['delivered', 'completed', 'partially_refunded', 'disputed'])));
}

/** The call-off an order carries out, with its tender and lot, for the order's parties. */
export async function callOffOfOrder(db: DbOrTx, orderId: string) {
  const [row] = await db
    .select({
      callOffId: callOff.id,
      contractId: callOff.contractId,
      tenderId: callOff.tenderId,
      tenderTitle: tender.title,
      tenderLotId: callOff.lotId,
      lotNo: tenderLot.lotNo,
      herbName: tenderLot.herbName,
      spec: tenderLot.spec,
      grams: callOff.grams,
      fenPerKg: callOff.fenPerKg,
    })
    .from(order)
    .innerJoin(callOff, eq(callOff.id, order.callOffId))
    .innerJoin(tender, eq(tender.id, callOff.tenderId))
    .innerJoin(tenderLot, eq(tenderLot.id, callOff.lotId))
    .where(eq(order.id, orderId));
  return row;
}
export type CallOffOfOrder = NonNullable<Awaited<ReturnType<typeof callOffOfOrder>>>;

/** A seller's lots of one variety with their product and stock (candidates to fill a call-off). */
export async function sellerLotsOfHerb(db: DbOrTx, sellerOrgId: string, herbName: string, lotId?: string) {
  return db
    .select({
      lotId: lot.id,
      batchNo: lot.batchNo,
      quantityG: lot.quantityG,
      reservedG: lot.reservedG,
      expiryDate: lot.expiryDate,
      productName: product.name,
      form: product.form,
      herbName: herb.name,
    })
    .from(lot)
    .innerJoin(product, eq(product.id, lot.productId))
    .innerJoin(herb, eq(herb.id, product.herbId))
    .where(and(eq(lot.sellerOrgId, sellerOrgId), eq(herb.name, herbName), lotId ? eq(lot.id, lotId) : undefined, gte(lot.quantityG, 1)))
    .orderBy(asc(lot.expiryDate), asc(lot.batchNo));
}
