import { eq } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { kgText } from '../../../lib/amount-text.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { stockReservation } from '../../db/schema/index.ts';
import { enqueueIndexing } from '../../integrations/search/search.jobs.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { quoteFen } from './listings.core.ts';
import { findListingForReservation } from './listings.repo.ts';
import * as repo from './lots.repo.ts';
import { findOwnLot } from './products.repo.ts';
import { isPositiveGrams } from './stock.core.ts';

export interface ReserveStockInput {
  listingId: string;
  grams: number;
  buyerOrgId: string;
  idempotencyKey: string;
  actorUserId?: string | null;
}

export interface Reservation {
  reservationId: string;
  /** null for a lot the seller allocated to a contract order (`reserveLotStock`). */
  listingId: string | null;
  lotId: string;
  grams: number;
  unitPriceFenPerKg: number;
  totalFen: number;
  status: string;
  /** True when this answers a retried request with the first result. */
  replayed: boolean;
}

type ReservationRow = typeof stockReservation.$inferSelect;

function toReservation(row: ReservationRow, replayed: boolean): Reservation {
  return {
    reservationId: row.id,
    listingId: row.listingId,
    lotId: row.lotId,
    grams: row.grams,
    unitPriceFenPerKg: row.unitPriceFenPerKg,
    totalFen: row.totalFen,
    status: row.status,
    replayed,
  };
}

function replay(row: ReservationRow, input: ReserveStockInput): Reservation {
  if (row.listingId !== input.listingId || row.grams !== input.grams) throw new AppError('CONFLICT', msg('catalog.idempotencyMismatch'), { field: 'idempotencyKey' });
  return toReservation(row, true);
}

async function available(tx: DbOrTx, lotId: string): Promise<number> {
  const stock = await repo.lotStock(tx, lotId);
  return stock ? stock.quantityG - stock.reservedG : 0;
}

/**
 * Holds `grams` of an active listing's lot for a buyer, in one transaction with its audit entry. The
 * stock check and the change are one conditional UPDATE, so concurrent reservations never oversell;
 * a refused one gets CONFLICT with the grams still available. The same idempotency key (per buyer
 * organisation) answers the first result without reserving again.
 */
export async function reserveStock(db: Db, input: ReserveStockInput): Promise<Reservation> {
  if (!isPositiveGrams(input.grams)) throw new AppError('VALIDATION', msg('field.positiveGrams'), { field: 'grams' });
  const key = input.idempotencyKey.trim();
  if (key.length < 8 || key.length > 100) throw new AppError('VALIDATION', msg('catalog.idempotencyMismatch'), { field: 'idempotencyKey' });
  return db.transaction(async (tx) => {
    const earlier = await repo.findReservationByKey(tx, input.buyerOrgId, key);
    if (earlier) return replay(earlier, input);
    const offer = await findListingForReservation(tx, input.listingId);
    if (!offer || (offer.status !== 'active' && offer.sellerOrgId !== input.buyerOrgId && offer.status !== 'sold_out')) {
      throw new AppError('NOT_FOUND', msg('catalog.listingNotFound'), { field: 'listingId' });
    }
    if (offer.sellerOrgId === input.buyerOrgId) throw new AppError('BAD_REQUEST', msg('catalog.ownListing'), { field: 'listingId' });
    if (offer.status === 'sold_out') {
      throw new AppError('CONFLICT', msg('catalog.insufficientStock', { available: kgText(await available(tx, offer.lotId)), kg: kgText(input.grams) }), { field: 'grams' });
    }
    if (input.grams < offer.minOrderG) throw new AppError('VALIDATION', msg('catalog.belowMinOrder', { min: kgText(offer.minOrderG) }), { field: 'grams' });
    const quote = quoteFen(offer.priceFenPerKg, offer.tiers, input.grams);
    // Claim the key first: a concurrent twin waits on the unique index and then replays.
    const inserted = await repo.insertReservationOnce(tx, {
      id: newId('rsv'),
      listingId: offer.id,
      lotId: offer.lotId,
      sellerOrgId: offer.sellerOrgId,
      buyerOrgId: input.buyerOrgId,
      grams: input.grams,
      unitPriceFenPerKg: quote.unitPriceFenPerKg,
      totalFen: quote.totalFen,
      idempotencyKey: key,
      status: 'held',
    });
    if (!inserted) {
      const twin = await repo.findReservationByKey(tx, input.buyerOrgId, key);
      if (!twin) throw new AppError('CONFLICT', msg('catalog.idempotencyMismatch'), { field: 'idempotencyKey' });
      return replay(twin, input);
    }
    const after = await repo.tryReserveGrams(tx, offer.lotId, input.grams);
    if (!after) {
      throw new AppError('CONFLICT', msg('catalog.insufficientStock', { available: kgText(await available(tx, offer.lotId)), kg: kgText(input.grams) }), { field: 'grams' });
    }
    const left = after.quantityG - after.reservedG;
    const soldOut = left === 0 ? await repo.setLotListingsStatus(tx, offer.lotId, 'active', 'sold_out') : [];
    await appendAudit(tx, {
      actorUserId: input.actorUserId ?? null,
      actorOrgId: input.buyerOrgId,
      orgId: offer.sellerOrgId,
      action: 'stock.reserved',
      entityType: 'lot',
      entityId: offer.lotId,
      data: { reservationId: inserted.id, listingId: offer.id, buyerOrgId: input.buyerOrgId, grams: input.grams, availableG: left, soldOut: soldOut.map((l) => l.id) },
    });
    // Stock shown in search (in stock, sold out) follows the reservation.
    await enqueueIndexing(tx, 'listing', [...new Set([offer.id, ...soldOut.map((l) => l.id)])]);
    return toReservation(inserted, false);
  });
}

export interface ReserveLotStockInput {
  lotId: string;
  /** The lot's owner: only the seller allocates its own lot. */
  sellerOrgId: string;
  buyerOrgId: string;
  grams: number;
  /** The agreed price (a framework contract's), recorded on the reservation. */
  unitPriceFenPerKg: number;
  totalFen: number;
  idempotencyKey: string;
  actorUserId?: string | null;
}

/**
 * The seller holds `grams` of one of its own lots for a buyer's contract order (a tender call-off:
 * no listing, the contract price). Same guarantees as `reserveStock`: one conditional UPDATE, so
 * stock never goes negative (CONFLICT with the grams available), the audit entry and the search
 * documents of the lot's listings in the same transaction, and the idempotency key answering the
 * first result.
 */
export async function reserveLotStock(db: Db, input: ReserveLotStockInput): Promise<Reservation> {
  if (!isPositiveGrams(input.grams)) throw new AppError('VALIDATION', msg('field.positiveGrams'), { field: 'grams' });
  const key = input.idempotencyKey.trim();
  if (key.length < 8 || key.length > 100) throw new AppError('VALIDATION', msg('catalog.idempotencyMismatch'), { field: 'idempotencyKey' });
  return db.transaction(async (tx) => {
    const earlier = await repo.findReservationByKey(tx, input.buyerOrgId, key);
    if (earlier) {
      if (earlier.lotId !== input.lotId || earlier.grams !== input.grams) throw new AppError('CONFLICT', msg('catalog.idempotencyMismatch'), { field: 'idempotencyKey' });
      return toReservation(earlier, true);
    }
    const owned = await findOwnLot(tx, input.sellerOrgId, input.lotId);
    if (!owned) throw new AppError('NOT_FOUND', msg('catalog.lotNotFound'), { field: 'lotId' });
    const inserted = await repo.insertReservationOnce(tx, {
      id: newId('rsv'),
      listingId: null,
      lotId: input.lotId,
      sellerOrgId: input.sellerOrgId,
      buyerOrgId: input.buyerOrgId,
      grams: input.grams,
      unitPriceFenPerKg: input.unitPriceFenPerKg,
      totalFen: input.totalFen,
      idempotencyKey: key,
      status: 'held',
    });
    if (!inserted) throw new AppError('CONFLICT', msg('catalog.idempotencyMismatch'), { field: 'idempotencyKey' });
    const after = await repo.tryReserveGrams(tx, input.lotId, input.grams);
    if (!after) throw new AppError('CONFLICT', msg('catalog.insufficientStock', { available: kgText(await available(tx, input.lotId)), kg: kgText(input.grams) }), { field: 'grams' });
    const left = after.quantityG - after.reservedG;
    const soldOut = left === 0 ? await repo.setLotListingsStatus(tx, input.lotId, 'active', 'sold_out') : [];
    await appendAudit(tx, {
      actorUserId: input.actorUserId ?? null,
      actorOrgId: input.sellerOrgId,
      orgId: input.sellerOrgId,
      action: 'stock.reserved',
      entityType: 'lot',
      entityId: input.lotId,
      data: { reservationId: inserted.id, listingId: null, buyerOrgId: input.buyerOrgId, grams: input.grams, availableG: left, soldOut: soldOut.map((l) => l.id) },
    });
    const listings = await repo.lotListingIds(tx, input.lotId);
    if (listings.length > 0) await enqueueIndexing(tx, 'listing', listings);
    return toReservation(inserted, false);
  });
}

/**
 * Gives a held reservation's grams back to its lot (order cancelled). Scoped to the buyer that holds
 * it; releasing an already released reservation is a no-op answering the same reservation.
 */
export async function releaseStock(db: Db, input: { reservationId: string; buyerOrgId: string; actorUserId?: string | null }): Promise<Reservation> {
  return db.transaction(async (tx) => {
    const held = await repo.lockOwnReservation(tx, input.buyerOrgId, input.reservationId);
    if (!held) throw new AppError('NOT_FOUND', msg('catalog.reservationNotFound'), { field: 'reservationId' });
    if (held.status === 'released') return toReservation(held, true);
    const after = await repo.tryReleaseGrams(tx, held.lotId, held.grams);
    if (!after) throw new AppError('CONFLICT', msg('catalog.reservationNotFound'), { field: 'reservationId' });
    const [released] = await tx
      .update(stockReservation)
      .set({ status: 'released', releasedAt: new Date() })
      .where(eq(stockReservation.id, held.id))
      .returning();
    const reopened = await repo.setLotListingsStatus(tx, held.lotId, 'sold_out', 'active');
    await appendAudit(tx, {
      actorUserId: input.actorUserId ?? null,
      actorOrgId: input.buyerOrgId,
      orgId: held.sellerOrgId,
      action: 'stock.released',
      entityType: 'lot',
      entityId: held.lotId,
      data: { reservationId: held.id, grams: held.grams, availableG: after.quantityG - after.reservedG, reopened: reopened.map((l) => l.id) },
    });
    const touched = held.listingId ? [held.listingId, ...reopened.map((l) => l.id)] : await repo.lotListingIds(tx, held.lotId);
    if (touched.length > 0) await enqueueIndexing(tx, 'listing', [...new Set(touched)]);
    return toReservation(released ?? held, false);
  });
}
