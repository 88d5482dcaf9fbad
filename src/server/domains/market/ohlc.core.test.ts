import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { lineTotalFen } from '../catalog/listings.core.ts';
import {
  addDays,
  candlesCsv,
  checkDayRange,
  dailyCandles,
  DEFAULT_OHLC_DAYS,
  isCalendarDay,
  MAX_OHLC_DAYS,
  OHLC_CSV_FIELDS,
  quoteOf,
  shanghaiDay,
  shanghaiDayStart,
  type TradePrint,
} from './ohlc.core.ts';

const at = (iso: string) => new Date(iso);
const print = (seq: number, iso: string, fenPerKg: number, grams: number, ordinal = 0): TradePrint => ({ seq, ordinal, at: at(iso), fenPerKg, grams });

describe('China-time days', () => {
  it('a day runs from 00:00 to 24:00 in Shanghai (16:00 UTC the day before)', () => {
    expect(shanghaiDay(at('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(shanghaiDay(at('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02');
    expect(shanghaiDayStart('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isCalendarDay('2026-02-28')).toBe(true);
    for (const bad of ['2026-02-30', '2026-2-3', '26-02-03', '2026-13-01', '2026-02-03T00:00', '', 20260203, undefined]) expect(isCalendarDay(bad)).toBe(false);
  });

  it('every instant lies within the day it is assigned to', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2001-01-02T00:00:00Z'), max: new Date('2998-12-30T00:00:00Z'), noInvalidDate: true }), (d) => {
        const day = shanghaiDay(d);
        expect(shanghaiDayStart(day).getTime()).toBeLessThanOrEqual(d.getTime());
        expect(shanghaiDayStart(addDays(day, 1)).getTime()).toBeGreaterThan(d.getTime());
      }),
    );
  });
});

describe('daily candles', () => {
  it('open and close follow the log order, high/low/volume the day; days ascending', () => {
    const candles = dailyCandles([
      print(4, '2026-03-02T01:00:00Z', 6100, 2000),
      print(2, '2026-03-01T17:00:00Z', 6000, 1000), // 01:00 on 2 March in Shanghai
      print(4, '2026-03-02T01:00:00Z', 5900, 500, 1),
      print(1, '2026-03-01T03:00:00Z', 5800, 250),
    ]);
    expect(candles).toEqual([
      { day: '2026-03-01', openFenPerKg: 5800, highFenPerKg: 5800, lowFenPerKg: 5800, closeFenPerKg: 5800, volumeG: 250, turnoverFen: 1450, trades: 1 },
      { day: '2026-03-02', openFenPerKg: 6000, highFenPerKg: 6100, lowFenPerKg: 5900, closeFenPerKg: 5900, volumeG: 3500, turnoverFen: 6000 + 12_200 + 2950, trades: 3 },
    ]);
    expect(dailyCandles([])).toEqual([]);
  });

  const trades = fc
    .uniqueArray(
      fc.record({
        seq: fc.integer({ min: 1, max: 500 }),
        ordinal: fc.integer({ min: 0, max: 5 }),
        at: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-01-20T00:00:00Z'), noInvalidDate: true }),
        fenPerKg: fc.integer({ min: 1, max: 10_000_000 }),
        grams: fc.integer({ min: 1, max: 10_000_000 }),
      }),
      { selector: (t) => `${t.seq}:${t.ordinal}`, maxLength: 60 },
    );

  it('low ≤ open, close ≤ high on every day', () => {
    fc.assert(
      fc.property(trades, (list) => {
        for (const c of dailyCandles(list)) {
          expect(c.lowFenPerKg).toBeLessThanOrEqual(Math.min(c.openFenPerKg, c.closeFenPerKg));
          expect(c.highFenPerKg).toBeGreaterThanOrEqual(Math.max(c.openFenPerKg, c.closeFenPerKg));
        }
      }),
    );
  });

  it('volume, turnover and trade count are the sums of the day’s trades; nothing is lost', () => {
    fc.assert(
      fc.property(trades, (list) => {
        const candles = dailyCandles(list);
        for (const c of candles) {
          const ofDay = list.filter((t) => shanghaiDay(t.at) === c.day);
          expect(c.volumeG).toBe(ofDay.reduce((s, t) => s + t.grams, 0));
          expect(c.turnoverFen).toBe(ofDay.reduce((s, t) => s + lineTotalFen(t.fenPerKg, t.grams), 0));
          expect(c.trades).toBe(ofDay.length);
        }
        expect(candles.reduce((s, c) => s + c.trades, 0)).toBe(list.length);
      }),
    );
  });

  it('days are strictly ascending and each is a day with trades', () => {
    fc.assert(
      fc.property(trades, (list) => {
        const days = dailyCandles(list).map((c) => c.day);
        for (let i = 1; i < days.length; i += 1) expect(days[i - 1]! < days[i]!).toBe(true);
        expect(new Set(days)).toEqual(new Set(list.map((t) => shanghaiDay(t.at))));
      }),
    );
  });

  it('the same trades in any input order give the same candles', () => {
    fc.assert(
      fc.property(
        trades.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        ([list, shuffled]) => {
          expect(dailyCandles(shuffled)).toEqual(dailyCandles(list));
        },
      ),
    );
  });

  it('open is the first and close the last trade of the day in log order', () => {
    fc.assert(
      fc.property(trades, (list) => {
        for (const c of dailyCandles(list)) {
          const ofDay = list.filter((t) => shanghaiDay(t.at) === c.day).sort((a, b) => a.seq - b.seq || a.ordinal - b.ordinal);
          expect(c.openFenPerKg).toBe(ofDay[0]!.fenPerKg);
          expect(c.closeFenPerKg).toBe(ofDay[ofDay.length - 1]!.fenPerKg);
        }
      }),
    );
  });
});

describe('quote', () => {
  it('change against the previous close, in fen and basis points', () => {
    const last = { fenPerKg: 6150, at: at('2026-03-02T02:00:00Z') };
    expect(quoteOf(last, 6000)).toMatchObject({ lastFenPerKg: 6150, prevCloseFenPerKg: 6000, changeFenPerKg: 150, changeBp: 250 });
    expect(quoteOf({ ...last, fenPerKg: 5940 }, 6000)).toMatchObject({ changeFenPerKg: -60, changeBp: -100 });
    expect(quoteOf(last, null)).toMatchObject({ lastFenPerKg: 6150, changeFenPerKg: null, changeBp: null });
    expect(quoteOf(null, null)).toEqual({ lastFenPerKg: null, lastTradeAt: null, prevCloseFenPerKg: null, changeFenPerKg: null, changeBp: null });
  });
});

describe('date range', () => {
  const now = at('2026-03-10T20:00:00Z'); // 11 March, 04:00 in Shanghai

  it('defaults to the last 90 China-time days, today included', () => {
    const checked = checkDayRange(undefined, undefined, now);
    expect(checked).toMatchObject({ ok: true, range: { to: '2026-03-11', from: addDays('2026-03-11', -(DEFAULT_OHLC_DAYS - 1)) } });
  });

  it('spans Shanghai midnights, both ends included', () => {
    const checked = checkDayRange('2026-03-01', '2026-03-02', now);
    expect(checked.ok && { start: checked.range.start.toISOString(), end: checked.range.end.toISOString() }).toEqual({ start: '2026-02-28T16:00:00.000Z', end: '2026-03-02T16:00:00.000Z' });
  });

  it('names the field of a bad date, a reversed range and a range that is too long', () => {
    expect(checkDayRange('2026-02-30', '2026-03-02', now)).toEqual({ ok: false, problem: { key: 'marketData.badDay', field: 'from' } });
    expect(checkDayRange('2026-03-01', 'tomorrow', now)).toEqual({ ok: false, problem: { key: 'marketData.badDay', field: 'to' } });
    expect(checkDayRange('2026-03-02', '2026-03-01', now)).toEqual({ ok: false, problem: { key: 'marketData.rangeOrder', field: 'to' } });
    expect(checkDayRange('2025-01-01', '2026-03-01', now)).toMatchObject({ ok: false, problem: { key: 'marketData.rangeTooLong', field: 'to', params: { max: MAX_OHLC_DAYS } } });
    expect(checkDayRange(addDays('2026-03-01', -(MAX_OHLC_DAYS - 1)), '2026-03-01', now).ok).toBe(true);
  });
});

describe('CSV export', () => {
  it('one row per day with integer columns, readable back', () => {
    const csv = candlesCsv(dailyCandles([print(1, '2026-03-01T02:00:00Z', 6000, 1500), print(2, '2026-03-01T03:00:00Z', 6200, 500)]));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(parsed).toEqual([[...OHLC_CSV_FIELDS], ['2026-03-01', '6000', '6200', '6000', '6200', '2000', '12100', '2', '60.00', '62.00', '60.00', '62.00', '2.000', '121.00']]);
    expect(candlesCsv([])).toBe(`\uFEFF${OHLC_CSV_FIELDS.join(',')}\r\n`);
  });

  it('the yuan and kilogram columns are the integer columns exactly, as decimals', () => {
    const column = (name: (typeof OHLC_CSV_FIELDS)[number]) => OHLC_CSV_FIELDS.indexOf(name);
    const pairs = [
      ['open_fen_per_kg', 'open_yuan_per_kg', 2],
      ['high_fen_per_kg', 'high_yuan_per_kg', 2],
      ['low_fen_per_kg', 'low_yuan_per_kg', 2],
      ['close_fen_per_kg', 'close_yuan_per_kg', 2],
      ['volume_g', 'volume_kg', 3],
      ['turnover_fen', 'turnover_yuan', 2],
    ] as const;
    fc.assert(
      fc.property(fc.array(fc.record({ price: fc.integer({ min: 1, max: 99_999_999 }), grams: fc.integer({ min: 1, max: 99_999_999 }) }), { minLength: 1, maxLength: 5 }), (fills) => {
        const csv = candlesCsv(dailyCandles(fills.map((f, i) => print(i + 1, `2026-03-01T0${i}:00:00Z`, f.price, f.grams))));
        const [, row] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
        for (const [integer, decimal, places] of pairs) {
          const text = row![column(decimal)]!;
          expect(text).toMatch(new RegExp(`^\\d+\\.\\d{${places}}$`));
          expect(text.replace('.', '').replace(/^0+(?=\d)/, '')).toBe(row![column(integer)]);
        }
      }),
    );
  });
});
