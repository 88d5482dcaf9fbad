import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listingSearchKey } from './listing-search.core.ts';

const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(undefined));
const search = fc.dictionary(fc.constantFrom('q', 'form', 'grade', 'origin', 'daoDi', 'priceMin', 'priceMax', 'inStock', 'sort', 'limit', 'offset'), value);

describe('listingSearchKey', () => {
  it('does not depend on the order of the fields or on fields that are undefined', () => {
    fc.assert(
      fc.property(search, (input) => {
        const reversed = Object.fromEntries(Object.entries(input).reverse());
        const withoutUndefined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        expect(listingSearchKey(reversed)).toBe(listingSearchKey(input));
        expect(listingSearchKey(withoutUndefined)).toBe(listingSearchKey(input));
      }),
    );
  });

  it('differs whenever a defined value differs', () => {
    fc.assert(
      fc.property(search, search, (a, b) => {
        const defined = (x: Record<string, unknown>) => JSON.stringify(Object.entries(x).filter(([, v]) => v !== undefined).sort(([k1], [k2]) => (k1 < k2 ? -1 : 1)));
        expect(listingSearchKey(a) === listingSearchKey(b)).toBe(defined(a) === defined(b));
      }),
    );
  });

  it('tells a number from its digits and a query from the same query with a space', () => {
    expect(listingSearchKey({ q: '1' })).not.toBe(listingSearchKey({ q: 1 }));
    expect(listingSearchKey({ q: '黄芪' })).not.toBe(listingSearchKey({ q: '黄芪 ' }));
    expect(listingSearchKey({ q: '黄芪', limit: 100 })).toBe(listingSearchKey({ limit: 100, q: '黄芪', origin: undefined }));
  });
});
