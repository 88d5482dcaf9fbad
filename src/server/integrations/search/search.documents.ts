import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { herb } from '../../db/schema/catalog.ts';
import { listing, lot, product } from '../../db/schema/catalog-trade.ts';
import { licence } from '../../db/schema/orgs.ts';
import { initialsOf } from '../../domains/catalog/herb-names.core.ts';
import type { DocumentKind, SearchDocument } from './search.port.ts';

/**
 * Builds search documents from the database. One builder per document kind, each reading its rows
 * in id order in pages (`after` = last id of the previous page) or by ids. Herbs now; products and
 * listings are one more `DocumentBuilder` each in `BUILDERS` once their search fields are settled.
 */

/** The herb fields a document needs (a `herb` row, or a `HerbRecord` from the master data). */
export interface HerbNames {
  name: string;
  pinyin: string;
  initials?: string | undefined;
  latin: string;
  aliases: readonly string[];
  processedForms: readonly { name: string }[];
}

/** Master-data herbs are reference data: a fixed timestamp keeps reindexing idempotent. */
export const HERB_DOCUMENT_UPDATED_AT = '2020-12-30T00:00:00.000Z';

export function herbDocument(id: string, h: HerbNames): SearchDocument {
  return {
    id,
    kind: 'herb',
    title: h.name,
    herbName: h.name,
    aliases: [...h.aliases],
    processedForms: h.processedForms.map((f) => f.name),
    latin: h.latin,
    pinyin: h.pinyin,
    initials: h.initials || initialsOf(h.pinyin),
    updatedAt: HERB_DOCUMENT_UPDATED_AT,
  };
}

export interface DocumentBuilder {
  kind: DocumentKind;
  /** Documents for these ids (missing ids are absent: the caller removes them from the index). */
  byIds(db: DbOrTx, ids: readonly string[]): Promise<SearchDocument[]>;
  /** A page of documents in id order after `after` (null: from the start). */
  page(db: DbOrTx, after: string | null, limit: number): Promise<SearchDocument[]>;
  count(db: DbOrTx): Promise<number>;
}

const herbColumns = {
  id: herb.id,
  name: herb.name,
  pinyin: herb.pinyin,
  initials: herb.initials,
  latin: herb.latin,
  aliases: herb.aliases,
  processedForms: herb.processedForms,
};

export const herbDocuments: DocumentBuilder = {
  kind: 'herb',
  async byIds(db, ids) {
    if (ids.length === 0) return [];
    const rows = await db.select(herbColumns).from(herb).where(inArray(herb.id, [...ids])).orderBy(asc(herb.id));
    return rows.map((r) => herbDocument(r.id, r));
  },
  async page(db, after, limit) {
    const rows = await db
      .select(herbColumns)
      .from(herb)
      .where(after === null ? undefined : gt(herb.id, after))
      .orderBy(asc(herb.id))
      .limit(limit);
    return rows.map((r) => herbDocument(r.id, r));
  },
  async count(db) {
    const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(herb);
    return row?.n ?? 0;
  },
};

/** Listing statuses that are searchable; a listing in any other status is removed from the index. */
export const INDEXED_LISTING_STATUSES = ['active', 'sold_out'] as const;

const listingColumns = {
  ...herbColumns,
  id: listing.id,
  status: listing.status,
  priceFenPerKg: listing.priceFenPerKg,
  sellerOrgId: listing.sellerOrgId,
  updatedAt: listing.updatedAt,
  quantityG: lot.quantityG,
  reservedG: lot.reservedG,
  productName: product.name,
  form: product.form,
  grade: product.grade,
  origin: product.origin,
  daoDi: product.daoDi,
  /** The lot carries a quality report (含量 or 水分 measured). */
  hasQualityReport: sql<boolean>`(${lot.contentPct} is not null or ${lot.moisturePct} is not null)`.mapWith(Boolean),
  /** The seller holds a GAP base certificate that has not expired. */
  hasGap: sql<boolean>`exists (select 1 from ${licence} where ${licence.orgId} = ${listing.sellerOrgId} and ${licence.type} = 'gap_base' and ${licence.expiresOn} >= current_date)`.mapWith(Boolean),
};

/** Certificates a buyer can filter on (`certificate=` in the market search). */
export const LISTING_CERTIFICATES = ['gap', 'quality_report'] as const;
export type ListingCertificate = (typeof LISTING_CERTIFICATES)[number];

export function listingCertificates(r: { hasGap: boolean; hasQualityReport: boolean }): ListingCertificate[] {
  return [...(r.hasGap ? (['gap'] as const) : []), ...(r.hasQualityReport ? (['quality_report'] as const) : [])];
}

type ListingRow = {
  id: string;
  status: string;
  priceFenPerKg: number;
  sellerOrgId: string;
  updatedAt: Date;
  quantityG: number;
  reservedG: number;
  productName: string;
  form: string;
  grade: string;
  origin: string;
  daoDi: boolean;
  hasQualityReport: boolean;
  hasGap: boolean;
} & HerbNames;

export function listingDocument(r: ListingRow): SearchDocument {
  const base = herbDocument(r.id, r);
  return {
    ...base,
    kind: 'listing',
    title: r.productName,
    form: r.form,
    grade: r.grade,
    origin: r.origin,
    daoDi: r.daoDi,
    certificates: listingCertificates(r),
    priceFenPerKg: r.priceFenPerKg,
    inStock: r.status === 'active' && r.quantityG - r.reservedG > 0,
    sellerOrgId: r.sellerOrgId,
    updatedAt: r.updatedAt.toISOString(),
  };
}

function listingQuery(db: DbOrTx) {
  return db
    .select(listingColumns)
    .from(listing)
    .innerJoin(lot, eq(lot.id, listing.lotId))
    .innerJoin(product, eq(product.id, lot.productId))
    .innerJoin(herb, eq(herb.id, product.herbId));
}

const listingIndexed = inArray(listing.status, [...INDEXED_LISTING_STATUSES]);

/** Listings (active or sold out) with their lot, product, herb names and seller. */
export const listingDocuments: DocumentBuilder = {
  kind: 'listing',
  async byIds(db, ids) {
    if (ids.length === 0) return [];
    const rows = await listingQuery(db)
      .where(and(inArray(listing.id, [...ids]), listingIndexed))
      .orderBy(asc(listing.id));
    return rows.map(listingDocument);
  },
  async page(db, after, limit) {
    const rows = await listingQuery(db)
      .where(after === null ? listingIndexed : and(listingIndexed, gt(listing.id, after)))
      .orderBy(asc(listing.id))
      .limit(limit);
    return rows.map(listingDocument);
  },
  async count(db) {
    const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(listing).where(listingIndexed);
    return row?.n ?? 0;
  },
};

/** Every document kind the index is built from. Add `productDocuments` here. */
export const BUILDERS: readonly DocumentBuilder[] = [herbDocuments, listingDocuments];

export function builderFor(kind: DocumentKind): DocumentBuilder | undefined {
  return BUILDERS.find((b) => b.kind === kind);
}

/** All herb documents (483 rows: one read). */
export async function documentsFromHerbs(db: DbOrTx): Promise<SearchDocument[]> {
  return herbDocuments.page(db, null, 1_000_000);
}
