import { z } from 'zod';
import { SEARCH_QUERY_MAX } from '../../../domains/catalog/herb-search.core.ts';
import { searchListings } from '../../../domains/catalog/listing-search.service.ts';
import { PRODUCT_FORMS, PRODUCT_GRADES } from '../../../domains/catalog/products.core.ts';
import { env } from '../../../env.ts';
import { LISTING_CERTIFICATES } from '../../../integrations/search/search.documents.ts';
import { SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX, SEARCH_SORTS } from '../../../integrations/search/search.port.ts';
import { orgProcedure } from '../../trpc.ts';

/** `true`/`false` from a query string, or a real boolean from tRPC. */
const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
const fen = z.coerce.number<number>().int().min(0).max(2_000_000_000);

/** Market search input; also the REST query string (`GET /api/v1/listings/search?q=hq&grade=selected`). */
export const listingSearchInput = z.object({
  q: z.string().max(SEARCH_QUERY_MAX).optional().describe('名称、拼音、首字母、繁体、拉丁名、别名或炮制品名 / name, pinyin, initials, traditional, Latin, alias or processed form'),
  form: z.enum(PRODUCT_FORMS).optional(),
  grade: z.enum(PRODUCT_GRADES).optional(),
  origin: z.string().trim().min(1).max(64).optional(),
  daoDi: flag.optional(),
  certificate: z.enum(LISTING_CERTIFICATES).optional().describe('gap (GAP 基地证书) | quality_report (附质检报告)'),
  priceMin: fen.optional().describe('fen per kg, inclusive'),
  priceMax: fen.optional().describe('fen per kg, inclusive'),
  inStock: flag.optional(),
  sort: z.enum(SEARCH_SORTS).default('relevance'),
  limit: z.coerce.number<number>().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT),
  offset: z.coerce.number<number>().int().min(0).max(10_000).default(0),
});

const facetSchema = z.record(z.string(), z.number().int());

export const listingSearchOutput = z.object({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(
    z.object({
      id: z.string(),
      productName: z.string(),
      sellerName: z.string(),
      origin: z.string(),
      grade: z.string(),
      form: z.string(),
      priceFenPerKg: z.number().int(),
      availableG: z.number().int(),
      minOrderG: z.number().int(),
      score: z.number().nullable(),
    }),
  ),
  facets: z.object({ form: facetSchema, grade: facetSchema, origin: facetSchema }),
});

/** Searches the market's listings (search index) and joins the hits back to the listing rows. */
export const search = orgProcedure('catalog:read')
  .meta({
    openapi: {
      method: 'GET',
      path: '/listings/search',
      tags: ['catalog'],
      summary: 'Search market listings (市场检索)',
      description: 'Finds active listings by herb name, substring, pinyin, initials (hq), traditional characters, Latin name, aliases and processed forms, with facets (form, grade, origin).',
      protect: true,
    },
  })
  .input(listingSearchInput)
  .output(listingSearchOutput)
  .query(({ ctx, input }) => searchListings(ctx.db, env(), input));
