import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { facetOptions, parseMarketQuery } from './market-query.core.ts';

describe('market query from the URL', () => {
  it('keeps known filters, converts yuan to fen, and picks a sensible sort', () => {
    expect(parseMarketQuery({ q: ' hq ', form: 'decoction_piece', grade: 'selected', origin: '甘肃陇西', daoDi: 'true', inStock: 'true', priceMin: '50', priceMax: '72.5', sort: 'newest', certificate: 'gap' })).toEqual({
      q: 'hq',
      form: 'decoction_piece',
      grade: 'selected',
      origin: '甘肃陇西',
      daoDi: true,
      certificate: 'gap',
      inStock: true,
      priceMin: 5000,
      priceMax: 7250,
      sort: 'newest',
    });
    expect(parseMarketQuery({})).toEqual({ q: '', sort: 'price_asc' });
    expect(parseMarketQuery({ q: 'hq' }).sort).toBe('relevance');
    expect(parseMarketQuery({ sort: 'relevance' }).sort).toBe('price_asc');
  });

  it('drops junk instead of trusting it', () => {
    expect(parseMarketQuery({ form: 'pills', grade: 'x', priceMin: '-1', priceMax: '1.234', sort: 'random', daoDi: 'yes', certificate: 'iso', q: ['a', 'b'] })).toEqual({ q: '', sort: 'price_asc' });
  });

  it('never throws and always answers integer fen prices', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('q', 'form', 'grade', 'origin', 'priceMin', 'priceMax', 'sort', 'daoDi', 'inStock'), fc.string()), (params) => {
        const parsed = parseMarketQuery(params);
        for (const p of [parsed.priceMin, parsed.priceMax]) if (p !== undefined) expect(Number.isSafeInteger(p) && p >= 0).toBe(true);
        expect(parsed.q.length).toBeLessThanOrEqual(50);
      }),
    );
  });

  it('orders facet options by count', () => {
    expect(facetOptions({ 甘肃陇西: 3, 内蒙古: 5, 山西: 0, 安徽亳州: 3 })).toEqual([
      { value: '内蒙古', count: 5 },
      { value: '安徽亳州', count: 3 },
      { value: '甘肃陇西', count: 3 },
    ]);
  });
});
