/**
 * Market data of one instrument, pure: daily candles (open, high, low, close and volume) from its
 * trades with China-time (Asia/Shanghai) day boundaries, the last price and its change against the
 * previous day's close, and the checks of a requested date range. No clock, no I/O; no parties in the
 * input or the output (market data is anonymous, the parties are told only to each other).
 */
import Papa from 'papaparse';
import { kgFromGrams, yuanFromFen } from '../../../lib/input-format.ts';
import type { MessageKey } from '../../../lib/messages.ts';
import { lineTotalFen } from '../catalog/listings.core.ts';

/** Asia/Shanghai is UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Longest date range served at once (both ends included). */
export const MAX_OHLC_DAYS = 366;
/** Range when none is asked for: the last 90 days, today included. */
export const DEFAULT_OHLC_DAYS = 90;

/** One trade as market data: its place in the instrument's order log, time, price and grams. */
export interface TradePrint {
  /** Sequence of the command that made the trade and the trade's position within it: the log order. */
  readonly seq: number;
  readonly ordinal: number;
  readonly at: Date;
  readonly fenPerKg: number;
  readonly grams: number;
}

/** One China-time day of trading (days without trades have no candle). */
export interface DailyCandle {
  /** `YYYY-MM-DD`, the day in Asia/Shanghai. */
  readonly day: string;
  readonly openFenPerKg: number;
  readonly highFenPerKg: number;
  readonly lowFenPerKg: number;
  readonly closeFenPerKg: number;
  /** Grams traded that day. */
  readonly volumeG: number;
  /** What the day's trades were worth, in fen (each trade's total rounded as on its order). */
  readonly turnoverFen: number;
  readonly trades: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function utcDayString(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The China-time calendar day of an instant, `YYYY-MM-DD`. */
export function shanghaiDay(at: Date): string {
  return utcDayString(at.getTime() + SHANGHAI_OFFSET_MS);
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (years 2000–2999). */
export function isCalendarDay(text: unknown): text is string {
  if (typeof text !== 'string' || !/^2\d{3}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && utcDayString(ms) === text;
}

/** The instant a China-time day starts (00:00 in Shanghai = 16:00 UTC the day before). */
export function shanghaiDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/** `day` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  return utcDayString(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Calendar days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysInRange(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1);
}

/** Log order: by sequence, then position within the command (unique per instrument). */
function byLogOrder(a: TradePrint, b: TradePrint): number {
  return a.seq - b.seq || a.ordinal - b.ordinal;
}

/**
 * Daily candles, days ascending. A trade belongs to the China-time day of its time; within a day the
 * open is the first trade and the close the last in log order (sequence, then ordinal), so the same
 * trades in any input order give the same candles.
 */
export function dailyCandles(trades: readonly TradePrint[]): DailyCandle[] {
  const days = new Map<string, TradePrint[]>();
  for (const t of trades) {
    const day = shanghaiDay(t.at);
    const list = days.get(day);
    if (list) list.push(t);
    else days.set(day, [t]);
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, list]) => {
      const ordered = [...list].sort(byLogOrder);
      let high = -Infinity;
      let low = Infinity;
      let volumeG = 0;
      let turnoverFen = 0;
      for (const t of ordered) {
        if (t.fenPerKg > high) high = t.fenPerKg;
        if (t.fenPerKg < low) low = t.fenPerKg;
        volumeG += t.grams;
        turnoverFen += lineTotalFen(t.fenPerKg, t.grams);
      }
      return {
        day,
        openFenPerKg: ordered[0]!.fenPerKg,
        highFenPerKg: high,
        lowFenPerKg: low,
        closeFenPerKg: ordered[ordered.length - 1]!.fenPerKg,
        volumeG,
        turnoverFen,
        trades: ordered.length,
      };
    });
}

/** An instrument's last price and its change against the previous day's close. */
export interface Quote {
  /** Price of the last trade (null before the first trade). */
  readonly lastFenPerKg: number | null;
  readonly lastTradeAt: Date | null;
  /** Price of the last trade before today (China time); null when there was none. */
  readonly prevCloseFenPerKg: number | null;
  /** last − previous close, fen per kg; null when either is missing. */
  readonly changeFenPerKg: number | null;
  /** The change in basis points of the previous close (125 = +1.25 %), rounded; null when either is missing. */
  readonly changeBp: number | null;
}

/**
 * The quote from the last trade and the previous close (the last trade before today's China-time
 * start). With no trade today the last price is the previous close and the change is 0.
 */
export function quoteOf(last: { fenPerKg: number; at: Date } | null, prevCloseFenPerKg: number | null): Quote {
  if (!last) return { lastFenPerKg: null, lastTradeAt: null, prevCloseFenPerKg, changeFenPerKg: null, changeBp: null };
  if (prevCloseFenPerKg === null || prevCloseFenPerKg <= 0) {
    return { lastFenPerKg: last.fenPerKg, lastTradeAt: last.at, prevCloseFenPerKg: null, changeFenPerKg: null, changeBp: null };
  }
  const change = last.fenPerKg - prevCloseFenPerKg;
  return {
    lastFenPerKg: last.fenPerKg,
    lastTradeAt: last.at,
    prevCloseFenPerKg,
    changeFenPerKg: change,
    changeBp: Math.round((change * 10_000) / prevCloseFenPerKg),
  };
}

/** A requested date range as checked: both ends as China-time days and the instants they span. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
  /** First instant of `from` and first instant after `to` (Shanghai midnights). */
  readonly start: Date;
  readonly end: Date;
}

/** Why a range is refused: the message key, the field (`from` or `to`) and the message's parameters. */
export interface RangeProblem {
  readonly key: MessageKey;
  readonly field: 'from' | 'to';
  readonly params?: Record<string, string | number>;
}

/**
 * Checks a date range (`YYYY-MM-DD`, China time, both ends included). A missing `to` is today, a
 * missing `from` is `DEFAULT_OHLC_DAYS` days before `to`; at most `MAX_OHLC_DAYS` days.
 */
export function checkDayRange(from: string | undefined, to: string | undefined, now: Date): { ok: true; range: DayRange } | { ok: false; problem: RangeProblem } {
  if (from !== undefined && !isCalendarDay(from)) return { ok: false, problem: { key: 'marketData.badDay', field: 'from' } };
  if (to !== undefined && !isCalendarDay(to)) return { ok: false, problem: { key: 'marketData.badDay', field: 'to' } };
  const last = to ?? shanghaiDay(now);
  const first = from ?? addDays(last, -(DEFAULT_OHLC_DAYS - 1));
  if (first > last) return { ok: false, problem: { key: 'marketData.rangeOrder', field: 'to' } };
  if (daysInRange(first, last) > MAX_OHLC_DAYS) return { ok: false, problem: { key: 'marketData.rangeTooLong', field: 'to', params: { max: MAX_OHLC_DAYS } } };
  return { ok: true, range: { from: first, to: last, start: shanghaiDayStart(first), end: shanghaiDayStart(addDays(last, 1)) } };
}

export const OHLC_EXPORT_FORMATS = ['csv', 'json'] as const;
export type OhlcExportFormat = (typeof OHLC_EXPORT_FORMATS)[number];

/**
 * Column names of the CSV export, one row per trading day: first integers (fen per kg, grams, fen) for
 * programs, then the same prices, volume and turnover in yuan and kilograms (exact decimals) for a person
 * reading the file in a spreadsheet.
 */
export const OHLC_CSV_FIELDS = [
  'date',
  'open_fen_per_kg',
  'high_fen_per_kg',
  'low_fen_per_kg',
  'close_fen_per_kg',
  'volume_g',
  'turnover_fen',
  'trades',
  'open_yuan_per_kg',
  'high_yuan_per_kg',
  'low_yuan_per_kg',
  'close_yuan_per_kg',
  'volume_kg',
  'turnover_yuan',
] as const;

/** The candles as CSV (papaparse; BOM first so spreadsheet programs read UTF-8; CRLF line ends). */
export function candlesCsv(candles: readonly DailyCandle[]): string {
  const data = candles.map((c) => [
    c.day,
    c.openFenPerKg,
    c.highFenPerKg,
    c.lowFenPerKg,
    c.closeFenPerKg,
    c.volumeG,
    c.turnoverFen,
    c.trades,
    yuanFromFen(c.openFenPerKg),
    yuanFromFen(c.highFenPerKg),
    yuanFromFen(c.lowFenPerKg),
    yuanFromFen(c.closeFenPerKg),
    kgFromGrams(c.volumeG),
    yuanFromFen(c.turnoverFen),
  ]);
  const body = Papa.unparse({ fields: [...OHLC_CSV_FIELDS], data }, { newline: '\r\n' }).replace(/(\r\n)+$/, '');
  return `\uFEFF${body}\r\n`;
}
