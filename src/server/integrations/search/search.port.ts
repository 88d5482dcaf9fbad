/**
 * The search port (ARCHITECTURE.md "search"): one interface over catalogue documents, implemented by
 * the embedded Postgres adapter (pg_trgm + pinyin/initials columns) and the Meilisearch adapter. Both
 * pass `search.contract.ts`.
 */

export const DOCUMENT_KINDS = ['herb', 'product', 'listing'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface SearchDocument {
  /** Globally unique: `hrb_…`, `prd_…`, `lst_…`. */
  id: string;
  kind: DocumentKind;
  /** Display title (黄芪 饮片 片 生 选货 甘肃陇西); also searched. */
  title: string;
  /** 药典 standard name of the herb the document is about. */
  herbName: string;
  aliases: string[];
  /** Processed-form names (法半夏, 姜半夏); a query naming one finds the base herb's documents. */
  processedForms: string[];
  latin: string;
  /** Spaced pinyin of the standard name, tone marks allowed (`huáng qí` or `huang qi`). */
  pinyin: string;
  /** Initials (`hq`); derived from `pinyin` when empty. */
  initials: string;
  form?: string | null;
  grade?: string | null;
  origin?: string | null;
  daoDi?: boolean | null;
  certificates?: string[] | null;
  priceFenPerKg?: number | null;
  inStock?: boolean | null;
  sellerOrgId?: string | null;
  /** ISO 8601 timestamp. */
  updatedAt: string;
}

export interface SearchFilters {
  kind?: DocumentKind | undefined;
  form?: string | undefined;
  grade?: string | undefined;
  origin?: string | undefined;
  daoDi?: boolean | undefined;
  certificate?: string | undefined;
  /** Inclusive bounds in fen per kg; documents without a price never pass a price filter. */
  priceMin?: number | undefined;
  priceMax?: number | undefined;
  inStock?: boolean | undefined;
}

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest'] as const;
export type SearchSortKey = (typeof SEARCH_SORTS)[number];

export interface SearchRequest {
  /** What the user typed; empty/absent browses everything that passes the filters. */
  q?: string | null | undefined;
  filters?: SearchFilters | undefined;
  sort?: SearchSortKey | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface SearchHit {
  id: string;
  /** Higher is better; comparable only within one adapter. */
  score?: number | undefined;
}

export type FacetCounts = Record<string, number>;

export interface SearchResult {
  hits: SearchHit[];
  /** All matches passing the filters (not just this page). */
  total: number;
  /** Counts over every match passing the filters. */
  facets: { form: FacetCounts; grade: FacetCounts; origin: FacetCounts };
}

export interface SearchStats {
  documents: number;
  byKind: Partial<Record<DocumentKind, number>>;
}

export type SearchAdapterKind = 'postgres' | 'meilisearch';

export interface SearchIndex {
  /** Which adapter answers (for `/api/health`). */
  readonly kind: SearchAdapterKind;
  /** Inserts or replaces documents by id. Idempotent. Resolves when searchable. */
  upsert(docs: readonly SearchDocument[]): Promise<void>;
  /** Removes documents by id; unknown ids are ignored. */
  remove(ids: readonly string[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchResult>;
  clear(): Promise<void>;
  stats(): Promise<SearchStats>;
  close?(): Promise<void>;
}

export const SEARCH_LIMIT_MAX = 100;
export const SEARCH_LIMIT_DEFAULT = 20;

/** Clamps paging the same way in every adapter. */
export function pageOf(request: SearchRequest): { limit: number; offset: number } {
  const limit = Math.min(SEARCH_LIMIT_MAX, Math.max(0, Math.trunc(request.limit ?? SEARCH_LIMIT_DEFAULT)));
  const offset = Math.max(0, Math.trunc(request.offset ?? 0));
  return { limit: Number.isFinite(limit) ? limit : SEARCH_LIMIT_DEFAULT, offset: Number.isFinite(offset) ? offset : 0 };
}
