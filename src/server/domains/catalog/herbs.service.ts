import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { PregnancyClass, Toxicity } from './herb-master.data.ts';
import {
  decodeMatch,
  incompatibilitiesOf,
  matchedNameFor,
  mgToGrams,
  planSearch,
  type HerbIncompatibility,
  type MatchedBy,
  type SearchSort,
} from './herb-search.core.ts';
import { findHerbById, herbIdsByName, queryHerbs, type HerbRowRead } from './herbs.repo.ts';
import type { StoredProcessedForm } from './herbs.seed.ts';

/**
 * Catalogue search and herb facts (DOMAIN.md "Catalog"). Public reference data: no org scoping, no
 * side effects.
 */

export interface HerbSearchInput {
  q?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  category?: string | undefined;
  toxicity?: string | undefined;
  pregnancy?: string | undefined;
  sort?: SearchSort | undefined;
}

export interface HerbFormView {
  name: string;
  processing: string;
  /** The handling this form needs (its own override, else the herb's). */
  handling: string | null;
}

export interface HerbView {
  id: string;
  name: string;
  pinyin: string;
  initials: string;
  latin: string;
  aliases: string[];
  processedForms: HerbFormView[];
  category: string;
  toxicity: Toxicity;
  doseMinG: number | null;
  doseMaxG: number | null;
  forDecoction: boolean;
  handling: string | null;
  handlingNote: string | null;
  pregnancy: PregnancyClass;
  baseHerbName: string | null;
  source: string;
}

export interface HerbSearchItem extends HerbView {
  /** How the query matched (null when browsing without a query). */
  matchedBy: MatchedBy | null;
  /** The written name that matched (法半夏 for 半夏), when it is not obvious. */
  matchedName: string | null;
}

export interface HerbSearchResult {
  /** The normalised query (黃芪 → 黄芪), null when browsing. */
  query: string | null;
  total: number;
  limit: number;
  offset: number;
  items: HerbSearchItem[];
}

export interface HerbDetail extends HerbView {
  /** The processed herb this one is made from, with its id when it is in the catalogue. */
  base: { name: string; id: string | null } | null;
  incompatibilities: (Omit<HerbIncompatibility, 'partners'> & { partners: { name: string; id: string | null }[] })[];
}

export const SEARCH_LIMIT = { default: 20, max: 100 } as const;
export const SEARCH_OFFSET_MAX = 10_000;

export function toHerbView(row: HerbRowRead): HerbView {
  return {
    id: row.id,
    name: row.name,
    pinyin: row.pinyin,
    initials: row.initials,
    latin: row.latin,
    aliases: [...row.aliases],
    processedForms: (row.processedForms as StoredProcessedForm[]).map((f) => ({
      name: f.name,
      processing: f.processing,
      handling: f.handling === undefined ? row.handling : f.handling,
    })),
    category: row.category,
    toxicity: row.toxicity as Toxicity,
    doseMinG: mgToGrams(row.doseMinMg),
    doseMaxG: mgToGrams(row.doseMaxMg),
    forDecoction: row.forDecoction,
    handling: row.handling,
    handlingNote: row.handlingNote,
    pregnancy: row.pregnancy as PregnancyClass,
    baseHerbName: row.baseHerbName,
    source: row.source,
  };
}

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/**
 * Searches the herb master: names, substrings, pinyin, initials, traditional characters, Latin
 * names, aliases and processed forms, ranked exact > alias/processed exact > prefix > substring >
 * similarity, ties by pinyin. Without `q`, lists (filtered) herbs in the requested order.
 */
export async function searchHerbs(db: DbOrTx, input: HerbSearchInput = {}): Promise<HerbSearchResult> {
  const limit = clampInt(input.limit, 1, SEARCH_LIMIT.max, SEARCH_LIMIT.default);
  const offset = clampInt(input.offset, 0, SEARCH_OFFSET_MAX, 0);
  const intent = planSearch(input.q);
  if (intent.kind === 'nothing') return { query: '', total: 0, limit, offset, items: [] };
  const plan = intent.kind === 'search' ? intent.plan : null;
  const { rows, total } = await queryHerbs(db, {
    plan,
    sort: input.sort ?? 'relevance',
    limit,
    offset,
    category: input.category,
    toxicity: input.toxicity,
    pregnancy: input.pregnancy,
  });
  const items = rows.map((row): HerbSearchItem => {
    const view = toHerbView(row);
    const match = decodeMatch(row.matchCode);
    return {
      ...view,
      matchedBy: match?.matchedBy ?? null,
      matchedName: match && plan ? matchedNameFor(plan, match.matchedBy, view) : null,
    };
  });
  return { query: plan?.text ?? null, total, limit, offset, items };
}

/** One herb with every fact, its base herb and the 十八反/十九畏 rules it is part of. */
export async function getHerb(db: DbOrTx, id: string): Promise<HerbDetail> {
  const row = await findHerbById(db, id);
  if (!row) throw new AppError('NOT_FOUND', msg('herb.notFound'), { field: 'id' });
  const view = toHerbView(row);
  const rules = incompatibilitiesOf(row.name, row.baseHerbName);
  const names = new Set<string>(rules.flatMap((r) => r.partners));
  if (row.baseHerbName) names.add(row.baseHerbName);
  const ids = await herbIdsByName(db, [...names]);
  return {
    ...view,
    base: row.baseHerbName ? { name: row.baseHerbName, id: ids.get(row.baseHerbName) ?? null } : null,
    incompatibilities: rules.map((r) => ({ ...r, partners: r.partners.map((name) => ({ name, id: ids.get(name) ?? null })) })),
  };
}
