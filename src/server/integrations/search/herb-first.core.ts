import { createHash } from 'node:crypto';
import type { SearchPlan } from '../../domains/catalog/herb-search.core.ts';

/**
 * Pure half of the Postgres adapter's herb-first search. Catalogue documents share their herb's
 * names (standard name, aliases, processed forms, Latin name, pinyin, initials): ~500 herbs under
 * 100,000 documents. So a query is matched against the herbs first (`search_herb`, a few hundred
 * rows) and the documents of the matching herbs are read through a btree index on `herb_id`. Only
 * a document's title is its own; a document that matches by its title alone is found through its
 * `title_extra`: the 1- and 2-character grams of the title that none of its herb's names has.
 *
 * Why that finds every title match: a title containing the query contains every gram of the query.
 * Either all of the query's grams are grams of the document's herb — the herb *covers* the query, so
 * its documents are read through the herb path and their titles checked there — or one of them is
 * not, and then that gram is in the document's `title_extra` (property-tested).
 */

/** Distinct 1- and 2-character grams (code points) of `text`, without the all-space ones. */
export function gramsOf(text: string): string[] {
  const chars = Array.from(text);
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i += 1) {
    out.add(chars[i]!);
    if (i + 1 < chars.length) out.add(chars[i]! + chars[i + 1]!);
  }
  return [...out].filter((g) => g.trim() !== '');
}

/** The grams of a herb: those of each of its names and of its Latin name (never across two names). */
export function herbGramsOf(names: readonly string[]): string[] {
  return [...new Set(names.flatMap(gramsOf))];
}

/** The title's grams that the herb does not have: what a title-only match is found by. */
export function titleExtraOf(titleKey: string, herbGrams: readonly string[]): string[] {
  const herb = new Set(herbGrams);
  return gramsOf(titleKey).filter((g) => !herb.has(g));
}

/** The grams a title containing `text` must have: the text itself if one character, else its bigrams. */
export function queryGramsOf(text: string): string[] {
  const chars = Array.from(text);
  if (chars.length <= 1) return chars.filter((c) => c.trim() !== '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) out.add(chars[i]! + chars[i + 1]!);
  return [...out];
}

/** Whether every query gram is one of the herb's: then a title-only match can hide among its documents. */
export function herbCovers(herbGrams: readonly string[], queryGrams: readonly string[]): boolean {
  const herb = new Set(herbGrams);
  return queryGrams.every((g) => herb.has(g));
}

/** The herb-level match columns of a document (everything but its title). */
export interface HerbFields {
  herbKey: string;
  /** Standard name, aliases, processed forms (normalised, distinct). */
  names: readonly string[];
  latin: string;
  pinyinCompact: string;
  pinyinWords: string;
  initials: string;
}

/**
 * A stable id for a herb's match columns: documents with the same herb names share one
 * `search_herb` row. Derived from the columns themselves, so any writer computes the same id.
 */
export function herbIdOf(h: HerbFields): string {
  const key = JSON.stringify([h.herbKey, h.names, h.latin, h.pinyinCompact, h.pinyinWords, h.initials]);
  return `h_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

/** How a query is answered: herbs always; titles too when the plan can match a title. */
export interface SearchRoute {
  /** Titles can match: Chinese and other text always, Latin-script text when substrings count. */
  titles: boolean;
  /** Grams a title must have to contain the query (empty when titles are not searched). */
  grams: string[];
}

export function routeOf(plan: SearchPlan): SearchRoute {
  const titles = plan.script !== 'latin' || plan.substring;
  return { titles, grams: titles ? queryGramsOf(plan.text) : [] };
}
