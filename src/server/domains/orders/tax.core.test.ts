import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { includedTaxFen, TAX_RULES, taxLines, taxRateBp } from './tax.core.ts';

describe('VAT included in tax-inclusive prices', () => {
  it('takes the rates from the rules: 9 % raw herbs, 13 % decoction pieces and granules, growers exempt on raw', () => {
    expect(taxRateBp('raw', 'supplier')).toBe(900);
    expect(taxRateBp('raw', 'grower')).toBe(0);
    expect(taxRateBp('decoction_piece', 'supplier')).toBe(1300);
    expect(taxRateBp('decoction_piece', 'grower')).toBe(1300);
    expect(taxRateBp('granule', 'supplier')).toBe(1300);
    expect(taxRateBp('something-new', 'supplier')).toBe(1300);
    expect(TAX_RULES.every((r) => r.source.length > 0)).toBe(true);
  });

  it('computes the included tax half-up in fen', () => {
    expect(includedTaxFen(10_900, 900)).toBe(900);
    expect(includedTaxFen(11_300, 1300)).toBe(1300);
    expect(includedTaxFen(1, 900)).toBe(0);
    expect(includedTaxFen(6, 900)).toBe(0); // 0.495… → 0
    expect(includedTaxFen(7, 900)).toBe(1); // 0.577… → 1
    expect(includedTaxFen(0, 1300)).toBe(0);
    expect(includedTaxFen(12_345, 0)).toBe(0);
    expect(() => includedTaxFen(-1, 900)).toThrow(RangeError);
    expect(() => includedTaxFen(1.5, 900)).toThrow(RangeError);
    expect(() => includedTaxFen(100, 10_001)).toThrow(RangeError);
  });

  it('is the nearest fen to the exact tax, never above the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000_000 }), fc.constantFrom(0, 600, 900, 1300), (total, rate) => {
        const tax = includedTaxFen(total, rate);
        const exact = (total * rate) / (10_000 + rate);
        expect(Number.isSafeInteger(tax)).toBe(true);
        expect(Math.abs(tax - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
        expect(tax).toBeLessThanOrEqual(total);
      }),
    );
  });

  it('tax lines per rate reconcile with the lines to the fen', () => {
    const line = fc.record({ lineTotalFen: fc.integer({ min: 0, max: 1_000_000_000 }), taxRateBp: fc.constantFrom(0, 900, 1300) });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (raw) => {
        const lines = raw.map((l) => ({ ...l, taxFen: includedTaxFen(l.lineTotalFen, l.taxRateBp) }));
        const summary = taxLines(lines);
        expect(summary.reduce((s, t) => s + t.grossFen, 0)).toBe(lines.reduce((s, l) => s + l.lineTotalFen, 0));
        expect(summary.reduce((s, t) => s + t.taxFen, 0)).toBe(lines.reduce((s, l) => s + l.taxFen, 0));
        for (const t of summary) expect(t.netFen + t.taxFen).toBe(t.grossFen);
        expect(new Set(summary.map((t) => t.rateBp)).size).toBe(summary.length);
      }),
    );
  });
});
