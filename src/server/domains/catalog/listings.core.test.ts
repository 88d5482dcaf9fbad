import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PriceTier } from '../../db/schema/catalog-trade.ts';
import { canTransition, LISTING_STATUSES, LISTING_TRANSITIONS, lineTotalFen, quoteFen, tierProblem, unitPriceFenPerKg } from './listings.core.ts';
import { productName } from './products.core.ts';
import { availableG, release, reserve, StockError } from './stock.core.ts';

/** Valid tiers: strictly increasing minG, non-increasing price, none above the base price. */
const tiersArb = fc
  .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.uniqueArray(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 6 }), fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 6 }))
  .map(([base, mins, drops]) => {
    const sorted = [...mins].sort((a, b) => a - b);
    let price = base;
    const tiers: PriceTier[] = sorted.map((minG, i) => {
      price = Math.max(1, price - (drops[i] ?? 0));
      return { minG, priceFenPerKg: price };
    });
    return { base, tiers };
  });

describe('listing pricing', () => {
  it('picks the tier with the largest minG ≤ quantity', () => {
    const tiers = [
      { minG: 10_000, priceFenPerKg: 5000 },
      { minG: 50_000, priceFenPerKg: 4500 },
    ];
    expect(unitPriceFenPerKg(5800, tiers, 9_999)).toBe(5800);
    expect(unitPriceFenPerKg(5800, tiers, 10_000)).toBe(5000);
    expect(unitPriceFenPerKg(5800, tiers, 49_999)).toBe(5000);
    expect(unitPriceFenPerKg(5800, tiers, 50_000)).toBe(4500);
    expect(quoteFen(5800, tiers, 1_500)).toEqual({ unitPriceFenPerKg: 5800, totalFen: 8700 });
  });

  it('rounds line totals half up in integer arithmetic', () => {
    expect(lineTotalFen(1, 500)).toBe(1); // 0.5 fen → 1
    expect(lineTotalFen(1, 499)).toBe(0);
    expect(lineTotalFen(4999, 333)).toBe(1665); // 1664.667
    expect(lineTotalFen(3, 1500)).toBe(5); // 4.5 → 5
    expect(lineTotalFen(9_000_000, 1_000_000_000)).toBe(9_000_000_000_000);
    expect(() => lineTotalFen(1.5, 1000)).toThrow(RangeError);
    expect(() => lineTotalFen(100, -1)).toThrow(RangeError);
  });

  it('tier price is monotone non-increasing in quantity, totals are integers matching exact rounding', () => {
    fc.assert(
      fc.property(tiersArb, fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), ({ base, tiers }, a, b) => {
        expect(tierProblem(base, tiers)).toBeNull();
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(unitPriceFenPerKg(base, tiers, hi)).toBeLessThanOrEqual(unitPriceFenPerKg(base, tiers, lo));
        const { unitPriceFenPerKg: unit, totalFen } = quoteFen(base, tiers, hi);
        expect(Number.isSafeInteger(totalFen)).toBe(true);
        // |total × 1000 − unit × grams| ≤ 500, with ties rounded up.
        const diff = BigInt(totalFen) * 1000n - BigInt(unit) * BigInt(hi);
        expect(diff >= -499n && diff <= 500n).toBe(true);
      }),
    );
  });

  it('refuses tiers that are not increasing in minG or that rise in price', () => {
    expect(tierProblem(5000, [{ minG: 1000, priceFenPerKg: 4000 }, { minG: 1000, priceFenPerKg: 3000 }])).toEqual({ index: 1, field: 'minG', reason: 'min_not_increasing' });
    expect(tierProblem(5000, [{ minG: 1000, priceFenPerKg: 4000 }, { minG: 2000, priceFenPerKg: 4100 }])).toEqual({ index: 1, field: 'priceFenPerKg', reason: 'price_increasing' });
    expect(tierProblem(5000, [{ minG: 1000, priceFenPerKg: 5100 }])).toEqual({ index: 0, field: 'priceFenPerKg', reason: 'price_increasing' });
    expect(tierProblem(5000, [{ minG: 0, priceFenPerKg: 4000 }])).toMatchObject({ field: 'minG' });
    expect(tierProblem(5000, [{ minG: 10, priceFenPerKg: 40.5 }])).toMatchObject({ field: 'priceFenPerKg' });
  });
});

describe('listing state machine', () => {
  it('is a table: closed is final, sold_out only from active, every target is a known status', () => {
    expect(canTransition('draft', 'active')).toBe(true);
    expect(canTransition('active', 'paused')).toBe(true);
    expect(canTransition('paused', 'active')).toBe(true);
    expect(canTransition('closed', 'active')).toBe(false);
    expect(canTransition('draft', 'paused')).toBe(false);
    expect(canTransition('paused', 'sold_out')).toBe(false);
    for (const from of LISTING_STATUSES) for (const to of LISTING_TRANSITIONS[from]) expect(LISTING_STATUSES).toContain(to);
    expect(LISTING_TRANSITIONS.closed).toEqual([]);
  });
});

describe('stock arithmetic', () => {
  const stockArb = fc.integer({ min: 1, max: 1_000_000_000 }).chain((q) => fc.record({ quantityG: fc.constant(q), reservedG: fc.integer({ min: 0, max: q }) }));

  it('reserve then release restores the stock; reserved stays within [0, quantity]', () => {
    fc.assert(
      fc.property(stockArb, fc.integer({ min: 1, max: 1_000_000_000 }), (stock, grams) => {
        if (grams > availableG(stock)) {
          expect(() => reserve(stock, grams)).toThrow(StockError);
          return;
        }
        const held = reserve(stock, grams);
        expect(held.reservedG).toBeLessThanOrEqual(held.quantityG);
        expect(availableG(held)).toBe(availableG(stock) - grams);
        expect(release(held, grams)).toEqual(stock);
      }),
    );
  });

  it('never goes negative', () => {
    expect(() => release({ quantityG: 10, reservedG: 3 }, 4)).toThrow(/reserved/);
    expect(() => reserve({ quantityG: 10, reservedG: 3 }, 0)).toThrow(StockError);
    expect(() => reserve({ quantityG: 10, reservedG: 3 }, 1.5)).toThrow(StockError);
    expect(() => reserve({ quantityG: 10, reservedG: 3 }, 8)).toThrow(StockError);
  });
});

describe('product name', () => {
  it('is derived from herb and spec, leaving out an empty cut', () => {
    expect(productName('黄芪', { form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected', origin: '甘肃陇西' })).toBe('黄芪 饮片 片 生 选货 甘肃陇西');
    expect(productName('三七', { form: 'raw', cut: 'none', processing: 'raw', grade: 'graded', origin: ' 云南文山 ' })).toBe('三七 药材 生 等级 云南文山');
  });
});
