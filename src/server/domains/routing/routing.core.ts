import { around } from 'geokdbush';
import KDBush from 'kdbush';
import { EARTH_RADIUS_KM, haversineKm, roundKm, type LatLng } from '../../../lib/geo.ts';

/**
 * Prescription routing (DOMAIN.md "Prescriptions", CONTRACTS.md `bencao rx-route`): which pharmacies
 * can fill a prescription, nearest first.
 *
 * Pure and deterministic. Two implementations with one result, bit for bit:
 * - {@link rankPharmaciesBruteForce} (alias {@link rankPharmacies}) scans every pharmacy — the right
 *   choice for a one-off list (the CLI), where building an index would cost more than the scan;
 * - {@link PharmacyIndex} indexes the (static) locations once and answers many queries in
 *   microseconds at national scale (~19,000 pharmacies), with the (dynamic) eligibility fields —
 *   `open`, `capacityLeft`, `decoction`, `stockG` — copied into columns and refreshed per pharmacy.
 *
 * Rules, shared by both:
 * - eligible: `open`, `capacityLeft > 0`, `decoction` when the rx asks for it, stock for every herb,
 *   great-circle distance (haversine, {@link EARTH_RADIUS_KM}) ≤ `maxKm` (inclusive, exact distance);
 * - stock is compared in integer milligrams: the need of a herb is `round(grams × 1000) × doses`
 *   (exact for grams with ≤ 3 decimals, so 0.1 g × 3 needs exactly 300 mg, not 300.00000000000006),
 *   the stock is `round(stockG × 1000)` (stock is quantised to the milligram). Items naming the same
 *   herb twice add up — the pharmacy must hold their sum;
 * - order: exact (unrounded) distance ascending, then `id` ascending by UTF-16 code units (plain `<`,
 *   never locale-dependent); at most `limit`; the reported `km` is {@link roundKm}(distance). So two
 *   candidates less than a metre apart can print the same `km` in distance (not id) order.
 */

export const DEFAULT_MAX_KM = 50;
export const DEFAULT_LIMIT = 5;

export interface RxItem {
  herb: string;
  /** Grams per dose; > 0, at most 3 decimals (finer fractions are rounded to the milligram). */
  grams: number;
}

export interface RoutingRx {
  items: readonly RxItem[];
  /** Number of doses (剂数), a positive integer. */
  doses: number;
  /** 代煎 requested: only pharmacies with decoction capability qualify. */
  decoction: boolean;
  patient: LatLng;
}

export interface RoutablePharmacy {
  id: string;
  lat: number;
  lng: number;
  open: boolean;
  decoction: boolean;
  capacityLeft: number;
  /** Herb name → grams in stock. */
  stockG: Readonly<Record<string, number>>;
}

export interface RankOptions {
  /** Service radius in km (inclusive); default {@link DEFAULT_MAX_KM}. */
  maxKm?: number;
  /** Maximum number of candidates; default {@link DEFAULT_LIMIT}. 0 gives an empty answer. */
  limit?: number;
}

export interface Candidate {
  id: string;
  /** Great-circle distance from the patient, rounded to 3 decimals ({@link roundKm}). */
  km: number;
}

/** What one prescription needs, compiled once per query. */
interface Requirement {
  patient: LatLng;
  decoction: boolean;
  herbs: string[];
  /** `needMg[i]` milligrams of `herbs[i]` (all doses). */
  needMg: number[];
}

interface Scored {
  id: string;
  /** Exact (unrounded) distance: the sort key. */
  km: number;
}

/** Grams → integer milligrams (exact for values with at most 3 decimals). */
export function gramsToMg(grams: number): number {
  return Math.round(grams * 1000);
}

function resolveOptions(options: RankOptions): { maxKm: number; limit: number } {
  const maxKm = options.maxKm ?? DEFAULT_MAX_KM;
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (Number.isNaN(maxKm) || maxKm < 0) throw new RangeError(`maxKm must be a non-negative number, got ${maxKm}`);
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  return { maxKm, limit };
}

function checkLocation(point: LatLng, what: string): void {
  const { lat, lng } = point;
  if (!(Number.isFinite(lat) && lat >= -90 && lat <= 90 && Number.isFinite(lng) && lng >= -180 && lng <= 180)) {
    throw new RangeError(`${what}: lat must be within −90..90 and lng within −180..180, got (${lat}, ${lng})`);
  }
}

function compileRequirement(rx: RoutingRx): Requirement {
  checkLocation(rx.patient, 'patient');
  if (!Number.isInteger(rx.doses) || rx.doses < 1) throw new RangeError(`doses must be a positive integer, got ${rx.doses}`);
  const totals = new Map<string, number>();
  for (const item of rx.items) {
    const mg = gramsToMg(item.grams);
    if (!(mg > 0)) throw new RangeError(`grams of ${item.herb} must be at least 0.001, got ${item.grams}`);
    totals.set(item.herb, (totals.get(item.herb) ?? 0) + mg * rx.doses);
  }
  return { patient: rx.patient, decoction: rx.decoction, herbs: [...totals.keys()], needMg: [...totals.values()] };
}

/** The non-distance rules, read from the pharmacy object now (never cached). */
function isEligible(p: RoutablePharmacy, req: Requirement): boolean {
  if (p.open !== true || !(p.capacityLeft > 0)) return false;
  if (req.decoction && p.decoction !== true) return false;
  const stock = p.stockG;
  for (let i = 0; i < req.herbs.length; i++) {
    // One lookup per herb (the hot loop of the scan). Only numbers count, so an inherited member such
    // as Object.prototype.constructor ("constructor") never passes as stock.
    const grams = stock[req.herbs[i]!];
    if (typeof grams !== 'number' || !(gramsToMg(grams) >= req.needMg[i]!)) return false;
  }
  return true;
}

function compareScored(a: Scored, b: Scored): number {
  return a.km - b.km || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function finish(found: Scored[], limit: number): Candidate[] {
  found.sort(compareScored);
  const out: Candidate[] = [];
  for (let i = 0; i < found.length && i < limit; i++) out.push({ id: found[i]!.id, km: roundKm(found[i]!.km) });
  return out;
}

/**
 * Ranks `pharmacies` for `rx` by scanning all of them: O(n) distance computations per query.
 * Throws `RangeError` on input no schema would accept (coordinates out of range, doses < 1, …).
 */
export function rankPharmaciesBruteForce(
  rx: RoutingRx,
  pharmacies: readonly RoutablePharmacy[],
  options: RankOptions = {},
): Candidate[] {
  const { maxKm, limit } = resolveOptions(options);
  const req = compileRequirement(rx);
  const found: Scored[] = [];
  for (const p of pharmacies) {
    checkLocation(p, `pharmacy ${p.id}`);
    // Distance first: most pharmacies of a country are out of range, and it is cheaper than stock.
    const km = haversineKm(req.patient, p);
    if (km <= maxKm && isEligible(p, req)) found.push({ id: p.id, km });
  }
  return finish(found, limit);
}

/** The routing function of the contract; one-off lists are best served by the scan. */
export const rankPharmacies = rankPharmaciesBruteForce;

/** Earth radius geokdbush 2 hard-codes; it only orders and cuts candidates, never reports km. */
const GEOKDBUSH_EARTH_RADIUS_KM = 6371;

/**
 * Upper bound of the disagreement, in our km, between geokdbush's distance order and
 * {@link haversineKm}: both are monotone in the central angle but computed with different
 * floating-point operation orders, so they can disagree by a few ulps (relative ~1e-15). The bound
 * allows a million times that. Near the antipode `asin` is ill-conditioned, so there the index does
 * not trust the order at all (Infinity: take everything and sort it ourselves).
 */
function orderTolerance(km: number): number {
  return km / EARTH_RADIUS_KM < 0.9 * Math.PI ? 1e-9 * km + 1e-9 : Number.POSITIVE_INFINITY;
}

/**
 * The geokdbush `maxDistance` that surely includes every point within `km` of ours: the same central
 * angle on geokdbush's smaller sphere, plus the tolerance. `undefined` (no cut) when the radius nears
 * half the circumference, where geokdbush's haversine of the radius would wrap.
 */
function searchRadius(km: number): number | undefined {
  const tolerance = orderTolerance(km);
  if (!Number.isFinite(tolerance)) return undefined;
  return ((km + tolerance) / EARTH_RADIUS_KM) * GEOKDBUSH_EARTH_RADIUS_KM;
}

export interface PharmacyIndexOptions {
  /**
   * kd-tree leaf size (kdbush `nodeSize`), default 64: with the eligibility check this cheap, fewer
   * and larger leaves beat a deeper tree (measured 8…256 in the routing benchmark; 64 was fastest).
   */
  nodeSize?: number;
}

/** Bit of {@link PharmacyIndex}'s flags column: open with capacity left (`open`, `capacityLeft > 0`). */
const TAKING_ORDERS = 1;
/** Bit of {@link PharmacyIndex}'s flags column: decoction capability. */
const DECOCTS = 2;

/**
 * A spatial index over pharmacy locations, built once (O(n log n)), queried many times.
 *
 * Static vs dynamic: the location (`lat`, `lng`) of each pharmacy goes into the kd-tree when the index
 * is built — a pharmacy that moves, opens or closes for good needs a new index. The facts that change
 * during the day (`open`, `capacityLeft`, `decoction`, `stockG`) are copied into typed columns (one
 * flags byte per pharmacy, one milligram column per herb) when the index is built and again by
 * {@link PharmacyIndex.refresh} whenever one pharmacy's facts change (a dispensing, a stock delivery,
 * opening hours): the caller that changes them says so, as a stock event would. Membership is fixed at
 * build time.
 *
 * Why columns: eligibility is checked for every location the tree walk passes, nearest first. Reading
 * `stockG[herb]` from thousands of differently-shaped objects is a megamorphic dictionary lookup; a
 * `Float64Array` per herb indexed by position is a plain load, so the check is cheap enough to run
 * inside geokdbush's walk (its predicate), which then queues only eligible points.
 *
 * Query: geokdbush walks the kd-tree nearest-first and yields eligible positions; our own haversine
 * then computes the distances that are filtered, sorted and reported, exactly as
 * {@link rankPharmaciesBruteForce} does, so both produce identical answers (ties, rounding,
 * boundary) — see `rank`.
 */
export class PharmacyIndex<P extends RoutablePharmacy = RoutablePharmacy> {
  readonly size: number;
  private readonly pharmacies: readonly P[];
  private readonly points: readonly LatLng[];
  private readonly tree: KDBush;
  /** Position(s) of each pharmacy object (an object listed twice is indexed twice, as the scan would). */
  private readonly positions = new Map<P, number[]>();
  private readonly flags: Uint8Array;
  /** Herb → stock in milligrams per position (`NaN`: none, or not a number). */
  private readonly stockMg = new Map<string, Float64Array>();

  constructor(pharmacies: readonly P[], options: PharmacyIndexOptions = {}) {
    this.pharmacies = [...pharmacies];
    this.size = this.pharmacies.length;
    this.flags = new Uint8Array(this.size);
    const points: LatLng[] = [];
    // kdbush needs at least one slot; an empty index answers [] before touching the tree.
    this.tree = new KDBush(Math.max(1, this.size), options.nodeSize ?? 64);
    for (const [i, p] of this.pharmacies.entries()) {
      checkLocation(p, `pharmacy ${p.id}`);
      points.push(Object.freeze({ lat: p.lat, lng: p.lng }));
      this.tree.add(p.lng, p.lat);
      const at = this.positions.get(p);
      if (at) at.push(i);
      else this.positions.set(p, [i]);
    }
    if (this.size === 0) this.tree.add(0, 0);
    this.tree.finish();
    this.points = points;
    for (const [i, p] of this.pharmacies.entries()) this.copyFacts(i, p);
  }

  /**
   * Copies `pharmacy`'s current `open`, `capacityLeft`, `decoction` and `stockG` into the index; the
   * next query sees them. A pharmacy the index was not built with is refused (it needs a new index).
   */
  refresh(pharmacy: P): void {
    const at = this.positions.get(pharmacy);
    if (!at) throw new RangeError(`pharmacy ${pharmacy.id} is not in this index`);
    for (const i of at) this.copyFacts(i, pharmacy);
  }

  private copyFacts(i: number, p: P): void {
    // The same tests as isEligible: only `true` counts, capacity must be > 0.
    this.flags[i] = (p.open === true && p.capacityLeft > 0 ? TAKING_ORDERS : 0) | (p.decoction === true ? DECOCTS : 0);
    for (const column of this.stockMg.values()) column[i] = Number.NaN;
    const stock = p.stockG;
    for (const herb of Object.keys(stock)) {
      const grams = stock[herb];
      let column = this.stockMg.get(herb);
      if (!column) {
        column = new Float64Array(this.size).fill(Number.NaN);
        this.stockMg.set(herb, column);
      }
      column[i] = typeof grams === 'number' ? gramsToMg(grams) : Number.NaN;
    }
  }

  /**
   * Same contract and result as {@link rankPharmaciesBruteForce} over the indexed pharmacies (with the
   * facts as last copied).
   *
   * 1. Find the first `limit + 1` eligible pharmacies in nearest-first order within `maxKm` (plus a
   *    safety margin for geokdbush's 6371 km radius and rounding): one geokdbush walk with the
   *    eligibility check as its predicate.
   * 2. Fewer than `limit + 1` found: that is every eligible pharmacy in range — exact distances with
   *    our haversine, sort, cut.
   * 3. Otherwise the extra one proves the cut: every eligible pharmacy not found comes after the
   *    last one found in geokdbush's order, so (by our haversine) it is at least that far minus the
   *    order tolerance. If that is still strictly farther than the `limit`-th best (or than `maxKm`),
   *    nothing unseen can enter the answer or win a tie by id.
   * 4. Else (duplicated coordinates or a near-tie at the cut): fetch every eligible pharmacy within the
   *    `limit`-th best distance (+ margin) and sort those — the answer is among them.
   */
  rank(rx: RoutingRx, options: RankOptions = {}): Candidate[] {
    const { maxKm, limit } = resolveOptions(options);
    const req = compileRequirement(rx);
    if (limit === 0 || this.size === 0) return [];
    const columns: Float64Array[] = [];
    for (const herb of req.herbs) {
      const column = this.stockMg.get(herb);
      if (!column) return []; // nobody has ever stocked it
      columns.push(column);
    }
    const needMg = Float64Array.from(req.needMg);
    const flags = this.flags;
    const required = req.decoction ? TAKING_ORDERS | DECOCTS : TAKING_ORDERS;
    const eligible = (i: number): boolean => {
      if ((flags[i]! & required) !== required) return false;
      for (let h = 0; h < columns.length; h++) if (!(columns[h]![i]! >= needMg[h]!)) return false;
      return true;
    };
    const { lat, lng } = req.patient;

    const wanted = limit + 1;
    const first = around(this.tree, lng, lat, wanted, searchRadius(maxKm), eligible);
    const scored = this.score(first, req.patient);
    const inRange = scored.filter((s) => s.km <= maxKm);
    if (first.length < wanted) return finish(inRange, limit);

    inRange.sort(compareScored);
    const bound = inRange.length >= limit ? inRange[limit - 1]!.km : maxKm;
    // Everything unseen comes after the last one found in geokdbush's order.
    const last = scored[scored.length - 1]!.km;
    if (last - orderTolerance(last) > bound) return finish(inRange, limit);

    const all = around(this.tree, lng, lat, Number.POSITIVE_INFINITY, searchRadius(bound), eligible);
    return finish(
      this.score(all, req.patient).filter((s) => s.km <= maxKm),
      limit,
    );
  }

  private score(positions: readonly number[], patient: LatLng): Scored[] {
    return positions.map((i) => ({ id: this.pharmacies[i]!.id, km: haversineKm(patient, this.points[i]!) }));
  }
}
