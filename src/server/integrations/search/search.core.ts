import { planSearch, normalizeSearchQuery, type SearchPlan } from '../../domains/catalog/herb-search.core.ts';
import { compactPinyin, initialsOf } from '../../domains/catalog/herb-names.core.ts';
import { herbGramsOf, herbIdOf, titleExtraOf, type HerbFields } from './herb-first.core.ts';
import { pageOf, type FacetCounts, type SearchDocument, type SearchFilters, type SearchRequest, type SearchResult } from './search.port.ts';

/**
 * Pure half of catalogue search over documents: how a document is normalised for matching, the
 * match tiers, and a brute-force in-memory search applying exactly the rules the Postgres adapter
 * compiles to SQL (the benchmark's recall oracle and the tests' reference). No I/O; deterministic.
 */

/** Match tiers, best first (lower is better). */
export const DOC_TIER = {
  /** Han: the standard name or the title exactly. Latin: the full compact pinyin. */
  exact: 0,
  /** Han: an alias or processed form exactly. Latin: the initials or the Latin name exactly. */
  exactOther: 1,
  /** Han: the name or title starts with the query. Latin: pinyin, initials or Latin name prefix. */
  prefix: 2,
  /**
   * Han: the title or the herb's names (` name alias … latin `) contain it. Latin: a pinyin syllable
   * starts it, or (3+ letters) the title or the herb's names contain it.
   */
  substring: 3,
  /** pg_trgm `similarity` ≥ threshold (3+ characters): typos. */
  similar: 4,
} as const;
export type DocTier = (typeof DOC_TIER)[keyof typeof DOC_TIER];

export const DOC_SIMILARITY_THRESHOLD = 0.5;

/**
 * The normalised, denormalised columns of a document. A document matches through its herb's names
 * (`herb`) or its own title (`titleKey`): see `matchDocument`. The document-wide columns (`names`,
 * `searchText`, `chars`, …) are stored too and feed the Meilisearch record.
 */
export interface NormalizedDocument {
  id: string;
  herbKey: string;
  titleKey: string;
  /** Normalised names: standard name, title, aliases, processed forms (distinct). */
  names: string[];
  /** ` name1 name2 … latin `. */
  searchText: string;
  /** Distinct characters of searchText (without spaces): candidate filter for short queries. */
  chars: string[];
  latin: string;
  pinyinCompact: string;
  /** ü read as u (nuzhenzi finds nü zhen zi). */
  pinyinCompactU: string;
  /** ` huangqi qi ` (+ u variants): the compact pinyin from each syllable on. */
  pinyinWords: string;
  initials: string;
  /** The herb-level part (everything but the title), shared by every document of the herb. */
  herb: NormalizedHerb;
  /** Grams of the title its herb lacks (herb-first.core.ts): finds title-only matches. */
  titleExtra: string[];
}

/** A document's herb-level match columns: one `search_herb` row per distinct value. */
export interface NormalizedHerb extends HerbFields {
  /** `herbIdOf` these columns. */
  id: string;
  /** ` name alias … latin `: substring matching over the herb's names (the title is matched apart). */
  searchText: string;
  pinyinCompactU: string;
  /** `herbGramsOf` the names and the Latin name. */
  grams: string[];
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))];
}

/** Small memo for repeated names (many documents share a herb's names); cleared when it grows. */
function memo<T>(fn: (key: string) => T, max = 20_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (cache.size >= max) cache.clear();
    const value = fn(key);
    cache.set(key, value);
    return value;
  };
}

const normalizeName = memo(normalizeSearchQuery);

export function normalizeDocument(doc: SearchDocument): NormalizedDocument {
  const herbKey = normalizeName(doc.herbName);
  const titleKey = normalizeName(doc.title);
  const names = distinct([herbKey, titleKey, ...doc.aliases.map(normalizeName), ...doc.processedForms.map(normalizeName)]);
  const latin = normalizeName(doc.latin);
  const searchText = ` ${distinct([...names, latin]).join(' ')} `;
  const syllables = doc.pinyin.trim().split(/\s+/).map(compactPinyin).filter((s) => s.length > 0);
  const tails: string[] = [];
  for (let i = 0; i < syllables.length; i += 1) tails.push(syllables.slice(i).join(''));
  const pinyinCompact = syllables.join('');
  const pinyinCompactU = pinyinCompact.replace(/v/g, 'u');
  const pinyinWords = ` ${distinct([...tails, ...tails.map((t) => t.replace(/v/g, 'u'))]).join(' ')} `;
  const initials = (doc.initials ? compactPinyin(doc.initials) : '') || initialsOf(syllables.join(' '));
  const herb = herbOf({
    herbKey,
    names: distinct([herbKey, ...doc.aliases.map(normalizeName), ...doc.processedForms.map(normalizeName)]),
    latin,
    pinyinCompact,
    pinyinWords,
    initials,
  });
  return {
    id: doc.id,
    herbKey,
    titleKey,
    names,
    searchText,
    chars: queryChars(searchText),
    latin,
    pinyinCompact,
    pinyinCompactU,
    pinyinWords,
    initials,
    herb,
    titleExtra: titleExtraOf(titleKey, herb.grams),
  };
}

/** Herb rows repeat across documents: built once per distinct herb. */
const herbCache = new Map<string, NormalizedHerb>();

function herbOf(fields: HerbFields): NormalizedHerb {
  const id = herbIdOf(fields);
  const hit = herbCache.get(id);
  if (hit) return hit;
  if (herbCache.size >= 20_000) herbCache.clear();
  const herb: NormalizedHerb = {
    ...fields,
    id,
    searchText: ` ${distinct([...fields.names, fields.latin]).join(' ')} `,
    pinyinCompactU: fields.pinyinCompact.replace(/v/g, 'u'),
    grams: herbGramsOf([...fields.names, fields.latin]),
  };
  herbCache.set(id, herb);
  return herb;
}

/** Distinct non-space characters (code points), in first-seen order. */
export function queryChars(text: string): string[] {
  return distinct(Array.from(text.replace(/\s+/g, '')));
}

// ---- pg_trgm `similarity` (port): words of alphanumerics, padded "  w ", trigram sets, Jaccard ----

const WORD = /[\p{L}\p{N}]+/gu;

export const trigrams = memo(trigramsOf);

function trigramsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.toLowerCase().match(WORD) ?? []) {
    const chars = Array.from(`  ${word} `);
    for (let i = 0; i + 3 <= chars.length; i += 1) out.add(chars.slice(i, i + 3).join(''));
  }
  return out;
}

const similarityCache = new Map<string, number>();

/** pg_trgm `similarity(a, b)` as float4 (memoised: documents repeat a herb's names). */
export function trigramSimilarity(a: string, b: string): number {
  const key = `${a}\u0000${b}`;
  const hit = similarityCache.get(key);
  if (hit !== undefined) return hit;
  if (similarityCache.size >= 50_000) similarityCache.clear();
  const value = computeSimilarity(a, b);
  similarityCache.set(key, value);
  return value;
}

function computeSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let common = 0;
  for (const t of ta) if (tb.has(t)) common += 1;
  return Math.fround(common / (ta.size + tb.size - common));
}

export interface DocMatch {
  tier: DocTier;
  /** Similarity for the `similar` tier, else 0. */
  similarity: number;
}

/** The best tier a herb's names reach for `plan` (title aside), or null. The SQL twin is in the adapter. */
export function matchHerb(plan: SearchPlan, h: NormalizedHerb): DocMatch | null {
  const { text: t, compact: c } = plan;
  if (plan.script === 'latin') {
    if (h.pinyinCompact === c || h.pinyinCompactU === c) return { tier: DOC_TIER.exact, similarity: 0 };
    if (h.initials === c || h.latin === t) return { tier: DOC_TIER.exactOther, similarity: 0 };
    if (h.pinyinCompact.startsWith(c) || h.pinyinCompactU.startsWith(c) || h.initials.startsWith(c) || h.latin.startsWith(t)) {
      return { tier: DOC_TIER.prefix, similarity: 0 };
    }
    if (h.pinyinWords.includes(` ${c}`) || (plan.substring && h.searchText.includes(t))) return { tier: DOC_TIER.substring, similarity: 0 };
    if (plan.similarity) {
      const s = Math.max(trigramSimilarity(h.pinyinCompact, c), trigramSimilarity(h.latin, t));
      if (s >= DOC_SIMILARITY_THRESHOLD) return { tier: DOC_TIER.similar, similarity: s };
    }
    return null;
  }
  if (h.herbKey === t) return { tier: DOC_TIER.exact, similarity: 0 };
  if (h.names.includes(t)) return { tier: DOC_TIER.exactOther, similarity: 0 };
  if (h.herbKey.startsWith(t)) return { tier: DOC_TIER.prefix, similarity: 0 };
  if (h.searchText.includes(t)) return { tier: DOC_TIER.substring, similarity: 0 };
  if (plan.similarity) {
    const s = trigramSimilarity(h.herbKey, t);
    if (s >= DOC_SIMILARITY_THRESHOLD) return { tier: DOC_TIER.similar, similarity: s };
  }
  return null;
}

/**
 * The tier a document's title reaches on its own, or null: Chinese (and other) text matches the
 * title exactly, as a prefix or as a substring; Latin-script text only as a substring, when the plan
 * allows substrings.
 */
export function matchTitle(plan: SearchPlan, titleKey: string): DocTier | null {
  const t = plan.text;
  if (plan.script === 'latin') return plan.substring && titleKey.includes(t) ? DOC_TIER.substring : null;
  if (titleKey === t) return DOC_TIER.exact;
  if (titleKey.startsWith(t)) return DOC_TIER.prefix;
  if (titleKey.includes(t)) return DOC_TIER.substring;
  return null;
}

/**
 * The best tier `doc` reaches for `plan`, or null when it does not match: the better of its herb's
 * match and its title's (a title never matches by similarity). Mirrors the SQL exactly.
 */
export function matchDocument(plan: SearchPlan, d: NormalizedDocument): DocMatch | null {
  const herb = matchHerb(plan, d.herb);
  const title = matchTitle(plan, d.titleKey);
  if (title === null) return herb;
  if (herb === null || title < herb.tier) return { tier: title, similarity: 0 };
  return herb;
}

/** Relevance score reported on hits: higher is better (5 for an exact match … similarity for typos). */
export function scoreOf(m: DocMatch): number {
  return m.tier === DOC_TIER.similar ? m.similarity : 5 - m.tier;
}

export function passesFilters(doc: SearchDocument, f: SearchFilters | undefined): boolean {
  if (!f) return true;
  if (f.kind !== undefined && doc.kind !== f.kind) return false;
  if (f.form !== undefined && doc.form !== f.form) return false;
  if (f.grade !== undefined && doc.grade !== f.grade) return false;
  if (f.origin !== undefined && doc.origin !== f.origin) return false;
  if (f.daoDi !== undefined && (doc.daoDi ?? null) !== f.daoDi) return false;
  if (f.inStock !== undefined && (doc.inStock ?? null) !== f.inStock) return false;
  if (f.certificate !== undefined && !(doc.certificates ?? []).includes(f.certificate)) return false;
  const price = doc.priceFenPerKg ?? null;
  if (f.priceMin !== undefined && (price === null || price < f.priceMin)) return false;
  if (f.priceMax !== undefined && (price === null || price > f.priceMax)) return false;
  return true;
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Scored {
  doc: SearchDocument;
  match: DocMatch | null;
  time: number;
}

/**
 * The order both adapters use. relevance: tier, similarity desc, id; price_asc/desc: price (no
 * price last), then relevance; newest: updatedAt desc, then relevance. Ids in code-point order.
 */
function compareScored(sort: SearchRequest['sort'], a: Scored, b: Scored): number {
  const relevance = () =>
    (a.match?.tier ?? 0) - (b.match?.tier ?? 0) || (b.match?.similarity ?? 0) - (a.match?.similarity ?? 0) || compareCodePoints(a.doc.id, b.doc.id);
  if (sort === 'price_asc' || sort === 'price_desc') {
    const pa = a.doc.priceFenPerKg ?? null;
    const pb = b.doc.priceFenPerKg ?? null;
    if (pa !== pb) {
      if (pa === null) return 1;
      if (pb === null) return -1;
      return sort === 'price_asc' ? pa - pb : pb - pa;
    }
    return relevance();
  }
  if (sort === 'newest') return b.time - a.time || relevance();
  return relevance();
}

function count(into: FacetCounts, value: string | null | undefined): void {
  if (value === null || value === undefined) return;
  into[value] = (into[value] ?? 0) + 1;
}

/** A prepared in-memory corpus: documents with their normalised columns. */
export interface Corpus {
  docs: SearchDocument[];
  normalized: NormalizedDocument[];
}

export function prepareCorpus(docs: readonly SearchDocument[]): Corpus {
  return { docs: [...docs], normalized: docs.map(normalizeDocument) };
}

/** Brute-force search: scans every document with `matchDocument` — the reference the adapters are measured against. */
export function bruteForceSearch(corpus: Corpus, request: SearchRequest): SearchResult {
  const intent = planSearch(request.q);
  const { limit, offset } = pageOf(request);
  const empty: SearchResult = { hits: [], total: 0, facets: { form: {}, grade: {}, origin: {} } };
  if (intent.kind === 'nothing') return empty;
  const matched: Scored[] = [];
  for (let i = 0; i < corpus.docs.length; i += 1) {
    const doc = corpus.docs[i]!;
    if (!passesFilters(doc, request.filters)) continue;
    const match = intent.kind === 'browse' ? null : matchDocument(intent.plan, corpus.normalized[i]!);
    if (intent.kind === 'search' && !match) continue;
    matched.push({ doc, match, time: Date.parse(doc.updatedAt) });
  }
  const facets = { form: {} as FacetCounts, grade: {} as FacetCounts, origin: {} as FacetCounts };
  for (const m of matched) {
    count(facets.form, m.doc.form);
    count(facets.grade, m.doc.grade);
    count(facets.origin, m.doc.origin);
  }
  matched.sort((a, b) => compareScored(request.sort, a, b));
  return {
    hits: matched.slice(offset, offset + limit).map((m) => ({ id: m.doc.id, score: m.match ? scoreOf(m.match) : 0 })),
    total: matched.length,
    facets,
  };
}
