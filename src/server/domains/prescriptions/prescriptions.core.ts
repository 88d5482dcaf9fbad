import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';

/**
 * The prescription state machine and the small pure rules around it (DOMAIN.md "Prescriptions";
 * ARCHITECTURE.md: state machines as data). Each transition names who may make it: the hospital's
 * physician, the hospital's pharmacist (审方), the pharmacy that holds the offer, or the system
 * (screening, routing, timers).
 */
export const RX_STATUSES = [
  'draft',
  'screened',
  'approved',
  'rejected',
  'routed',
  'accepted',
  'dispensing',
  'decocting',
  'ready',
  'shipped',
  'delivered',
  'picked_up',
  'completed',
  'cancelled',
  'expired',
] as const;
export type RxStatus = (typeof RX_STATUSES)[number];

export type RxActorRole = 'physician' | 'pharmacist' | 'pharmacy' | 'system';

export interface RxTransition {
  from: RxStatus;
  to: RxStatus;
  by: readonly RxActorRole[];
}

/** Every allowed move. Anything not listed is INVALID_TRANSITION. */
export const RX_TRANSITIONS: readonly RxTransition[] = [
  // Intake: screened in the same transaction as it is written.
  { from: 'draft', to: 'screened', by: ['system'] },
  { from: 'draft', to: 'cancelled', by: ['physician'] },
  // 审方 by the hospital's pharmacist (blocking flags need a physician override first).
  { from: 'screened', to: 'approved', by: ['pharmacist'] },
  { from: 'screened', to: 'rejected', by: ['pharmacist'] },
  // Routing: offered to the nearest eligible pharmacy; re-routed after a rejection or timeout; back
  // to approved (waiting) when nobody is eligible.
  { from: 'approved', to: 'routed', by: ['system'] },
  { from: 'routed', to: 'routed', by: ['system'] },
  { from: 'routed', to: 'approved', by: ['system'] },
  { from: 'routed', to: 'accepted', by: ['pharmacy'] },
  // Pharmacy workbench.
  { from: 'accepted', to: 'dispensing', by: ['pharmacy'] },
  { from: 'dispensing', to: 'decocting', by: ['pharmacy'] },
  { from: 'dispensing', to: 'ready', by: ['pharmacy'] },
  { from: 'dispensing', to: 'shipped', by: ['pharmacy'] },
  { from: 'decocting', to: 'ready', by: ['pharmacy'] },
  { from: 'decocting', to: 'shipped', by: ['pharmacy'] },
  { from: 'ready', to: 'picked_up', by: ['pharmacy'] },
  { from: 'shipped', to: 'delivered', by: ['pharmacy', 'system'] },
  { from: 'picked_up', to: 'completed', by: ['system'] },
  { from: 'delivered', to: 'completed', by: ['system'] },
  // Closing open prescriptions: the physician cancels, validity lapses (job).
  ...(['screened', 'approved', 'routed', 'accepted'] as const).map((from) => ({ from, to: 'cancelled' as const, by: ['physician'] as const })),
  ...(['draft', 'screened', 'approved', 'routed', 'accepted'] as const).map((from) => ({ from, to: 'expired' as const, by: ['system'] as const })),
];

/** Open = not finished; validity (≤ 3 days) applies until the pharmacy starts dispensing. */
export const EXPIRABLE_STATUSES: readonly RxStatus[] = ['draft', 'screened', 'approved', 'routed', 'accepted'];
export const FINAL_RX_STATUSES: readonly RxStatus[] = RX_STATUSES.filter((s) => !RX_TRANSITIONS.some((t) => t.from === s && t.to !== s));

export function isRxStatus(value: string): value is RxStatus {
  return (RX_STATUSES as readonly string[]).includes(value);
}

export function findRxTransition(from: RxStatus, to: RxStatus): RxTransition | undefined {
  return RX_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/**
 * Checks a move: missing from the table → INVALID_TRANSITION; in the table but not this party's →
 * FORBIDDEN (a physician cannot approve, a pharmacy cannot review).
 */
export function assertRxTransition(from: string, to: RxStatus, by: RxActorRole): RxStatus {
  const current = isRxStatus(from) ? from : null;
  const transition = current ? findRxTransition(current, to) : undefined;
  if (!current || !transition) throw new AppError('INVALID_TRANSITION', msg('rx.invalidTransition', { from, to }), { field: 'id', from, to });
  if (!transition.by.includes(by)) throw new AppError('FORBIDDEN', msg('rx.notYourMove', { to }), { field: 'id', from, to });
  return current;
}

/** Every status reachable from `start` (breadth first). */
export function reachableRxStatuses(start: RxStatus = 'draft'): Set<RxStatus> {
  const seen = new Set<RxStatus>([start]);
  const queue: RxStatus[] = [start];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const t of RX_TRANSITIONS) {
      if (t.from === current && !seen.has(t.to)) {
        seen.add(t.to);
        queue.push(t.to);
      }
    }
  }
  return seen;
}

/** After dispensing: decoct when 代煎 was asked, else hand over (pickup → ready, delivery → shipped). */
export function statusAfterDispensing(rx: { decoction: boolean; fulfilment: string }): RxStatus {
  if (rx.decoction) return 'decocting';
  return statusAfterDecoction(rx);
}

export function statusAfterDecoction(rx: { fulfilment: string }): RxStatus {
  return rx.fulfilment === 'pickup' ? 'ready' : 'shipped';
}

// ---------------------------------------------------------------------------------------------------
// Validity, masking, codes

export const MAX_VALIDITY_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Valid on the day of issue, at most 3 days (DOMAIN.md). */
export function expiryOf(issuedAt: Date, validDays: number = MAX_VALIDITY_DAYS): Date {
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_VALIDITY_DAYS) {
    throw new AppError('VALIDATION', msg('rx.validDays', { max: MAX_VALIDITY_DAYS }), { field: 'validDays' });
  }
  return new Date(issuedAt.getTime() + validDays * DAY_MS);
}

/** Keeps the first character of a name (张三丰 → 张**, Li Ming → L*******): patient data stays minimal. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return chars[0]! + '*'.repeat(Math.max(1, Math.min(chars.length - 1, 8)));
}

/** Whole grams to draw from stock for all doses (milligrams per dose × doses, rounded up). */
export function gramsToDraw(mgPerDose: number, doses: number): number {
  return Math.ceil((mgPerDose * doses) / 1000);
}

/** The patient's link outlives the prescription by 30 days (time to follow delivery). */
export const STATUS_LINK_DAYS = 30;

// ---------------------------------------------------------------------------------------------------
// Opening hours and capacity (Asia/Shanghai)

/** Minutes after local midnight in China for `now`. */
export function chinaMinuteOfDay(now: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/** Start of today in China (UTC+8, no daylight saving) as an instant. */
export function chinaDayStart(now: Date): Date {
  const offset = 8 * 60 * 60 * 1000;
  const local = now.getTime() + offset;
  return new Date(local - (local % DAY_MS) - offset);
}

/**
 * Open at `minute` of the local day: opensAt = closesAt is open around the clock; closesAt < opensAt
 * spans midnight (20:00–02:00).
 */
export function isOpenAt(hours: { opensAtMin: number; closesAtMin: number }, minute: number): boolean {
  const { opensAtMin: open, closesAtMin: close } = hours;
  if (open === close) return true;
  if (open < close) return minute >= open && minute < close;
  return minute >= open || minute < close;
}

/**
 * A lat/lng box that contains every point within `km` of `center` (a little larger: 110.5 km per
 * degree of latitude is below the shortest degree). Longitude is left open near the poles or when
 * the box would cross the antimeridian.
 */
export function boxAround(center: { lat: number; lng: number }, km: number): { minLat: number; maxLat: number; lng: { min: number; max: number } | null } {
  const dLat = km / 110.5;
  const minLat = Math.max(-90, center.lat - dLat);
  const maxLat = Math.min(90, center.lat + dLat);
  const cos = Math.cos((Math.max(Math.abs(minLat), Math.abs(maxLat)) * Math.PI) / 180);
  if (cos < 0.01) return { minLat, maxLat, lng: null };
  const dLng = km / (110.5 * cos);
  const min = center.lng - dLng;
  const max = center.lng + dLng;
  return { minLat, maxLat, lng: min < -180 || max > 180 || dLng >= 180 ? null : { min, max } };
}

/** How long a pharmacy has to accept an offer before it is re-routed. */
export const OFFER_TIMEOUT_MS = 15 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------
// Routing: which rule failed for a pharmacy (the hospital sees why nobody is eligible)

export const INELIGIBLE_REASONS = ['inactive', 'licence', 'closed', 'capacity', 'decoction', 'distance', 'stock', 'already_offered'] as const;
export type IneligibleReason = (typeof INELIGIBLE_REASONS)[number];

export interface PharmacyFacts {
  id: string;
  active: boolean;
  mayTrade: boolean;
  open: boolean;
  capacityLeft: number;
  decoction: boolean;
  km: number;
  serviceRadiusKm: number;
  /** herb id → grams in stock */
  stockG: Readonly<Record<string, number>>;
  alreadyOffered: boolean;
}

/** The first rule `p` fails for a prescription needing `needG` (herb id → grams), or null if eligible. */
export function ineligibleReason(p: PharmacyFacts, rx: { decoction: boolean; needG: ReadonlyMap<string, number> }): { reason: IneligibleReason; herbs?: string[] } | null {
  if (p.alreadyOffered) return { reason: 'already_offered' };
  if (!p.active) return { reason: 'inactive' };
  if (!p.mayTrade) return { reason: 'licence' };
  if (!p.open) return { reason: 'closed' };
  if (!(p.capacityLeft > 0)) return { reason: 'capacity' };
  if (rx.decoction && !p.decoction) return { reason: 'decoction' };
  if (p.km > p.serviceRadiusKm) return { reason: 'distance' };
  const missing = [...rx.needG].filter(([herbId, g]) => !((p.stockG[herbId] ?? 0) >= g)).map(([herbId]) => herbId);
  if (missing.length > 0) return { reason: 'stock', herbs: missing };
  return null;
}

/** Counts per reason (every reason listed, zeros included) and the herbs short somewhere. */
export function summarizeIneligible(results: readonly ({ reason: IneligibleReason; herbs?: string[] } | null)[]): { reasons: Record<IneligibleReason, number>; missingHerbIds: string[] } {
  const reasons = Object.fromEntries(INELIGIBLE_REASONS.map((r) => [r, 0])) as Record<IneligibleReason, number>;
  const missing = new Set<string>();
  for (const r of results) {
    if (!r) continue;
    reasons[r.reason] += 1;
    for (const h of r.herbs ?? []) missing.add(h);
  }
  return { reasons, missingHerbIds: [...missing].sort() };
}

// ---------------------------------------------------------------------------------------------------
// Decoction log

export const DECOCTION_STEPS = ['soak', 'first_boil', 'boil', 'late_add', 'second_boil', 'pack'] as const;
export type DecoctionStep = (typeof DECOCTION_STEPS)[number];
/** Step names for server messages (the pages name them from their own message files). */
export const DECOCTION_STEP_NAMES: Record<DecoctionStep, { zh: string; en: string }> = {
  soak: { zh: '浸泡', en: 'soak' },
  first_boil: { zh: '先煎', en: 'boil first (先煎)' },
  boil: { zh: '煎煮', en: 'boil' },
  late_add: { zh: '后下', en: 'add late (后下)' },
  second_boil: { zh: '二煎', en: 'second boil' },
  pack: { zh: '包装', en: 'pack' },
};

/** Steps a decoction needs before it is finished: boiled and packed, plus 先煎/后下 when items ask. */
export function missingDecoctionSteps(done: readonly string[], handlings: readonly (string | null)[]): DecoctionStep[] {
  const need: DecoctionStep[] = ['boil', 'pack'];
  if (handlings.includes('先煎')) need.unshift('first_boil');
  if (handlings.includes('后下')) need.push('late_add');
  return need.filter((s) => !done.includes(s));
}
