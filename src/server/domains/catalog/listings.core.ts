import type { PriceTier } from '../../db/schema/catalog-trade.ts';

/** Listing state machine and pricing, pure (ARCHITECTURE.md: state machines as data, money in fen). */
export const LISTING_STATUSES = ['draft', 'active', 'paused', 'sold_out', 'closed'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/** Allowed transitions. `sold_out` is set by the system when a lot has no stock left, not by users. */
export const LISTING_TRANSITIONS: Readonly<Record<ListingStatus, readonly ListingStatus[]>> = {
  draft: ['active', 'closed'],
  active: ['paused', 'sold_out', 'closed'],
  paused: ['active', 'closed'],
  sold_out: ['active', 'closed'],
  closed: [],
};

/** Targets a seller may choose by hand. */
export const SELLER_TARGETS = ['active', 'paused', 'closed'] as const satisfies readonly ListingStatus[];

export function isListingStatus(value: string): value is ListingStatus {
  return (LISTING_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: ListingStatus, to: ListingStatus): boolean {
  return LISTING_TRANSITIONS[from].includes(to);
}

export type TierProblem = { index: number; field: 'minG' | 'priceFenPerKg'; reason: 'not_positive_integer' | 'min_not_increasing' | 'price_increasing' };

/**
 * Tiers must have positive integer minG and price, strictly increasing minG and non-increasing price;
 * the first tier may not cost more than the base price. Answers the first problem or null.
 */
export function tierProblem(basePriceFenPerKg: number, tiers: readonly PriceTier[]): TierProblem | null {
  let prev: PriceTier | null = null;
  for (const [index, tier] of tiers.entries()) {
    if (!Number.isSafeInteger(tier.minG) || tier.minG <= 0) return { index, field: 'minG', reason: 'not_positive_integer' };
    if (!Number.isSafeInteger(tier.priceFenPerKg) || tier.priceFenPerKg <= 0) return { index, field: 'priceFenPerKg', reason: 'not_positive_integer' };
    if (prev && tier.minG <= prev.minG) return { index, field: 'minG', reason: 'min_not_increasing' };
    if (tier.priceFenPerKg > (prev?.priceFenPerKg ?? basePriceFenPerKg)) return { index, field: 'priceFenPerKg', reason: 'price_increasing' };
    prev = tier;
  }
  return null;
}

/** The unit price for `grams`: the tier with the largest minG ≤ grams, else the base price. */
export function unitPriceFenPerKg(basePriceFenPerKg: number, tiers: readonly PriceTier[], grams: number): number {
  let price = basePriceFenPerKg;
  let bestMin = -1;
  for (const tier of tiers) {
    if (tier.minG <= grams && tier.minG > bestMin) {
      bestMin = tier.minG;
      price = tier.priceFenPerKg;
    }
  }
  return price;
}

/** Line total in fen: round-half-up(priceFenPerKg × grams / 1000), in exact integer arithmetic. */
export function lineTotalFen(priceFenPerKg: number, grams: number): number {
  if (!Number.isSafeInteger(priceFenPerKg) || priceFenPerKg < 0) throw new RangeError(`price must be a non-negative integer fen, got ${priceFenPerKg}`);
  if (!Number.isSafeInteger(grams) || grams < 0) throw new RangeError(`grams must be a non-negative integer, got ${grams}`);
  const total = (BigInt(priceFenPerKg) * BigInt(grams) + 500n) / 1000n;
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('line total too large');
  return Number(total);
}

/** Tiered line total for a quantity. */
export function quoteFen(basePriceFenPerKg: number, tiers: readonly PriceTier[], grams: number): { unitPriceFenPerKg: number; totalFen: number } {
  const unit = unitPriceFenPerKg(basePriceFenPerKg, tiers, grams);
  return { unitPriceFenPerKg: unit, totalFen: lineTotalFen(unit, grams) };
}
