import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { listing, lot, stockReservation } from '../../db/schema/index.ts';

/**
 * Locks these lots' rows (FOR NO KEY UPDATE, in id order). A transaction that reserves or releases stock on
 * several lots takes them with this first, so two transactions sharing lots take them in the same order
 * (two checkouts sharing a lot, a cancellation beside a checkout). Not FOR UPDATE: stock moves never
 * change a lot's key, and FOR UPDATE would also hold up every transaction writing a row that refers to
 * the lot (an order line, a reservation) at its foreign-key check — a wait that can close a deadlock. With `sellerOrgId`, only that
 * organisation's lots are locked (a lot id the caller named, not yet checked to be its own).
 */
export async function lockLots(tx: DbOrTx, lotIds: readonly string[], sellerOrgId?: string): Promise<void> {
  const ids = [...new Set(lotIds)].sort();
  if (ids.length === 0) return;
  await tx
    .select({ id: lot.id })
    .from(lot)
    .where(and(inArray(lot.id, ids), sellerOrgId === undefined ? undefined : eq(lot.sellerOrgId, sellerOrgId)))
    .orderBy(asc(lot.id))
    .for('no key update');
}

/**
 * Stock moves on a lot as single conditional UPDATEs: the check and the change are one statement, so
 * two concurrent reservations can never both take the last grams (no read-then-write race). The CHECK
 * constraints on `lot` are the last line of defence.
 */
export async function tryReserveGrams(tx: DbOrTx, lotId: string, grams: number) {
  const [row] = await tx
    .update(lot)
    .set({ reservedG: sql`${lot.reservedG} + ${grams}` })
    .where(and(eq(lot.id, lotId), sql`${lot.quantityG} - ${lot.reservedG} >= ${grams}`))
    .returning({ quantityG: lot.quantityG, reservedG: lot.reservedG });
  return row;
}

export async function tryReleaseGrams(tx: DbOrTx, lotId: string, grams: number) {
  const [row] = await tx
    .update(lot)
    .set({ reservedG: sql`${lot.reservedG} - ${grams}` })
    .where(and(eq(lot.id, lotId), sql`${lot.reservedG} >= ${grams}`))
    .returning({ quantityG: lot.quantityG, reservedG: lot.reservedG });
  return row;
}

export async function lotStock(tx: DbOrTx, lotId: string) {
  const [row] = await tx.select({ quantityG: lot.quantityG, reservedG: lot.reservedG }).from(lot).where(eq(lot.id, lotId));
  return row;
}

export async function findReservationByKey(tx: DbOrTx, buyerOrgId: string, idempotencyKey: string) {
  const [row] = await tx
    .select()
    .from(stockReservation)
    .where(and(eq(stockReservation.buyerOrgId, buyerOrgId), eq(stockReservation.idempotencyKey, idempotencyKey)));
  return row;
}

export async function lockOwnReservation(tx: DbOrTx, buyerOrgId: string, reservationId: string) {
  const [row] = await tx
    .select()
    .from(stockReservation)
    .where(and(eq(stockReservation.id, reservationId), eq(stockReservation.buyerOrgId, buyerOrgId)))
    .for('no key update');
  return row;
}

export async function insertReservationOnce(tx: DbOrTx, values: typeof stockReservation.$inferInsert) {
  const [row] = await tx.insert(stockReservation).values(values).onConflictDoNothing().returning();
  return row;
}

/** The listings of a lot (their search documents show its available stock). */
export async function lotListingIds(tx: DbOrTx, lotId: string): Promise<string[]> {
  const rows = await tx.select({ id: listing.id }).from(listing).where(eq(listing.lotId, lotId));
  return rows.map((r) => r.id);
}

/** Marks a lot's active listings sold out (no stock left) or its sold-out listings active again. */
export async function setLotListingsStatus(tx: DbOrTx, lotId: string, from: 'active' | 'sold_out', to: 'active' | 'sold_out') {
  return tx
    .update(listing)
    .set({ status: to, updatedAt: new Date() })
    .where(and(eq(listing.lotId, lotId), eq(listing.status, from)))
    .returning({ id: listing.id });
}
