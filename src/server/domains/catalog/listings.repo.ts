import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { herb, listing, lot, organization, product } from '../../db/schema/index.ts';
import { INDEXED_LISTING_STATUSES } from '../../integrations/search/search.documents.ts';

const listingView = {
  id: listing.id,
  status: listing.status,
  priceFenPerKg: listing.priceFenPerKg,
  tiers: listing.tiers,
  minOrderG: listing.minOrderG,
  deliveryRegions: listing.deliveryRegions,
  leadTimeDays: listing.leadTimeDays,
  createdAt: listing.createdAt,
  updatedAt: listing.updatedAt,
  lotId: lot.id,
  batchNo: lot.batchNo,
  quantityG: lot.quantityG,
  reservedG: lot.reservedG,
  expiryDate: lot.expiryDate,
  productId: product.id,
  productName: product.name,
  herbId: product.herbId,
  herbName: herb.name,
  form: product.form,
  grade: product.grade,
  origin: product.origin,
  daoDi: product.daoDi,
  sellerOrgId: listing.sellerOrgId,
  sellerName: organization.name,
};

function selectListings(db: DbOrTx, where: SQL | undefined) {
  return db
    .select(listingView)
    .from(listing)
    .innerJoin(lot, eq(lot.id, listing.lotId))
    .innerJoin(product, eq(product.id, lot.productId))
    .innerJoin(herb, eq(herb.id, product.herbId))
    .innerJoin(organization, eq(organization.id, listing.sellerOrgId))
    .where(where);
}

export type ListingRow = Awaited<ReturnType<typeof selectListings>>[number];

export async function listOwnListings(db: DbOrTx, sellerOrgId: string) {
  return selectListings(db, eq(listing.sellerOrgId, sellerOrgId)).orderBy(desc(listing.createdAt), desc(listing.id));
}

/** Active listings of every seller: public market data within the platform. */
export async function listActiveListings(db: DbOrTx, filter: { grade?: string | undefined; herbId?: string | undefined }) {
  const conditions = [eq(listing.status, 'active')];
  if (filter.grade) conditions.push(eq(product.grade, filter.grade));
  if (filter.herbId) conditions.push(eq(product.herbId, filter.herbId));
  return selectListings(db, and(...conditions)).orderBy(asc(listing.priceFenPerKg), asc(listing.id)).limit(500);
}

/** One listing: visible to its seller in any status, to others only while on the market. */
export async function findVisibleListing(db: DbOrTx, viewerOrgId: string, listingId: string) {
  const [row] = await selectListings(db, eq(listing.id, listingId));
  if (!row) return undefined;
  if (row.sellerOrgId !== viewerOrgId && row.status !== 'active' && row.status !== 'sold_out') return undefined;
  return row;
}

export async function lockOwnListing(tx: DbOrTx, sellerOrgId: string, listingId: string) {
  const [row] = await tx
    .select()
    .from(listing)
    .where(and(eq(listing.id, listingId), eq(listing.sellerOrgId, sellerOrgId)))
    .for('no key update');
  return row;
}

export async function findListingForReservation(tx: DbOrTx, listingId: string) {
  const [row] = await tx.select().from(listing).where(eq(listing.id, listingId));
  return row;
}

/** The market rows behind search hits (unordered); listings that left the market are not returned. */
export async function findSearchHitListings(db: DbOrTx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: listing.id,
      productName: product.name,
      sellerName: organization.name,
      origin: product.origin,
      grade: product.grade,
      form: product.form,
      priceFenPerKg: listing.priceFenPerKg,
      quantityG: lot.quantityG,
      reservedG: lot.reservedG,
      minOrderG: listing.minOrderG,
    })
    .from(listing)
    .innerJoin(lot, eq(lot.id, listing.lotId))
    .innerJoin(product, eq(product.id, lot.productId))
    .innerJoin(herb, eq(herb.id, product.herbId))
    .innerJoin(organization, eq(organization.id, listing.sellerOrgId))
    .where(and(inArray(listing.id, [...ids]), inArray(listing.status, [...INDEXED_LISTING_STATUSES])));
}
