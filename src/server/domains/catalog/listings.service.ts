import { eq } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { kgText } from '../../../lib/amount-text.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { listing, type PriceTier } from '../../db/schema/index.ts';
import { enqueueIndexing } from '../../integrations/search/search.jobs.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { assertMayTrade } from '../orgs/orgs.service.ts';
import { canTransition, isListingStatus, tierProblem, type ListingStatus } from './listings.core.ts';
import * as listingsRepo from './listings.repo.ts';
import type { ListingRow } from './listings.repo.ts';
import type { CreateListingInput, SetListingStatusInput, UpdateListingInput } from './products.schemas.ts';
import * as productsRepo from './products.repo.ts';
import type { SellerActor } from './products.service.ts';

/** Checks price tiers against the base price and minimum order; throws naming the tier field. */
function assertTiers(priceFenPerKg: number, minOrderG: number, tiers: readonly PriceTier[]): void {
  const problem = tierProblem(priceFenPerKg, tiers);
  if (problem) {
    const key = problem.reason === 'min_not_increasing' ? 'catalog.tierMinIncreasing' : problem.reason === 'price_increasing' ? 'catalog.tierPriceIncreasing' : 'field.positiveGrams';
    throw new AppError('VALIDATION', msg(key), { field: `tiers.${problem.index}.${problem.field}` });
  }
  const first = tiers[0];
  if (first && first.minG <= minOrderG) throw new AppError('VALIDATION', msg('catalog.tierBelowMinOrder'), { field: 'tiers.0.minG' });
}

export function toListingView(row: ListingRow) {
  return { ...row, availableG: row.quantityG - row.reservedG };
}
export type ListingView = ReturnType<typeof toListingView>;

/** A new listing (draft) on one of the caller's lots. The seller must be allowed to trade. */
export async function createListing(db: Db, actor: SellerActor, input: CreateListingInput) {
  await assertMayTrade(db, actor.orgId);
  assertTiers(input.priceFenPerKg, input.minOrderG, input.tiers);
  return db.transaction(async (tx) => {
    const owned = await productsRepo.findOwnLot(tx, actor.orgId, input.lotId);
    if (!owned) throw new AppError('NOT_FOUND', msg('catalog.lotNotFound'), { field: 'lotId' });
    if (input.minOrderG > owned.quantityG) throw new AppError('VALIDATION', msg('catalog.minOrderAboveStock', { available: kgText(owned.quantityG) }), { field: 'minOrderG' });
    const id = newId('lst');
    const now = new Date();
    await tx.insert(listing).values({
      id,
      lotId: owned.id,
      sellerOrgId: actor.orgId,
      status: 'draft',
      priceFenPerKg: input.priceFenPerKg,
      tiers: input.tiers,
      minOrderG: input.minOrderG,
      deliveryRegions: [...new Set(input.deliveryRegions)],
      leadTimeDays: input.leadTimeDays,
      createdAt: now,
      updatedAt: now,
    });
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: actor.orgId,
      orgId: actor.orgId,
      action: 'listing.created',
      entityType: 'listing',
      entityId: id,
      data: { lotId: owned.id, priceFenPerKg: input.priceFenPerKg, tiers: input.tiers, minOrderG: input.minOrderG },
    });
    await enqueueIndexing(tx, 'listing', [id]);
    return { id, status: 'draft' as ListingStatus };
  });
}

/** Changes price, tiers, minimum order, regions or lead time of one of the caller's open listings. */
export async function updateListing(db: Db, actor: SellerActor, input: UpdateListingInput) {
  await assertMayTrade(db, actor.orgId);
  return db.transaction(async (tx) => {
    const current = await listingsRepo.lockOwnListing(tx, actor.orgId, input.id);
    if (!current) throw new AppError('NOT_FOUND', msg('catalog.listingNotFound'), { field: 'id' });
    if (current.status === 'closed') throw new AppError('INVALID_TRANSITION', msg('catalog.invalidTransition', { from: 'closed', to: 'closed' }), { field: 'id' });
    const next = {
      priceFenPerKg: input.priceFenPerKg ?? current.priceFenPerKg,
      tiers: input.tiers ?? current.tiers,
      minOrderG: input.minOrderG ?? current.minOrderG,
      deliveryRegions: input.deliveryRegions ? [...new Set(input.deliveryRegions)] : current.deliveryRegions,
      leadTimeDays: input.leadTimeDays ?? current.leadTimeDays,
    };
    assertTiers(next.priceFenPerKg, next.minOrderG, next.tiers);
    await tx.update(listing).set({ ...next, updatedAt: new Date() }).where(eq(listing.id, current.id));
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: actor.orgId,
      orgId: actor.orgId,
      action: 'listing.updated',
      entityType: 'listing',
      entityId: current.id,
      data: { before: { priceFenPerKg: current.priceFenPerKg, tiers: current.tiers, minOrderG: current.minOrderG }, after: next },
    });
    await enqueueIndexing(tx, 'listing', [current.id]);
    return { id: current.id };
  });
}

/** Moves one of the caller's listings along the transition table; activating needs trading rights. */
export async function setListingStatus(db: Db, actor: SellerActor, input: SetListingStatusInput) {
  if (input.status === 'active') await assertMayTrade(db, actor.orgId);
  return db.transaction(async (tx) => {
    const current = await listingsRepo.lockOwnListing(tx, actor.orgId, input.id);
    if (!current) throw new AppError('NOT_FOUND', msg('catalog.listingNotFound'), { field: 'id' });
    const from = isListingStatus(current.status) ? current.status : 'closed';
    if (!canTransition(from, input.status)) throw new AppError('INVALID_TRANSITION', msg('catalog.invalidTransition', { from, to: input.status }), { field: 'status' });
    let to: ListingStatus = input.status;
    if (to === 'active') {
      // Activating a listing whose lot has no stock left lands in sold_out.
      const owned = await productsRepo.findOwnLot(tx, actor.orgId, current.lotId);
      if (owned && owned.quantityG - owned.reservedG <= 0 && canTransition(from, 'sold_out')) to = 'sold_out';
    }
    await tx.update(listing).set({ status: to, updatedAt: new Date() }).where(eq(listing.id, current.id));
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: actor.orgId,
      orgId: actor.orgId,
      action: 'listing.status_changed',
      entityType: 'listing',
      entityId: current.id,
      data: { from, to },
    });
    await enqueueIndexing(tx, 'listing', [current.id]);
    return { id: current.id, status: to };
  });
}

export async function myListings(db: DbOrTx, orgId: string): Promise<ListingView[]> {
  return (await listingsRepo.listOwnListings(db, orgId)).map(toListingView);
}

export async function activeListings(db: DbOrTx, filter: { grade?: string | undefined; herbId?: string | undefined }): Promise<ListingView[]> {
  return (await listingsRepo.listActiveListings(db, filter)).map(toListingView);
}

export async function getListing(db: DbOrTx, viewerOrgId: string, listingId: string): Promise<ListingView> {
  const row = await listingsRepo.findVisibleListing(db, viewerOrgId, listingId);
  if (!row) throw new AppError('NOT_FOUND', msg('catalog.listingNotFound'), { field: 'id' });
  return toListingView(row);
}
