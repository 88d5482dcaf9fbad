import { benchOrgRoute } from '@/server/api/bench-routes.ts';
import { listingSearchInput } from '@/server/api/routers/catalog/search.ts';
import { searchListings } from '@/server/domains/catalog/listing-search.service.ts';
import { env } from '@/server/env.ts';

export const dynamic = 'force-dynamic';

/** `catalog.search` without tRPC, for the load benchmark only (404 unless BENCAO_BENCH_ROUTES=1). */
export const GET = benchOrgRoute({ permission: 'catalog:read', input: listingSearchInput, from: 'query' }, (ctx, input) => searchListings(ctx.db, env(), input));
