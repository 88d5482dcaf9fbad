import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { historyStart, shanghaiIsoWeek, weeklyPriceHistory, type TradedLine } from './price-history.core.ts';

describe('shanghaiIsoWeek', () => {
  it('uses the Shanghai calendar and ISO week numbering', () => {
    // Monday 2026-11-23 00:30 in Shanghai is Sunday 16:30 UTC.
    expect(shanghaiIsoWeek(new Date('2026-11-22T16:30:00Z'))).toEqual({ week: '2026-W48', weekStart: '2026-11-23' });
    expect(shanghaiIsoWeek(new Date('2026-11-22T15:59:59Z'))).toEqual({ week: '2026-W47', weekStart: '2026-11-16' });
    // ISO years differ from calendar years around New Year.
    expect(shanghaiIsoWeek(new Date('2027-01-01T04:00:00Z'))).toEqual({ week: '2026-W53', weekStart: '2026-12-28' });
    expect(shanghaiIsoWeek(new Date('2024-12-30T04:00:00Z'))).toEqual({ week: '2025-W01', weekStart: '2024-12-30' });
  });

  it('starts the window on a Shanghai Monday midnight', () => {
    expect(historyStart(new Date('2026-11-25T04:00:00Z'), 1).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(historyStart(new Date('2026-11-25T04:00:00Z'), 3).toISOString()).toBe('2026-11-08T16:00:00.000Z');
  });
});

describe('weeklyPriceHistory', () => {
  it('gives min, lower median and max per week', () => {
    const at = (iso: string) => new Date(iso);
    const weeks = weeklyPriceHistory([
      { at: at('2026-11-24T02:00:00Z'), priceFenPerKg: 7000, grams: 1000 },
      { at: at('2026-11-10T02:00:00Z'), priceFenPerKg: 6000, grams: 2000 },
      { at: at('2026-11-25T02:00:00Z'), priceFenPerKg: 6500, grams: 3000 },
      { at: at('2026-11-26T02:00:00Z'), priceFenPerKg: 6801, grams: 4000 },
      { at: at('2026-11-27T02:00:00Z'), priceFenPerKg: 6900, grams: 5000 },
    ]);
    expect(weeks).toEqual([
      { week: '2026-W46', weekStart: '2026-11-09', minFenPerKg: 6000, medianFenPerKg: 6000, maxFenPerKg: 6000, volumeG: 2000, lines: 1 },
      { week: '2026-W48', weekStart: '2026-11-23', minFenPerKg: 6500, medianFenPerKg: 6801, maxFenPerKg: 7000, volumeG: 13_000, lines: 4 },
    ]);
    expect(weeklyPriceHistory([])).toEqual([]);
  });

  const line = fc.record({
    at: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }),
    priceFenPerKg: fc.integer({ min: 1, max: 2_000_000 }),
    grams: fc.integer({ min: 1, max: 5_000_000 }),
  });

  it('keeps min ≤ median ≤ max, sorted unique weeks and the total volume (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines: TradedLine[]) => {
        const weeks = weeklyPriceHistory(lines);
        for (const w of weeks) {
          expect(w.minFenPerKg).toBeLessThanOrEqual(w.medianFenPerKg);
          expect(w.medianFenPerKg).toBeLessThanOrEqual(w.maxFenPerKg);
          expect(Number.isInteger(w.medianFenPerKg)).toBe(true);
        }
        const starts = weeks.map((w) => w.weekStart);
        expect(starts).toEqual([...starts].sort());
        expect(new Set(starts).size).toBe(starts.length);
        expect(weeks.reduce((s, w) => s + w.volumeG, 0)).toBe(lines.reduce((s, l) => s + l.grams, 0));
        expect(weeks.reduce((s, w) => s + w.lines, 0)).toBe(lines.length);
      }),
    );
  });

  it('puts every line in the week that starts at most 7 days before it (property)', () => {
    fc.assert(
      fc.property(line, (l) => {
        const { weekStart } = shanghaiIsoWeek(l.at);
        const startInstant = Date.parse(`${weekStart}T00:00:00+08:00`);
        expect(l.at.getTime()).toBeGreaterThanOrEqual(startInstant);
        expect(l.at.getTime()).toBeLessThan(startInstant + 7 * 24 * 3600 * 1000);
        expect(new Date(startInstant).getUTCDay()).toBe(0); // Monday 00:00 +08 is Sunday in UTC
      }),
    );
  });
});
