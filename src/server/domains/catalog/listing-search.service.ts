import { LRUCache } from 'lru-cache';
import type { DbOrTx } from '../../db/client.ts';
import type { Env } from '../../env.ts';
import { searchIndexGeneration } from '../../integrations/search/search-generation.ts';
import { createSearchIndex } from '../../integrations/search/search.ts';
import type { SearchFilters, SearchSortKey } from '../../integrations/search/search.port.ts';
import { listingSearchKey } from './listing-search.core.ts';
import { findSearchHitListings } from './listings.repo.ts';

type SearchEnv = Pick<Env, 'MEILI_URL' | 'MEILI_KEY' | 'SEARCH_CACHE_TTL_MS'>;

/** A market search as the API validated it: the query, facet filters (listings only), sort and page. */
export type ListingSearch = Omit<SearchFilters, 'kind'> & {
  q?: string | undefined;
  sort: SearchSortKey;
  limit: number;
  offset: number;
};

/**
 * Searches the market's listings through the search port (Meilisearch or the embedded Postgres
 * adapter) and joins the hits back to the listing rows, in hit order; hits whose listing left the
 * market are dropped.
 */
async function searchListingsNow(db: DbOrTx, searchEnv: SearchEnv, input: ListingSearch) {
  const { q, sort, limit, offset } = input;
  const filters: SearchFilters = {
    kind: 'listing',
    form: input.form,
    grade: input.grade,
    origin: input.origin,
    daoDi: input.daoDi,
    certificate: input.certificate,
    priceMin: input.priceMin,
    priceMax: input.priceMax,
    inStock: input.inStock,
  };
  const index = createSearchIndex(searchEnv, db);
  try {
    const result = await index.search({ q, filters, sort, limit, offset });
    const rows = new Map((await findSearchHitListings(db, result.hits.map((h) => h.id))).map((r) => [r.id, r]));
    const items = result.hits.flatMap((hit) => {
      const row = rows.get(hit.id);
      if (!row) return [];
      const { quantityG, reservedG, ...rest } = row;
      return [{ ...rest, availableG: quantityG - reservedG, score: hit.score ?? null }];
    });
    return { total: result.total, limit, offset, items, facets: result.facets };
  } finally {
    await index.close?.();
  }
}

export type ListingSearchAnswer = Awaited<ReturnType<typeof searchListingsNow>>;

/** At most this many distinct searches are kept per database handle (the least recently used go first). */
const CACHED_SEARCHES = 1_000;

interface Question {
  db: DbOrTx;
  searchEnv: SearchEnv;
  input: ListingSearch;
}

/** Cached answers, one cache per database handle (tests open several databases in one process). */
const caches = new WeakMap<object, LRUCache<string, ListingSearchAnswer, Question>>();

function cacheOf(db: DbOrTx): LRUCache<string, ListingSearchAnswer, Question> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new LRUCache<string, ListingSearchAnswer, Question>({
      max: CACHED_SEARCHES,
      // Each answer gets its time to live when it is stored (`fetch` below).
      ttl: 1,
      fetchMethod: (_key, _stale, { context }) => searchListingsNow(context.db, context.searchEnv, context.input),
    });
    caches.set(db, cache);
  }
  return cache;
}

/**
 * A market search, answered from memory when this process asked the same question less than
 * `SEARCH_CACHE_TTL_MS` ago and has not written to the search index since; concurrent identical
 * questions share one read. Callers must not change the answer (it is shared).
 */
export async function searchListings(db: DbOrTx, searchEnv: SearchEnv, input: ListingSearch): Promise<ListingSearchAnswer> {
  const ttl = searchEnv.SEARCH_CACHE_TTL_MS;
  if (ttl <= 0) return searchListingsNow(db, searchEnv, input);
  const key = `${searchIndexGeneration()}:${searchEnv.MEILI_URL ?? ''}:${listingSearchKey(input)}`;
  const answer = await cacheOf(db).fetch(key, { ttl, context: { db, searchEnv, input } });
  return answer ?? searchListingsNow(db, searchEnv, input);
}
