/**
 * Price history of a product, pure: the order lines of orders that were traded (accepted or later)
 * grouped by ISO week in Asia/Shanghai, with min, median and max price (integer fen per kg) and the
 * volume in grams. Market data: no buyer or seller in the input or the output.
 */
import type { OrderStatus } from './orders.core.ts';

/** An order counts as a trade once the seller accepted it, also when it was later refunded. */
export const TRADED_ORDER_STATUSES: readonly OrderStatus[] = ['accepted', 'shipped', 'delivered', 'completed', 'partially_refunded', 'refunded'];

export const MAX_PRICE_HISTORY_WEEKS = 104;

/** Asia/Shanghai is UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TradedLine {
  /** When the order was placed. */
  at: Date;
  priceFenPerKg: number;
  grams: number;
}

export interface WeeklyPrice {
  /** ISO week, e.g. `2026-W03`. */
  week: string;
  /** The Monday of that week (Shanghai date), `YYYY-MM-DD`. */
  weekStart: string;
  minFenPerKg: number;
  /** Lower median for an even number of lines (always an integer fen). */
  medianFenPerKg: number;
  maxFenPerKg: number;
  volumeG: number;
  lines: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The ISO week of an instant, as seen in Shanghai. */
export function shanghaiIsoWeek(at: Date): { week: string; weekStart: string } {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const isoDay = (local.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = new Date(midnight - isoDay * DAY_MS);
  const thursday = new Date(monday.getTime() + 3 * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const weekNo = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS)) + 1;
  return {
    week: `${isoYear}-W${pad(weekNo)}`,
    weekStart: `${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`,
  };
}

/** The instant the window of the last `weeks` ISO weeks (the current one included) starts: Monday 00:00 Shanghai. */
export function historyStart(now: Date, weeks: number): Date {
  const { weekStart } = shanghaiIsoWeek(now);
  const mondayUtcMidnight = Date.parse(`${weekStart}T00:00:00Z`);
  return new Date(mondayUtcMidnight - SHANGHAI_OFFSET_MS - (Math.max(1, Math.trunc(weeks)) - 1) * 7 * DAY_MS);
}

/** Weekly min / lower median / max and volume, weeks in ascending order; weeks without trades are left out. */
export function weeklyPriceHistory(lines: readonly TradedLine[]): WeeklyPrice[] {
  const groups = new Map<string, { weekStart: string; prices: number[]; volumeG: number }>();
  for (const line of lines) {
    const { week, weekStart } = shanghaiIsoWeek(line.at);
    const group = groups.get(week) ?? { weekStart, prices: [], volumeG: 0 };
    group.prices.push(line.priceFenPerKg);
    group.volumeG += line.grams;
    groups.set(week, group);
  }
  return [...groups.entries()]
    .sort(([, a], [, b]) => a.weekStart.localeCompare(b.weekStart))
    .map(([week, group]) => {
      const prices = [...group.prices].sort((a, b) => a - b);
      const at = (i: number) => prices[i] ?? 0;
      return {
        week,
        weekStart: group.weekStart,
        minFenPerKg: at(0),
        medianFenPerKg: at(Math.floor((prices.length - 1) / 2)),
        maxFenPerKg: at(prices.length - 1),
        volumeG: group.volumeG,
        lines: prices.length,
      };
    });
}
