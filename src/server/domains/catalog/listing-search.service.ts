import type { DbOrTx } from '../../db/client.ts';
import type { Env } from '../../env.ts';
import { createSearchIndex } from '../../integrations/search/search.ts';
import type { SearchFilters, SearchSortKey } from '../../integrations/search/search.port.ts';
import { findSearchHitListings } from './listings.repo.ts';

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
export async function searchListings(db: DbOrTx, searchEnv: Pick<Env, 'MEILI_URL' | 'MEILI_KEY'>, input: ListingSearch) {
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
