import { callOffVolume, type CallOffOrderState } from '../orders/call-off.core.ts';
import { agreedGrams } from './evaluation.core.ts';

/**
 * Completion tracking of framework contracts, pure: agreed (members' allocations) vs ordered vs
 * delivered grams per member × supplier × lot — ordered and delivered read from the state of the
 * orders that carry the call-offs out (`callOffVolume`) — and alerts for members falling behind the
 * pace of the contract term. Integers only.
 */

/** A member's agreed grams with its chosen winner: its demand × the lot's share, floored. */
export function allocationGrams(memberDemandG: number, sharePercent: number): number {
  return agreedGrams(memberDemandG, sharePercent);
}

export interface AllocationFact {
  contractId: string;
  lotId: string;
  memberOrgId: string;
  supplierOrgId: string;
  agreedG: number;
}

export interface CallOffFact extends CallOffOrderState {
  contractId: string;
  memberOrgId: string;
}

export interface CompletionRow extends AllocationFact {
  orderedG: number;
  deliveredG: number;
}

/** One row per allocation, with the grams its member ordered and got delivered on that contract. */
export function completionRows(allocations: readonly AllocationFact[], callOffs: readonly CallOffFact[]): CompletionRow[] {
  return allocations.map((a) => {
    const mine = callOffs.filter((c) => c.contractId === a.contractId && c.memberOrgId === a.memberOrgId).map(callOffVolume);
    return { ...a, orderedG: mine.reduce((s, c) => s + c.orderedG, 0), deliveredG: mine.reduce((s, c) => s + c.deliveredG, 0) };
  });
}

export interface Totals {
  key: string;
  agreedG: number;
  orderedG: number;
  deliveredG: number;
}

/** Sums of rows grouped by `keyOf` (keys sorted). */
export function totalsBy(rows: readonly CompletionRow[], keyOf: (r: CompletionRow) => string): Totals[] {
  const map = new Map<string, Totals>();
  for (const r of rows) {
    const key = keyOf(r);
    const t = map.get(key) ?? { key, agreedG: 0, orderedG: 0, deliveredG: 0 };
    t.agreedG += r.agreedG;
    t.orderedG += r.orderedG;
    t.deliveredG += r.deliveredG;
    map.set(key, t);
  }
  return [...map.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const dayNumber = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);

/**
 * Grams a member should have ordered by `today` at an even pace over the term
 * (startsOn..endsOn inclusive, YYYY-MM-DD): floor(agreed × elapsed days / term days).
 */
export function expectedByDate(agreedG: number, startsOn: string, endsOn: string, today: string): number {
  const start = dayNumber(startsOn);
  const days = dayNumber(endsOn) - start + 1;
  const elapsed = Math.min(Math.max(dayNumber(today) - start + 1, 0), days);
  if (days <= 0) return agreedG;
  return Math.floor((agreedG * elapsed) / days);
}

/** Below this percentage of the expected pace a member is flagged as falling behind. */
export const BEHIND_THRESHOLD_PERCENT = 80;

export function isBehind(orderedG: number, expectedG: number): boolean {
  return expectedG > 0 && orderedG * 100 < expectedG * BEHIND_THRESHOLD_PERCENT;
}
