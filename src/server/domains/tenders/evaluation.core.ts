import { canonicalJson, sha256Hex } from '../../../lib/canonical-json.ts';
import { AppError } from '../../../lib/errors.ts';
import type {
  LotRejection,
  LotResult,
  LotWinner,
  RejectReason,
  TenderBid,
  TenderInput,
  TenderLot,
  TenderResult,
} from './evaluation.types.ts';

/**
 * Tender evaluation (DOMAIN.md "Alliance tenders", CONTRACTS.md `bencao tender-evaluate`).
 *
 * Pure and deterministic: no clock, no randomness, no locale, no floating-point decision. The output
 * depends only on the set of bids, never on their order in the input, and is the same byte for byte on
 * every run; `sha256` is the hex SHA-256 of `canonicalJson(lots)`.
 *
 * Per lot:
 * 1. Supersession: of one supplier's bids on the lot, the one with the latest `submittedAt` instant counts
 *    (same instant: the greater bid id); every other bid of that supplier on that lot is `SUPERSEDED`,
 *    whatever else is wrong with it.
 * 2. Validity of the counting bid: `NOT_QUALIFIED` if its supplier is not qualified, else
 *    `ABOVE_CEILING` if its price exceeds the ceiling. n = number of valid bids (= distinct suppliers).
 *    No valid bid: the lot fails (流标) — `anchorFenPerKg: null`, `maxWinners: 0`, `share: 0`,
 *    `agreedG: 0`, no winners, every bid in `rejected`.
 * 3. Anchor = lowest valid price; maxWinners from the table by n (`maxWinnersFor`).
 * 4. `vbp_price`: candidates are valid bids with price ≤ 1.8 × anchor or price ≤ 50 % of the ceiling
 *    (compared on integers: price·10 ≤ anchor·18, price·2 ≤ ceiling); the others are
 *    `ABOVE_ANCHOR_LIMIT`. Candidates ranked by price, then earlier `submittedAt`, then bid id; the first
 *    maxWinners win, the other candidates are `OUT_OF_SHORTLIST`.
 *    `weighted_score`: every valid bid is ranked by score (highest first), then price, earlier
 *    `submittedAt`, bid id; the first maxWinners win, the others are `OUT_OF_SHORTLIST`.
 * 5. share by the number of winners (1 → 0.5, 2 → 0.6, 3 → 0.7, ≥ 4 → 0.8) and
 *    agreedG = floor(demandG × share), computed on integers.
 *
 * Weighted score — decisions:
 * - score = (wp · (anchor / price) · 100 + wq · qualityScore) / (wp + wq), i.e. the DOMAIN.md formula
 *   with the weights normalised by their sum, so the score stays on a 0–100 scale whatever unit the
 *   weights are written in (60/40, 3/2 and 0.6/0.4 mean the same; DOMAIN.md's 60/40 example is 0.6/0.4).
 *   Dividing by the constant wp + wq never changes the order, so the awarded result is the same with or
 *   without normalisation; the score itself is not part of the output.
 * - Scores are compared exactly, never as floats: with q = qualityScore in hundredths (an integer, the
 *   schema allows at most 2 decimals), 100 · (wp + wq) · score = N / price where
 *   N = wp · anchor · 10 000 + wq · q · price, so score_a > score_b ⇔ N_a · price_b > N_b · price_a.
 *   Products stay in doubles when they provably fit in 2^53, otherwise they are computed with BigInt.
 * - The 1.8 × anchor candidate filter does not apply to the weighted method: the price term already
 *   rewards cheap bids, and a filter on price alone would let a high-quality bid above 1.8 × anchor
 *   lose regardless of the quality weight the alliance chose. So `ABOVE_ANCHOR_LIMIT` never appears with
 *   `weighted_score`; valid bids that do not win are `OUT_OF_SHORTLIST`.
 *
 * Ordering of ids (bid ids in `rejected`, the "greater bid id" tie-break, the last ranking tie-break):
 * plain string comparison by UTF-16 code units, independent of locale.
 */

/** Max winners by n (valid suppliers), index = n for n ≤ 16; n ≥ 16 → 10. DOMAIN.md. */
const MAX_WINNERS_TABLE = [0, 1, 2, 2, 3, 3, 3, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10] as const;

export function maxWinnersFor(validSuppliers: number): number {
  if (validSuppliers <= 0) return 0;
  return MAX_WINNERS_TABLE[Math.min(validSuppliers, 16)] ?? 10;
}

/** Share of the demand agreed, in percent, by the number of winners. DOMAIN.md. */
export function sharePercentFor(winners: number): 0 | 50 | 60 | 70 | 80 {
  if (winners <= 0) return 0;
  if (winners === 1) return 50;
  if (winners === 2) return 60;
  if (winners === 3) return 70;
  return 80;
}

/** floor(demandG × percent / 100) on integers, exact for any safe demandG. */
export function agreedGrams(demandG: number, percent: number): number {
  const product = demandG * percent;
  // Integer steps only: `product % 100` and the division of an exact multiple of 100 are both exact.
  if (product <= Number.MAX_SAFE_INTEGER) return (product - (product % 100)) / 100;
  return Number((BigInt(demandG) * BigInt(percent)) / 100n);
}

// ---------------------------------------------------------------------------------------------------
// Instants

/** An instant: whole seconds since the epoch plus the fraction digits with trailing zeros removed. */
export interface Instant {
  sec: number;
  frac: string;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The number written by the digits text[from, to), or -1 if one of them is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)` (the form the schema accepts) into `target`; false if
 * the text is not in that form. Hand-rolled (no regex, no substrings but the fraction) because it runs
 * once per bid.
 */
function readInstant(text: string, target: Instant): boolean {
  const len = text.length;
  if (len < 20) return false;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84) return false; // - - T
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false; // : :
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return false;
  }
  let pos = 19;
  let fracEnd = 19;
  if (text.charCodeAt(pos) === 46) {
    // '.' then at least one digit
    pos++;
    while (pos < len && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
    if (pos === 20) return false;
    fracEnd = pos;
    while (fracEnd > 20 && text.charCodeAt(fracEnd - 1) === 48) fracEnd--; // drop trailing zeros
  }
  let offset = 0;
  const zone = text.charCodeAt(pos);
  if (zone === 90 && pos === len - 1) offset = 0; // Z
  else if ((zone === 43 || zone === 45) && pos === len - 6 && text.charCodeAt(pos + 3) === 58) {
    const oh = digitsAt(text, pos + 1, pos + 3);
    const om = digitsAt(text, pos + 4, pos + 6);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset = (zone === 45 ? -1 : 1) * (oh * 3600 + om * 60);
  } else return false;
  target.sec = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  target.frac = fracEnd > 20 ? text.slice(20, fracEnd) : '';
  return true;
}

/**
 * Parses the ISO-8601 date-times the schema accepts (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)`) into an
 * exact instant: no millisecond truncation, any offset. Throws on anything else.
 */
export function parseInstant(text: string, field = 'submittedAt'): Instant {
  const instant: Instant = { sec: 0, frac: '' };
  if (!readInstant(text, instant)) {
    throw new AppError('VALIDATION', `not an ISO-8601 date-time with offset: ${JSON.stringify(text)}`, { field });
  }
  return instant;
}

/** Negative if `a` is before `b`, positive if after, 0 for the same instant. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.sec !== b.sec) return a.sec < b.sec ? -1 : 1;
  // Fraction digits without trailing zeros: lexicographic order is numeric order.
  return a.frac === b.frac ? 0 : a.frac < b.frac ? -1 : 1;
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------------
// Exact arithmetic

/** Sign of a·x − b·y for non-negative safe integers; doubles when both products provably fit. */
function compareProducts(a: number, x: number, b: number, y: number): number {
  const left = a * x;
  const right = b * y;
  // A rounded product ≤ 2^53 − 1 means the exact product is < 2^53, hence exact.
  if (left <= Number.MAX_SAFE_INTEGER && right <= Number.MAX_SAFE_INTEGER) return left === right ? 0 : left < right ? -1 : 1;
  const l = BigInt(a) * BigInt(x);
  const r = BigInt(b) * BigInt(y);
  return l === r ? 0 : l < r ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

/** One bid being evaluated; `sec`/`frac` are its `submittedAt` instant. */
interface Entry extends Instant {
  bid: TenderBid;
  reason: RejectReason | undefined;
  /** weighted_score: quality score in hundredths of a point (an integer 0–10 000). */
  qc: number;
  /** weighted_score, BigInt path: the numerator N of the exact score (see the header). */
  bigNum: bigint;
}

/** Later instant, then greater id: positive when `a` supersedes `b`. */
function compareRecency(a: Entry, b: Entry): number {
  return compareInstants(a, b) || compareStrings(a.bid.id, b.bid.id);
}

/** The ranking tie-break shared by both methods: price, earlier submission, bid id. */
function compareByPriceTimeId(a: Entry, b: Entry): number {
  if (a.bid.fenPerKg !== b.bid.fenPerKg) return a.bid.fenPerKg < b.bid.fenPerKg ? -1 : 1;
  return compareInstants(a, b) || compareStrings(a.bid.id, b.bid.id);
}

function compareById(a: Entry, b: Entry): number {
  return compareStrings(a.bid.id, b.bid.id);
}

/** Quality score in hundredths of a point (the schema allows at most 2 decimals). */
function qualityHundredths(bid: TenderBid): number {
  const q = bid.qualityScore;
  if (q === undefined) throw new AppError('VALIDATION', `bid ${bid.id}: qualityScore required for weighted_score`, { field: 'qualityScore' });
  return Math.round(q * 100);
}

/** Ranks valid bids for weighted_score: highest exact score first, then price, time, id. */
function rankWeighted(valid: Entry[], anchor: number, weights: { price: number; quality: number }): void {
  const wp = weights.price;
  const wq = weights.quality;
  let maxPrice = 0;
  for (const e of valid) if (e.bid.fenPerKg > maxPrice) maxPrice = e.bid.fenPerKg;
  for (const e of valid) e.qc = qualityHundredths(e.bid);
  // Bound of N · price over the lot (q ≤ 10 000), with a 2× margin for the rounding of the bound itself.
  const bound = (wp * 10000 * anchor + wq * 10000 * maxPrice) * maxPrice;
  if (bound <= Number.MAX_SAFE_INTEGER / 2) {
    // Every N and N · price is an integer below 2^53: exact in doubles. N is recomputed in the comparator
    // (two multiplications) rather than stored, to keep Entry fields small integers.
    const base = wp * 10000 * anchor;
    valid.sort((a, b) => {
      const l = (base + wq * a.qc * a.bid.fenPerKg) * b.bid.fenPerKg;
      const r = (base + wq * b.qc * b.bid.fenPerKg) * a.bid.fenPerKg;
      if (l !== r) return l > r ? -1 : 1;
      return compareByPriceTimeId(a, b);
    });
    return;
  }
  const base = BigInt(wp) * 10000n * BigInt(anchor);
  const bigWq = BigInt(wq);
  for (const e of valid) e.bigNum = base + bigWq * BigInt(e.qc) * BigInt(e.bid.fenPerKg);
  valid.sort((a, b) => {
    const l = a.bigNum * BigInt(b.bid.fenPerKg);
    const r = b.bigNum * BigInt(a.bid.fenPerKg);
    if (l !== r) return l > r ? -1 : 1;
    return compareByPriceTimeId(a, b);
  });
}

function evaluateLot(lot: TenderLot, entries: Entry[], input: TenderInput): LotResult {
  // 1. Supersession: the latest bid of each supplier counts.
  const latest = new Map<string, Entry>();
  for (const e of entries) {
    const current = latest.get(e.bid.supplierId);
    if (current === undefined) latest.set(e.bid.supplierId, e);
    else if (compareRecency(e, current) > 0) {
      current.reason = 'SUPERSEDED';
      latest.set(e.bid.supplierId, e);
    } else e.reason = 'SUPERSEDED';
  }

  // 2. Validity of the counting bids.
  const valid: Entry[] = [];
  let anchor = Infinity;
  for (const e of latest.values()) {
    if (!e.bid.qualified) e.reason = 'NOT_QUALIFIED';
    else if (e.bid.fenPerKg > lot.ceilingFenPerKg) e.reason = 'ABOVE_CEILING';
    else {
      valid.push(e);
      if (e.bid.fenPerKg < anchor) anchor = e.bid.fenPerKg;
    }
  }

  const rejectedOf = (): LotRejection[] => {
    const out: Entry[] = [];
    for (const e of entries) if (e.reason !== undefined) out.push(e);
    out.sort(compareById);
    return out.map((e) => ({ bidId: e.bid.id, reason: e.reason as RejectReason }));
  };

  const n = valid.length;
  if (n === 0) {
    return {
      lotId: lot.id,
      status: 'failed',
      validSuppliers: 0,
      anchorFenPerKg: null,
      maxWinners: 0,
      share: 0,
      agreedG: 0,
      winners: [],
      rejected: rejectedOf(),
    };
  }

  // 3–4. Candidates and ranking.
  const maxWinners = maxWinnersFor(n);
  let ranked: Entry[];
  if (input.method === 'vbp_price') {
    ranked = [];
    for (const e of valid) {
      const price = e.bid.fenPerKg;
      const withinAnchor = compareProducts(price, 10, anchor, 18) <= 0;
      const belowHalfCeiling = compareProducts(price, 2, lot.ceilingFenPerKg, 1) <= 0;
      if (withinAnchor || belowHalfCeiling) ranked.push(e);
      else e.reason = 'ABOVE_ANCHOR_LIMIT';
    }
    ranked.sort(compareByPriceTimeId);
  } else {
    ranked = valid;
    rankWeighted(ranked, anchor, input.weights);
  }

  const winners: LotWinner[] = [];
  for (let i = 0; i < ranked.length; i++) {
    const e = ranked[i]!;
    if (i < maxWinners) winners.push({ rank: i + 1, bidId: e.bid.id, supplierId: e.bid.supplierId, fenPerKg: e.bid.fenPerKg });
    else e.reason = 'OUT_OF_SHORTLIST';
  }

  // 5. Share and agreed volume.
  const percent = sharePercentFor(winners.length);
  return {
    lotId: lot.id,
    status: 'awarded',
    validSuppliers: n,
    anchorFenPerKg: anchor,
    maxWinners,
    share: percent / 100,
    agreedG: agreedGrams(lot.demandG, percent),
    winners,
    rejected: rejectedOf(),
  };
}

/** Evaluates one tender: one result per lot (input order) and the SHA-256 of their canonical JSON. */
export function evaluateTender(input: TenderInput): TenderResult {
  const lotIndex = new Map<string, number>();
  input.lots.forEach((lot, i) => {
    if (lotIndex.has(lot.id)) throw new AppError('VALIDATION', `duplicate lot id "${lot.id}"`, { field: `lots.${i}.id` });
    lotIndex.set(lot.id, i);
  });
  const groups: Entry[][] = input.lots.map(() => []);
  const seen = new Set<string>();
  const at: Instant = { sec: 0, frac: '' };
  input.bids.forEach((bid, i) => {
    if (seen.has(bid.id)) throw new AppError('VALIDATION', `duplicate bid id "${bid.id}"`, { field: `bids.${i}.id` });
    seen.add(bid.id);
    const index = lotIndex.get(bid.lotId);
    if (index === undefined) throw new AppError('VALIDATION', `unknown lot "${bid.lotId}"`, { field: `bids.${i}.lotId` });
    if (!readInstant(bid.submittedAt, at)) {
      throw new AppError('VALIDATION', `not an ISO-8601 date-time with offset: ${JSON.stringify(bid.submittedAt)}`, { field: `bids.${i}.submittedAt` });
    }
    // Created with its final field types (sec is beyond the small-integer range) so V8 keeps one shape.
    groups[index]!.push({ bid, sec: at.sec, frac: at.frac, reason: undefined, qc: 0, bigNum: 0n });
  });
  const lots = input.lots.map((lot, i) => evaluateLot(lot, groups[i]!, input));
  return { lots, sha256: sha256Hex(canonicalJson(lots)) };
}
