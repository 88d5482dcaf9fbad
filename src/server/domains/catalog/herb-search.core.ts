import { INCOMPATIBILITIES, type IncompatibilityKind } from '../prescriptions/incompatibility.data.ts';
import { HERB_CATEGORIES, type HerbCategory } from './herb-master.data.ts';
import { compactPinyin, herbIndex, toHalfWidth, toSimplified } from './herb-names.core.ts';

/**
 * Pure half of catalogue search (DOMAIN.md "Catalog": search works the way Chinese buyers type).
 * It turns what the user typed into a `SearchPlan` — normalised text, its script, the compact pinyin
 * and LIKE/regex patterns — that the repository compiles to SQL, and it names the match tiers the
 * SQL ranks by. No I/O; deterministic.
 */

/** Longest query accepted at the edges (tRPC/REST input `q`). */
export const SEARCH_QUERY_MAX = 50;

/**
 * Match tiers, best first. The SQL assigns each row the best tier it reaches; results are ordered by
 * tier, then (within the similarity tier) by similarity, then by pinyin and name in code-point order.
 */
export const TIER = {
  /** The 药典 standard name itself (黄芪, also typed 黃芪 or with full-width characters). */
  exactName: 0,
  /** An alias or processed form exactly (黄耆, 法半夏, 炙甘草), the full pinyin (huangqi) or Latin name. */
  exactOther: 1,
  /** The initials exactly (hq). */
  initials: 2,
  /** The standard name or its pinyin starts with the query (黄, huang). */
  prefix: 3,
  /** An alias, processed form, initials or Latin name starts with the query. */
  prefixOther: 4,
  /** The standard name contains the query (芪 in 黄芪). */
  substring: 5,
  /** An alias, processed form or Latin name contains it, or a pinyin syllable starts it (qi → huang qi). */
  substringOther: 6,
  /** pg_trgm similarity above the threshold (typos, longer queries only). */
  similar: 7,
} as const;
export type Tier = (typeof TIER)[keyof typeof TIER];

export const MATCHED_BY = ['name', 'alias', 'processedForm', 'pinyin', 'initials', 'latin', 'similar'] as const;
export type MatchedBy = (typeof MATCHED_BY)[number];

/**
 * The SQL answers one integer per row: tier × 10 + index of `MATCHED_BY`. `decodeMatch` reverses it.
 */
export function encodeMatch(tier: Tier, by: MatchedBy): number {
  return tier * 10 + MATCHED_BY.indexOf(by);
}

export function decodeMatch(code: number | null | undefined): { tier: Tier; matchedBy: MatchedBy } | null {
  if (code === null || code === undefined || !Number.isInteger(code) || code < 0) return null;
  const by = MATCHED_BY[code % 10];
  const tier = Math.floor(code / 10);
  if (!by || tier > TIER.similar) return null;
  return { tier: tier as Tier, matchedBy: by };
}

/** Minimum pg_trgm `word_similarity` / `similarity` for the similarity tier. */
export const SIMILARITY_THRESHOLD = { words: 0.5, pinyin: 0.5 } as const;
/** Queries shorter than this (in characters) never use trigram similarity: too few trigrams. */
export const SIMILARITY_MIN_CHARS = { han: 3, latin: 4, other: 3 } as const;
/** Latin-script queries shorter than this do not substring-match Latin names (`ra` is not `Radix`). */
export const LATIN_SUBSTRING_MIN = 3;

// Control, format, surrogate and private-use characters (NUL is refused by PostgreSQL), variation
// selectors and enclosing marks (the leftovers of emoji), then punctuation and symbols (which no
// herb name contains) — all become spaces.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Me}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;
const PUNCTUATION = /[\p{P}\p{S}]/gu;

function normalizeOnce(text: string): string {
  const cleaned = toHalfWidth(text.replace(INVISIBLE, ' ').normalize('NFKC'))
    .replace(INVISIBLE, ' ')
    .replace(PUNCTUATION, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return toSimplified(cleaned).toLowerCase().normalize('NFKC');
}

/**
 * Normalises a typed query: traditional → simplified (黃芪 → 黄芪), NFKC and full-width → half-width
 * (ＨＱ → hq), lowercase, punctuation/symbols/emoji/control characters dropped, spaces collapsed and
 * trimmed. Idempotent: normalising twice gives the same text.
 */
export function normalizeSearchQuery(raw: string): string {
  let current = raw;
  // Each pass is deterministic; a second pass only changes text whose conversion created new
  // convertible characters. Iterate to the fixed point (in practice one or two passes).
  for (let i = 0; i < 4; i += 1) {
    const next = normalizeOnce(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}

const HAN = /\p{Script=Han}/u;
// Letters (with diacritics: pinyin tone marks, Oötheca) and spaces.
const LATIN_ONLY = /^(?:[a-z\u00c0-\u024f ]|\p{Mn})+$/u;

export type QueryScript = 'han' | 'latin' | 'other';

/** Han when it has a Chinese character; latin when only letters (pinyin, initials, Latin names). */
export function queryScript(normalized: string): QueryScript {
  if (HAN.test(normalized)) return 'han';
  if (LATIN_ONLY.test(normalized)) return 'latin';
  return 'other';
}

/** Escapes `%`, `_` and `\` for a LIKE pattern (default escape character `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * A POSIX regex matching compact pinyin at a syllable boundary of spaced pinyin: `huangqi` →
 * `(^| )h ?u ?a ?n ?g ?q ?i`; `v` and `u` also match `ü` (nvzhenzi, nuzhenzi → nü zhen zi).
 * The input must be `[a-z]+` (compact pinyin), so nothing in it is a regex metacharacter.
 */
export function pinyinSyllableRegex(compact: string): string {
  if (!/^[a-z]+$/.test(compact)) throw new Error('compact pinyin expected');
  const parts = Array.from(compact, (ch) => (ch === 'v' ? '[vü]' : ch === 'u' ? '[uü]' : ch));
  return `(^| )${parts.join(' ?')}`;
}

export interface SearchPlan {
  /** Normalised query text. */
  readonly text: string;
  readonly script: QueryScript;
  /** Compact pinyin (`huangqi`, ü as v) for latin-script queries; empty otherwise. */
  readonly compact: string;
  /** `text` escaped for LIKE patterns. */
  readonly likeText: string;
  /** Also match substrings of aliases, processed forms and Latin names. */
  readonly substring: boolean;
  /** Also match by pg_trgm similarity. */
  readonly similarity: boolean;
  /** Regex for syllable-boundary pinyin matching (latin-script queries only). */
  readonly pinyinRegex: string | null;
}

/**
 * What the search should do with `raw`: `{ browse: true }` when nothing was typed (list everything),
 * `{ empty: true }` when something was typed but nothing searchable is left (emoji, punctuation),
 * otherwise a plan.
 */
export type SearchIntent = { kind: 'browse' } | { kind: 'nothing' } | { kind: 'search'; plan: SearchPlan };

export function planSearch(raw: string | null | undefined): SearchIntent {
  if (raw === null || raw === undefined || raw.trim() === '') return { kind: 'browse' };
  const text = normalizeSearchQuery(raw);
  if (!text) return { kind: 'nothing' };
  const written = queryScript(text);
  const compact = written === 'latin' ? compactPinyin(text) : '';
  // Letters outside a–z only (ß, ø): nothing pinyin-like is left, search them as plain text.
  const script: QueryScript = written === 'latin' && !compact ? 'other' : written;
  const chars = Array.from(text.replace(/ /g, '')).length;
  return {
    kind: 'search',
    plan: {
      text,
      script,
      compact,
      likeText: escapeLike(text),
      substring: script !== 'latin' || chars >= LATIN_SUBSTRING_MIN,
      similarity: chars >= SIMILARITY_MIN_CHARS[script],
      pinyinRegex: compact.length >= 2 ? pinyinSyllableRegex(compact) : null,
    },
  };
}

/** The herb fields `matchedName` looks at. */
export interface NamedHerb {
  readonly name: string;
  readonly pinyin: string;
  readonly initials: string;
  readonly latin: string;
  readonly aliases: readonly string[];
  readonly processedForms: readonly { readonly name: string }[];
}

/**
 * The written name that made the row match, for display ("法半夏 → 半夏"): the alias or processed form
 * equal to, starting with or containing the query, or the standard name / pinyin / initials / Latin
 * name. Null when the match was by similarity only.
 */
export function matchedNameFor(plan: SearchPlan, by: MatchedBy, herb: NamedHerb): string | null {
  const pick = (names: readonly string[], fold: (s: string) => string = (s) => s) => {
    const q = plan.text;
    return names.find((n) => fold(n) === q) ?? names.find((n) => fold(n).startsWith(q)) ?? names.find((n) => fold(n).includes(q)) ?? null;
  };
  switch (by) {
    case 'name':
      return herb.name;
    case 'alias':
      return pick(herb.aliases);
    case 'processedForm':
      return pick(herb.processedForms.map((f) => f.name));
    case 'pinyin':
      return herb.pinyin;
    case 'initials':
      return herb.initials;
    case 'latin':
      return herb.latin;
    case 'similar':
      return null;
  }
}

export const SEARCH_SORTS = ['relevance', 'name', 'category'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Position of a category in the 《中药学》 chapter order (unknown categories last). */
export function categoryOrder(category: string): number {
  const i = HERB_CATEGORIES.indexOf(category as HerbCategory);
  return i === -1 ? HERB_CATEGORIES.length : i;
}

/** Integer milligrams ↔ grams (doses are stored as mg so 0.015 g stays exact). */
export function gramsToMg(grams: number): number {
  return Math.round(grams * 1000);
}

export function mgToGrams(mg: number | null): number | null {
  return mg === null ? null : mg / 1000;
}

export interface HerbIncompatibility {
  readonly ruleId: string;
  readonly kind: IncompatibilityKind;
  readonly label: string;
  readonly source: string;
  /** The herbs on the other side of the rule, as the rule names them. */
  readonly partners: readonly string[];
}

/**
 * 十八反 / 十九畏 rules involving a herb (by its standard name), matched the way screening matches:
 * a rule may name the herb by its standard name or an alias (官桂 → 肉桂), and a processed herb with
 * its own record inherits its base's rules (制川乌 → 川乌, 玄明粉 → 芒硝). Rules in data order;
 * partners by standard name (朴硝 → 芒硝), de-duplicated, in the rule's order.
 */
export function incompatibilitiesOf(herbName: string, baseHerbName: string | null = null): HerbIncompatibility[] {
  const index = herbIndex();
  const standard = (written: string) => index.resolve(written)?.herb.name ?? written;
  const self = new Set([herbName, ...(baseHerbName ? [baseHerbName] : [])]);
  const involves = (written: string) => self.has(written) || self.has(standard(written));
  const out: HerbIncompatibility[] = [];
  for (const rule of INCOMPATIBILITIES) {
    const others = [...(rule.sideA.some(involves) ? rule.sideB : []), ...(rule.sideB.some(involves) ? rule.sideA : [])];
    const partners = [...new Set(others.map(standard))].filter((name) => !self.has(name));
    if (partners.length > 0) out.push({ ruleId: rule.id, kind: rule.kind, label: rule.label, source: rule.source, partners });
  }
  return out;
}
