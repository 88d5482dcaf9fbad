import { Converter } from 'opencc-js/t2cn';
import { pinyin as pinyinOf } from 'pinyin-pro';
import { HERBS, type HerbRecord, type ProcessedForm } from './herb-master.data.ts';

/**
 * Pure helpers for herb names the way Chinese buyers and physicians write them (DOMAIN.md "Catalog"):
 * standard names, aliases, processed forms, traditional characters, pinyin (with or without spaces,
 * with or without tone marks), initials and Latin names. No I/O; deterministic.
 */

let t2s: ((text: string) => string) | undefined;

/** Traditional → simplified Chinese (OpenCC `t` → `cn`); other text passes through. */
export function toSimplified(text: string): string {
  t2s ??= Converter({ from: 't', to: 'cn' });
  return t2s(text);
}

/** Full-width ASCII (Ｈ, ３, ！) and the ideographic space to their half-width forms. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** Trim, NFKC, full-width → half-width, traditional → simplified, single spaces, lowercase latin. */
export function normalizeHerbQuery(text: string): string {
  return toSimplified(foldWidth(text)).toLowerCase();
}

function foldWidth(text: string): string {
  return toHalfWidth(text.normalize('NFKC')).trim().replace(/\s+/g, ' ');
}

/** Initials of a spaced pinyin: "huang qi" → "hq", "nü zhen zi" → "nzz". */
export function initialsOf(pinyin: string): string {
  return pinyin
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((syllable) => syllable.length > 0)
    .map((syllable) => foldLatin(syllable).charAt(0))
    .join('');
}

/** Pinyin without spaces, tone marks or apostrophes, ü written v: "nü zhen zi" → "nvzhenzi". */
export function compactPinyin(pinyin: string): string {
  return foldLatin(pinyin.toLowerCase().replace(/ü|u\u0308/g, 'v')).replace(/[^a-z]/g, '');
}

/** Lowercase, without diacritics (tone marks, the dieresis of Oötheca). */
function foldLatin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const LATIN_LETTERS = /^[a-z\s'’-]+$/;

/** Latin letters only (pinyin with or without tones, initials, Latin names). */
function isLatinQuery(text: string): boolean {
  return LATIN_LETTERS.test(foldLatin(text));
}
const HAN = /\p{Script=Han}/u;

export type MatchKind = 'name' | 'alias' | 'processedForm' | 'pinyin' | 'initials' | 'latin';

export interface HerbMatch {
  readonly herb: HerbRecord;
  /** Set when the written name is a processed form of `herb` (炙甘草 → 甘草, 蜜炙). */
  readonly processing?: string;
  readonly form?: ProcessedForm;
  readonly matchedBy: MatchKind;
  /** The written name was in traditional characters (黃芪). */
  readonly traditional?: boolean;
}

interface NameEntry {
  readonly herb: HerbRecord;
  readonly kind: 'name' | 'alias' | 'processedForm';
  readonly form?: ProcessedForm;
}

interface SuggestEntry {
  readonly herb: HerbRecord;
  /** Normalized Chinese names: standard name, aliases, processed forms. */
  readonly names: readonly string[];
  /** Compact pinyin of the standard name, plus the `u` spelling when it has ü. */
  readonly pinyins: readonly string[];
  readonly latin: string;
  /** The same, prepared for `suggest`'s similarity scan. */
  readonly preparedNames: readonly PreparedText[];
  readonly preparedPinyins: readonly PreparedText[];
  readonly preparedLatin: PreparedText;
}

/** Similarities below this are not offered as "did you mean". */
export const MIN_SUGGESTION_SCORE = 0.4;

/**
 * Name lookup over the herb master. Built once from `HERBS` (or another list, for tests); exact
 * lookups are O(1) map reads, `suggest` and `search` scan the list.
 */
export class HerbIndex {
  readonly herbs: readonly HerbRecord[];
  private readonly byName = new Map<string, NameEntry>();
  private readonly byRecordName = new Map<string, HerbRecord>();
  private readonly byPinyin = new Map<string, HerbRecord[]>();
  private readonly byInitials = new Map<string, HerbRecord[]>();
  private readonly byLatin = new Map<string, HerbRecord[]>();
  private readonly suggestEntries: readonly SuggestEntry[];
  /** Written names that two herbs (or a herb twice) claim; the first claim wins. Empty for HERBS. */
  readonly conflicts: readonly string[];

  constructor(herbs: readonly HerbRecord[] = HERBS) {
    this.herbs = herbs;
    const conflicts: string[] = [];
    const claim = (written: string, entry: NameEntry) => {
      const key = normalizeHerbQuery(written);
      const existing = this.byName.get(key);
      if (existing) {
        if (existing.herb !== entry.herb || existing.kind !== entry.kind) conflicts.push(written);
        return;
      }
      this.byName.set(key, entry);
    };
    // Standard names first, then aliases, then processed forms: a standard name always wins.
    for (const herb of herbs) {
      claim(herb.name, { herb, kind: 'name' });
      this.byRecordName.set(herb.name, herb);
    }
    for (const herb of herbs) for (const alias of herb.aliases) claim(alias, { herb, kind: 'alias' });
    for (const herb of herbs) for (const form of herb.processedForms) claim(form.name, { herb, kind: 'processedForm', form });
    this.conflicts = conflicts;

    const push = (map: Map<string, HerbRecord[]>, key: string, herb: HerbRecord) => {
      if (!key) return;
      const list = map.get(key);
      if (!list) map.set(key, [herb]);
      else if (!list.includes(herb)) list.push(herb);
    };
    this.suggestEntries = herbs.map((herb) => {
      const compact = compactPinyin(herb.pinyin);
      const pinyins = compact.includes('v') ? [compact, compact.replace(/v/g, 'u')] : [compact];
      for (const p of pinyins) push(this.byPinyin, p, herb);
      push(this.byInitials, initialsOf(herb.pinyin), herb);
      const latin = foldLatin(herb.latin).replace(/\s+/g, ' ').trim();
      push(this.byLatin, latin, herb);
      const names = [herb.name, ...herb.aliases, ...herb.processedForms.map((f) => f.name)].map(normalizeHerbQuery);
      return { herb, names, pinyins, latin, preparedNames: names.map(prepareText), preparedPinyins: pinyins.map(prepareText), preparedLatin: prepareText(latin) };
    });
  }

  /** The record with this exact standard name. */
  get(name: string): HerbRecord | undefined {
    return this.byRecordName.get(name);
  }

  /**
   * Resolves a written name: standard name, alias or processed form (also in traditional characters
   * or full-width), pinyin with or without spaces or tones, Latin name, or initials when only one
   * herb has them. Ambiguous pinyin or initials resolve to nothing.
   */
  resolve(written: string): HerbMatch | undefined {
    const folded = foldWidth(written).toLowerCase();
    if (!folded) return undefined;
    const query = toSimplified(folded);
    const traditional = query !== folded;
    const entry = this.byName.get(query);
    if (entry) {
      return {
        herb: entry.herb,
        matchedBy: entry.kind,
        ...(entry.form ? { form: entry.form, processing: entry.form.processing } : {}),
        ...(traditional ? { traditional: true } : {}),
      };
    }
    if (!isLatinQuery(query)) return undefined;
    const compact = compactPinyin(query);
    const byPinyin = this.byPinyin.get(compact);
    if (byPinyin?.length === 1) return { herb: byPinyin[0]!, matchedBy: 'pinyin' };
    if (byPinyin && byPinyin.length > 1) return undefined;
    const byLatin = this.byLatin.get(foldLatin(query));
    if (byLatin?.length === 1) return { herb: byLatin[0]!, matchedBy: 'latin' };
    const byInitials = this.byInitials.get(compact);
    if (byInitials?.length === 1) return { herb: byInitials[0]!, matchedBy: 'initials' };
    return undefined;
  }

  /**
   * "Did you mean": up to `k` herbs whose names, aliases, processed forms or pinyin look like
   * `written` (character-bigram Dice or edit-distance similarity, homophones via pinyin), best first,
   * ties by standard name in code-point order. Deterministic.
   */
  suggest(written: string, k = 3): HerbRecord[] {
    const query = normalizeHerbQuery(written);
    if (!query || k <= 0) return [];
    const hasHan = HAN.test(query);
    const queryPinyin = hasHan
      ? compactPinyin(pinyinOf(query, { toneType: 'none', type: 'array', v: true, nonZh: 'removed' }).join(''))
      : compactPinyin(query);
    const preparedQuery = prepareText(query);
    const preparedPinyin = prepareText(queryPinyin);
    const preparedLatin = prepareText(foldLatin(query));
    const scored: { herb: HerbRecord; score: number }[] = [];
    for (const entry of this.suggestEntries) {
      let score = 0;
      if (hasHan) {
        for (const name of entry.preparedNames) score = Math.max(score, preparedSimilarity(preparedQuery, name));
        if (queryPinyin) for (const p of entry.preparedPinyins) score = Math.max(score, 0.9 * preparedSimilarity(preparedPinyin, p));
      } else {
        for (const p of entry.preparedPinyins) score = Math.max(score, preparedSimilarity(preparedPinyin, p));
        score = Math.max(score, preparedSimilarity(preparedLatin, entry.preparedLatin));
      }
      if (score >= MIN_SUGGESTION_SCORE) scored.push({ herb: entry.herb, score });
    }
    scored.sort((a, b) => b.score - a.score || compareCodePoints(a.herb.name, b.herb.name));
    return scored.slice(0, k).map((s) => s.herb);
  }

  /**
   * Catalogue search: exact resolution first, then names/aliases/processed forms by prefix and
   * substring (`芪` finds 黄芪), pinyin and initials by prefix, Latin names by substring.
   */
  search(text: string, limit = 20): HerbRecord[] {
    const query = normalizeHerbQuery(text);
    if (!query || limit <= 0) return [];
    const exact = this.resolve(text);
    const isLatin = isLatinQuery(query);
    const compact = isLatin ? compactPinyin(query) : '';
    const latin = foldLatin(query);
    const scored: { herb: HerbRecord; score: number }[] = [];
    for (const entry of this.suggestEntries) {
      let score = exact?.herb === entry.herb ? 100 : 0;
      const [standard, ...others] = entry.names;
      if (standard !== undefined) {
        if (standard.startsWith(query)) score = Math.max(score, 80);
        else if (standard.includes(query)) score = Math.max(score, 60);
      }
      for (const other of others) {
        if (other.startsWith(query)) score = Math.max(score, 70);
        else if (other.includes(query)) score = Math.max(score, 50);
      }
      if (isLatin && compact) {
        if (entry.pinyins.some((p) => p.startsWith(compact))) score = Math.max(score, 65);
        if (initialsOf(entry.herb.pinyin).startsWith(compact)) score = Math.max(score, 55);
        if (entry.latin.includes(latin)) score = Math.max(score, 45);
      }
      if (score > 0) scored.push({ herb: entry.herb, score });
    }
    scored.sort(
      (a, b) =>
        b.score - a.score ||
        a.herb.name.length - b.herb.name.length ||
        compareCodePoints(a.herb.name, b.herb.name),
    );
    return scored.slice(0, limit).map((s) => s.herb);
  }
}

let defaultIndex: HerbIndex | undefined;

/** The index over `HERBS`, built on first use. */
export function herbIndex(): HerbIndex {
  defaultIndex ??= new HerbIndex(HERBS);
  return defaultIndex;
}

/** Compares strings by Unicode code point (not UTF-16 unit); a prefix sorts first. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/**
 * A string prepared for {@link similarity}: its code points and its sorted character bigrams (with
 * start and end marks), computed once per name rather than once per comparison.
 */
export interface PreparedText {
  readonly text: string;
  readonly codePoints: Int32Array;
  /** Bigram keys `first × 0x110000 + second`, ascending (a multiset). */
  readonly bigrams: Float64Array;
}

const START_MARK = 0x02;
const END_MARK = 0x03;
const CODE_POINTS = 0x110000;

export function prepareText(text: string): PreparedText {
  const codePoints = Int32Array.from(text, (c) => c.codePointAt(0)!);
  const bigrams = new Float64Array(codePoints.length + 1);
  let previous = START_MARK;
  for (let i = 0; i <= codePoints.length; i++) {
    const current = i < codePoints.length ? codePoints[i]! : END_MARK;
    bigrams[i] = previous * CODE_POINTS + current;
    previous = current;
  }
  bigrams.sort();
  return { text, codePoints, bigrams };
}

/** Similarity in [0, 1]: the better of character-bigram Dice and normalized Levenshtein. */
export function similarity(a: string, b: string): number {
  return preparedSimilarity(prepareText(a), prepareText(b));
}

/** {@link similarity} of prepared strings (no allocation). */
export function preparedSimilarity(a: PreparedText, b: PreparedText): number {
  if (a.text === b.text) return a.text.length > 0 ? 1 : 0;
  const m = a.codePoints.length;
  const n = b.codePoints.length;
  if (m === 0 || n === 0) return 0;
  const lev = 1 - levenshtein(a.codePoints, b.codePoints) / Math.max(m, n);
  return Math.max(dice(a.bigrams, b.bigrams), lev);
}

/** Dice coefficient of two sorted bigram multisets (merge count of the shared ones). */
function dice(a: Float64Array, b: Float64Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return (2 * shared) / (a.length + b.length);
}

/** One reusable row for the edit distance (grown on demand; pure: nothing survives a call). */
let levRow = new Int32Array(64);

function levenshtein(x: Int32Array, y: Int32Array): number {
  if (levRow.length < y.length + 1) levRow = new Int32Array(2 * (y.length + 1));
  const row = levRow;
  for (let j = 0; j <= y.length; j++) row[j] = j;
  for (let i = 1; i <= x.length; i++) {
    let diagonal = row[0]!; // the previous row's [j - 1]
    row[0] = i;
    const xi = x[i - 1]!;
    for (let j = 1; j <= y.length; j++) {
      const above = row[j]!;
      const cost = xi === y[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[y.length]!;
}
