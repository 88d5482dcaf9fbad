import { sha256Hex } from '../../../lib/canonical-json.ts';
import { yuanText } from '../../../lib/amount-text.ts';
import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import { agreedGrams } from './evaluation.core.ts';
import type { LotResult, TenderInput, TenderMethod } from './evaluation.types.ts';

/**
 * The tender state machine and the tender arithmetic, pure (ARCHITECTURE.md: state machines as data).
 *
 * draft → demand_collection → published (bidding, sealed) → opened (decrypted, evaluated) →
 * publicised (公示, complaint window) → awarded (final, contracts). A tender may be cancelled before
 * it is opened. Each move names who may make it: the alliance officer or the system (timer jobs).
 */
export const TENDER_STATUSES = ['draft', 'demand_collection', 'published', 'opened', 'publicised', 'awarded', 'cancelled'] as const;
export type TenderStatus = (typeof TENDER_STATUSES)[number];

export type TenderActorRole = 'officer' | 'system';

export interface TenderTransition {
  from: TenderStatus;
  to: TenderStatus;
  by: readonly TenderActorRole[];
}

/** Every allowed move. Anything not listed is INVALID_TRANSITION. */
export const TENDER_TRANSITIONS: readonly TenderTransition[] = [
  { from: 'draft', to: 'demand_collection', by: ['officer'] },
  { from: 'draft', to: 'cancelled', by: ['officer'] },
  { from: 'demand_collection', to: 'published', by: ['officer'] },
  { from: 'demand_collection', to: 'cancelled', by: ['officer'] },
  { from: 'published', to: 'cancelled', by: ['officer'] },
  // The opening job, at the scheduled time.
  { from: 'published', to: 'opened', by: ['system'] },
  { from: 'opened', to: 'publicised', by: ['system'] },
  // After the publicity window: the finalisation job or the officer.
  { from: 'publicised', to: 'awarded', by: ['officer', 'system'] },
];

/** Rules (method, weights, schedule, lots) may be edited only in these statuses. */
export const EDITABLE_STATUSES: readonly TenderStatus[] = ['draft', 'demand_collection'];

/** Statuses whose tender, lots and schedule anyone may see on the public page. */
export const PUBLIC_STATUSES: readonly TenderStatus[] = ['published', 'opened', 'publicised', 'awarded'];

/** Statuses in which bid prices are open (decrypted and evaluated). */
export const OPENED_STATUSES: readonly TenderStatus[] = ['opened', 'publicised', 'awarded'];

export function isTenderStatus(value: string): value is TenderStatus {
  return (TENDER_STATUSES as readonly string[]).includes(value);
}

export function findTenderTransition(from: TenderStatus, to: TenderStatus): TenderTransition | undefined {
  return TENDER_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/** A move missing from the table is INVALID_TRANSITION; a listed move this actor may not make is FORBIDDEN. */
export function assertTenderTransition(from: string, to: TenderStatus, by: TenderActorRole): TenderStatus {
  const current = isTenderStatus(from) ? from : null;
  const transition = current ? findTenderTransition(current, to) : undefined;
  if (!current || !transition) throw new AppError('INVALID_TRANSITION', msg('tenders.invalidTransition', { from, to }), { field: 'id', from, to });
  if (!transition.by.includes(by)) throw new AppError('FORBIDDEN', msg('tenders.notYourMove', { to }), { field: 'id', from, to });
  return current;
}

export function isOpened(status: string): boolean {
  return (OPENED_STATUSES as readonly string[]).includes(status);
}

// ---------------------------------------------------------------------------------------------------
// Schedule

export interface TenderSchedule {
  demandDeadline: Date;
  bidDeadline: Date;
  openingAt: Date;
  publicityEndsAt: Date;
}

/**
 * demand deadline ≤ bid deadline ≤ opening ≤ end of publicity; a new schedule must also lie ahead of
 * `now` (its demand deadline). Errors name the first field out of order.
 */
export function assertSchedule(s: TenderSchedule, now: Date | null): void {
  if (now && s.demandDeadline.getTime() <= now.getTime()) throw new AppError('VALIDATION', msg('tenders.scheduleInPast'), { field: 'demandDeadline' });
  if (s.bidDeadline.getTime() < s.demandDeadline.getTime()) throw new AppError('VALIDATION', msg('tenders.scheduleOrder', { before: 'demandDeadline', after: 'bidDeadline' }), { field: 'bidDeadline' });
  if (s.openingAt.getTime() < s.bidDeadline.getTime()) throw new AppError('VALIDATION', msg('tenders.scheduleOrder', { before: 'bidDeadline', after: 'openingAt' }), { field: 'openingAt' });
  if (s.publicityEndsAt.getTime() < s.openingAt.getTime()) throw new AppError('VALIDATION', msg('tenders.scheduleOrder', { before: 'openingAt', after: 'publicityEndsAt' }), { field: 'publicityEndsAt' });
}

/** Weights are required (and must not both be 0) for weighted_score; vbp_price ignores them. */
export function assertWeights(method: TenderMethod, weights: { price: number; quality: number } | null | undefined): void {
  if (method !== 'weighted_score') return;
  if (!weights) throw new AppError('VALIDATION', msg('tenders.weightsRequired'), { field: 'weights' });
  if (weights.price + weights.quality <= 0) throw new AppError('VALIDATION', msg('tenders.weightsRequired'), { field: 'weights.price' });
}

// ---------------------------------------------------------------------------------------------------
// Bids

export interface CommitmentFields {
  tenderId: string;
  lotId: string;
  supplierId: string;
  fenPerKg: number;
  /** Random hex, sealed with the price, handed to the bidder in its receipt. */
  nonce: string;
}

/** The bid commitment: hex SHA-256 of the canonical JSON of the five fields (keys sorted, no spaces). */
export function bidCommitment(fields: CommitmentFields): string {
  if (!Number.isSafeInteger(fields.fenPerKg)) throw new RangeError('fenPerKg must be a safe integer');
  // Keys in sorted order, strings JSON-escaped, no spaces: exactly `canonicalJson` of the object
  // (the opening checks thousands of these, so the generic serializer is skipped).
  const text = `{"fenPerKg":${fields.fenPerKg},"lotId":${JSON.stringify(fields.lotId)},"nonce":${JSON.stringify(fields.nonce)},"supplierId":${JSON.stringify(fields.supplierId)},"tenderId":${JSON.stringify(fields.tenderId)}}`;
  return sha256Hex(text);
}

/** A bid price: a positive safe integer of fen per kg, at most the lot's ceiling. */
export function assertBidPrice(fenPerKg: number, ceilingFenPerKg: number): void {
  if (!Number.isSafeInteger(fenPerKg) || fenPerKg <= 0) throw new AppError('VALIDATION', msg('field.integerFen'), { field: 'fenPerKg' });
  if (fenPerKg > ceilingFenPerKg) throw new AppError('VALIDATION', msg('tenders.aboveCeiling', { ceiling: yuanText(ceilingFenPerKg) }), { field: 'fenPerKg', ceilingFenPerKg });
}

// ---------------------------------------------------------------------------------------------------
// Demand, capacity, evaluation input, contracts

export interface DemandRow {
  lotId: string;
  memberOrgId: string;
  regionCode: string;
  grams: number;
}

export interface LotDemand {
  lotId: string;
  totalG: number;
  members: number;
  byRegion: { regionCode: string; grams: number }[];
}

/** Demand per lot (in the order of `lotIds`) with its split per region (region codes sorted). */
export function aggregateDemand(lotIds: readonly string[], rows: readonly DemandRow[]): LotDemand[] {
  return lotIds.map((lotId) => {
    const mine = rows.filter((r) => r.lotId === lotId && r.grams > 0);
    const regions = new Map<string, number>();
    for (const r of mine) regions.set(r.regionCode, (regions.get(r.regionCode) ?? 0) + r.grams);
    return {
      lotId,
      totalG: mine.reduce((sum, r) => sum + r.grams, 0),
      members: new Set(mine.map((r) => r.memberOrgId)).size,
      byRegion: [...regions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([regionCode, grams]) => ({ regionCode, grams })),
    };
  });
}

/**
 * The production capacity a supplier must offer for a lot: the smallest volume share a winner can
 * get (one winner: 50 % of the demand, floored to grams). More winners split a larger share, but the
 * capacity test is about being able to serve the whole agreed volume alone.
 */
export function requiredCapacityG(demandG: number): number {
  return agreedGrams(demandG, 50);
}

export interface EvaluationLot {
  id: string;
  ceilingFenPerKg: number;
  demandG: number;
}

export interface OpenedBid {
  id: string;
  lotId: string;
  supplierId: string;
  fenPerKg: number;
  submittedAt: Date;
  qualified: boolean;
  /** Hundredths (8625 = 86.25); weighted_score only. */
  qualityScoreHundredths: number | null;
}

/** The pure evaluator's input for a tender (the same JSON `bencao tender-evaluate` reads). */
export function evaluationInput(method: TenderMethod, weights: { price: number; quality: number } | null, lots: readonly EvaluationLot[], bids: readonly OpenedBid[]): TenderInput {
  const base = bids.map((b) => ({ id: b.id, lotId: b.lotId, supplierId: b.supplierId, fenPerKg: b.fenPerKg, submittedAt: b.submittedAt.toISOString(), qualified: b.qualified }));
  const lotList = lots.map((l) => ({ id: l.id, ceilingFenPerKg: l.ceilingFenPerKg, demandG: l.demandG }));
  if (method === 'weighted_score') {
    return {
      method,
      lots: lotList,
      weights: weights ?? { price: 1, quality: 0 },
      bids: base.map((b, i) => ({ ...b, qualityScore: (bids[i]!.qualityScoreHundredths ?? 0) / 100 })),
    };
  }
  return { method, lots: lotList, bids: base };
}

export interface ContractPlan {
  lotId: string;
  bidId: string;
  supplierId: string;
  rank: number;
  fenPerKg: number;
  agreedG: number;
}

/**
 * One framework contract per winner of each awarded lot. The lot's agreed volume is split evenly
 * among its winners (floored to grams; the remainder goes to the best-ranked winners, one gram each),
 * so the contracts add up to the awarded volume exactly. Members then choose among the winners.
 */
export function planContracts(lots: readonly LotResult[]): ContractPlan[] {
  const out: ContractPlan[] = [];
  for (const lot of lots) {
    if (lot.status !== 'awarded' || lot.winners.length === 0) continue;
    const k = lot.winners.length;
    const base = Math.floor(lot.agreedG / k);
    const remainder = lot.agreedG - base * k;
    const ranked = [...lot.winners].sort((a, b) => a.rank - b.rank);
    ranked.forEach((w, i) => out.push({ lotId: lot.lotId, bidId: w.bidId, supplierId: w.supplierId, rank: w.rank, fenPerKg: w.fenPerKg, agreedG: base + (i < remainder ? 1 : 0) }));
  }
  return out;
}

/** The contract term: from the award day (China calendar) for `months` months, both as YYYY-MM-DD. */
export function contractTerm(awardedOn: string, months: number): { startsOn: string; endsOn: string } {
  const [y, m, d] = awardedOn.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y, m - 1 + months, d));
  end.setUTCDate(end.getUTCDate() - 1);
  return { startsOn: awardedOn, endsOn: end.toISOString().slice(0, 10) };
}
