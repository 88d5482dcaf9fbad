import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completionBars, percentAxisMax, percentOf } from './completion-chart.core.ts';

describe('completion chart bars', () => {
  it('puts a small lot and a large one on the same scale', () => {
    const bars = completionBars([
      { label: '1 · 黄芪', agreedG: 12_500, orderedG: 12_500, deliveredG: 6_250 },
      { label: '2 · 当归', agreedG: 1_440_000, orderedG: 720_000, deliveredG: 0 },
    ]);
    expect(bars.map((b) => [b.orderedPct, b.deliveredPct])).toEqual([
      [100, 50],
      [50, 0],
    ]);
    expect(percentAxisMax(bars)).toBe(100);
  });

  it('has no share of nothing agreed, and makes room above 100 %', () => {
    expect(percentOf(5, 0)).toBeNull();
    expect(percentAxisMax(completionBars([{ label: 'x', agreedG: 1000, orderedG: 1234, deliveredG: 0 }]))).toBe(130);
  });

  it('every bar fits under the axis top, which is a multiple of 10 from 100 up', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ agreedG: fc.nat(10_000_000), orderedG: fc.nat(20_000_000), deliveredG: fc.nat(20_000_000) }), { maxLength: 8 }), (lots) => {
        const bars = completionBars(lots.map((l, i) => ({ ...l, label: String(i) })));
        const top = percentAxisMax(bars);
        expect(top % 10).toBe(0);
        expect(top).toBeGreaterThanOrEqual(100);
        for (const b of bars) for (const p of [b.orderedPct, b.deliveredPct]) if (p !== null) expect(p).toBeLessThanOrEqual(top);
      }),
    );
  });
});
