/**
 * Stock arithmetic on a lot, pure: available = quantity − reserved; reserving and releasing never
 * take reserved below zero or above the quantity. The database enforces the same with CHECK
 * constraints and a conditional UPDATE (see lots.repo.ts).
 */
export interface Stock {
  quantityG: number;
  reservedG: number;
}

export type StockErrorReason = 'not_positive_integer' | 'insufficient' | 'over_release';

export class StockError extends Error {
  readonly reason: StockErrorReason;
  constructor(reason: StockErrorReason, message: string) {
    super(message);
    this.name = 'StockError';
    this.reason = reason;
  }
}

export function isPositiveGrams(grams: number): boolean {
  return Number.isSafeInteger(grams) && grams > 0;
}

export function availableG(stock: Stock): number {
  return stock.quantityG - stock.reservedG;
}

export function reserve(stock: Stock, grams: number): Stock {
  if (!isPositiveGrams(grams)) throw new StockError('not_positive_integer', `grams must be a positive integer, got ${grams}`);
  if (availableG(stock) < grams) throw new StockError('insufficient', `only ${availableG(stock)} g available, ${grams} g asked`);
  return { quantityG: stock.quantityG, reservedG: stock.reservedG + grams };
}

export function release(stock: Stock, grams: number): Stock {
  if (!isPositiveGrams(grams)) throw new StockError('not_positive_integer', `grams must be a positive integer, got ${grams}`);
  if (stock.reservedG < grams) throw new StockError('over_release', `only ${stock.reservedG} g reserved, ${grams} g to release`);
  return { quantityG: stock.quantityG, reservedG: stock.reservedG - grams };
}
