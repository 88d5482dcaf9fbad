import { z } from 'zod';
import { HERB_CATEGORIES, PREGNANCY_CLASSES, TOXICITIES } from '../../../domains/catalog/herb-master.data.ts';
import { MATCHED_BY, SEARCH_QUERY_MAX, SEARCH_SORTS } from '../../../domains/catalog/herb-search.core.ts';
import { SEARCH_LIMIT, SEARCH_OFFSET_MAX, searchHerbs } from '../../../domains/catalog/herbs.service.ts';
import { publicProcedure } from '../../trpc.ts';

/** Catalogue search input; also the REST query string (`GET /api/v1/herbs?q=hq&limit=5`). */
export const herbSearchInput = z.object({
  q: z.string().max(SEARCH_QUERY_MAX).optional().describe('名称、拼音、首字母、繁体、拉丁名、别名或炮制品名 / name, pinyin, initials, traditional, Latin, alias or processed form'),
  // Query-string values arrive as text: coerce, then validate as integers.
  limit: z.coerce.number<number>().int().min(1).max(SEARCH_LIMIT.max).default(SEARCH_LIMIT.default),
  offset: z.coerce.number<number>().int().min(0).max(SEARCH_OFFSET_MAX).default(0),
  category: z.enum(HERB_CATEGORIES).optional(),
  toxicity: z.enum(TOXICITIES).optional(),
  pregnancy: z.enum(PREGNANCY_CLASSES).optional(),
  sort: z.enum(SEARCH_SORTS).default('relevance'),
});

export const herbFormSchema = z.object({
  name: z.string(),
  processing: z.string(),
  handling: z.string().nullable(),
});

export const herbViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  pinyin: z.string(),
  initials: z.string(),
  latin: z.string(),
  aliases: z.array(z.string()),
  processedForms: z.array(herbFormSchema),
  category: z.string(),
  toxicity: z.enum(TOXICITIES),
  doseMinG: z.number().nullable().describe('daily decoction dose, grams'),
  doseMaxG: z.number().nullable().describe('daily decoction dose, grams'),
  forDecoction: z.boolean(),
  handling: z.string().nullable(),
  handlingNote: z.string().nullable(),
  pregnancy: z.enum(PREGNANCY_CLASSES),
  baseHerbName: z.string().nullable(),
  source: z.string(),
});

export const herbSearchItemSchema = herbViewSchema.extend({
  matchedBy: z.enum(MATCHED_BY).nullable(),
  matchedName: z.string().nullable(),
});

export const herbSearchOutput = z.object({
  query: z.string().nullable(),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(herbSearchItemSchema),
});

/** Public catalogue search (no sign-in): names, pinyin, initials, traditional, Latin, aliases. */
export const search = publicProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/herbs',
      tags: ['catalog'],
      summary: 'Search the herb catalogue (药材库检索)',
      description: 'Finds herbs by standard name, substring, pinyin (huangqi, huang qi, huang), initials (hq), traditional characters, Latin name, aliases and processed forms.',
    },
  })
  .input(herbSearchInput)
  .output(herbSearchOutput)
  .query(({ ctx, input }) => searchHerbs(ctx.db, input));
