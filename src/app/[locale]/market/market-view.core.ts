/**
 * What the market pages show, pure: depth for the chart, an order's state, the order form's optional
 * parts (expiry, origins), and the "my orders & trades" filters and sorting as they travel in the URL.
 * Typed amounts are converted by `@/lib/input-format.ts`. No React, no
 * I/O, so it is unit-tested.
 */
import { kgText, yuanText } from '@/lib/amount-text.ts';
import { MAX_FEN_PER_KG, MAX_ORDER_FEN, MAX_QTY_G, notionalFen } from '@/server/domains/market/market.core.ts';
import { isCalendarDay } from '@/server/domains/market/ohlc.core.ts';
import { MAX_PAYMENT_FEN } from '@/server/integrations/payments/payments.port.ts';
import { oneParam, pickParam } from '@/lib/search-params.ts';

/** One price level as the book answers it: `[fenPerKg, grams]`. */
export type Level = readonly [fenPerKg: number, qtyG: number];

export interface DepthPoint {
  fenPerKg: number;
  /** Grams available at this price or better. */
  cumG: number;
}

/**
 * Cumulative depth for the chart, each side in ascending price: bids add up from the best (highest)
 * price downwards, asks from the best (lowest) upwards.
 */
export function cumulativeDepth(bids: readonly Level[], asks: readonly Level[]): { bids: DepthPoint[]; asks: DepthPoint[] } {
  const accumulate = (levels: readonly Level[]) => {
    let cum = 0;
    return levels.map(([fenPerKg, qtyG]) => {
      cum += qtyG;
      return { fenPerKg, cumG: cum };
    });
  };
  const bestBidFirst = [...bids].sort((a, b) => b[0] - a[0]);
  const bestAskFirst = [...asks].sort((a, b) => a[0] - b[0]);
  return { bids: accumulate(bestBidFirst).reverse(), asks: accumulate(bestAskFirst) };
}

/**
 * The depth curves as `[fenPerKg, grams]` points for a step chart over one price range (the book's
 * prices with a margin each side): bids hold their total from the range's low end and drop to 0 at the
 * best bid, asks rise from 0 at the best ask and hold their total to the range's high end, so every
 * level — a lone one too — shows as a step.
 */
export function depthCurves(depth: { bids: readonly DepthPoint[]; asks: readonly DepthPoint[] }): { bids: [number, number][]; asks: [number, number][] } {
  const prices = [...depth.bids, ...depth.asks].map((p) => p.fenPerKg);
  if (prices.length === 0) return { bids: [], asks: [] };
  const lowest = Math.min(...prices);
  const highest = Math.max(...prices);
  const margin = Math.max(1, Math.round((highest - lowest) * 0.05), Math.round(highest * 0.01));
  const low = Math.max(0, lowest - margin);
  const high = highest + margin;
  const bids: [number, number][] = depth.bids.map((p) => [p.fenPerKg, p.cumG]);
  const asks: [number, number][] = depth.asks.map((p) => [p.fenPerKg, p.cumG]);
  if (bids.length > 0) {
    bids.unshift([low, bids[0]![1]]);
    bids.push([bids[bids.length - 1]![0], 0]);
  }
  if (asks.length > 0) {
    asks.unshift([asks[0]![0], 0]);
    asks.push([high, asks[asks.length - 1]![1]]);
  }
  return { bids, asks };
}

/** The spread between the best ask and the best bid (fen/kg), null when a side is empty. */
export function spreadOf(bids: readonly Level[], asks: readonly Level[]): number | null {
  if (bids.length === 0 || asks.length === 0) return null;
  return Math.min(...asks.map((a) => a[0])) - Math.max(...bids.map((b) => b[0]));
}

/** Grams as a kilogram amount to put back into an input (`12.5`), no grouping, no unit. */
export function kgInputOf(grams: number): string {
  return String(grams / 1000);
}

/** A GTC expiry chosen as a date: the end of that day in China time, as ISO 8601 with its offset; null for a bad date. */
export function expiresAtOfDay(day: string): string | null {
  return isCalendarDay(day) ? `${day}T23:59:59+08:00` : null;
}

/** Origins typed as a list (commas, 、, semicolons or spaces between them), trimmed, without repeats. */
export function parseOrigins(text: string): string[] {
  return [...new Set(text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter((s) => s.length > 0))];
}

export const ORDER_STATES = ['open', 'partial', 'filled', 'cancelled', 'expired', 'ioc_rest'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/**
 * Where an order stands: resting untouched (`open`) or after fills (`partial`); no longer resting
 * because it was cancelled by its owner (`cancelled`), reached its expiry (`expired`), was an IOC whose
 * unmatched rest was cancelled at once (`ioc_rest`), or filled (`filled`, also after an amend-down).
 */
export function orderState(o: { qtyG: number; filledG: number; openG: number; tif?: string; endedBy?: 'cancel' | 'expiry' | null }): OrderState {
  if (o.openG > 0) return o.filledG > 0 ? 'partial' : 'open';
  if (o.endedBy === 'expiry') return 'expired';
  if (o.endedBy === 'cancel') return 'cancelled';
  if (o.filledG < o.qtyG && o.tif === 'IOC') return 'ioc_rest';
  return 'filled';
}

/** Market orders are `mor_…`, the ordinary orders a trade becomes are `ord_…`. */
const isOrdinaryOrderId = (v: unknown): v is string => typeof v === 'string' && v.startsWith('ord_');
const isMarketOrderId = (v: unknown): v is string => typeof v === 'string' && v.startsWith('mor_');

/** The ordinary order (payment, shipment) a trade became, whichever field carries it; null while there is none. */
export function ordinaryOrderIdOf(trade: { orderId?: string | null; tradeOrderId?: string | null; ordinaryOrderId?: string | null }): string | null {
  return [trade.ordinaryOrderId, trade.tradeOrderId, trade.orderId].find(isOrdinaryOrderId) ?? null;
}

/** The caller's market order a trade filled (`mor_…`), whichever field carries it. */
export function marketOrderIdOf(trade: { orderId?: string | null; marketOrderId?: string | null }): string | null {
  return [trade.marketOrderId, trade.orderId].find(isMarketOrderId) ?? null;
}

/** Which way the price moved against the previous close (China convention: up is red, down green). */
export function changeTone(changeFenPerKg: number | null): 'up' | 'down' | 'flat' | 'none' {
  if (changeFenPerKg === null) return 'none';
  return changeFenPerKg > 0 ? 'up' : changeFenPerKg < 0 ? 'down' : 'flat';
}

/** Basis points as a signed percentage with two decimals: `+2.50%`, `-1.00%`, `0.00%`. */
export function percentOfBp(bp: number): string {
  const sign = bp > 0 ? '+' : bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

/** The candlestick chart's series: ECharts wants `[open, close, low, high]` per day; yuan and kg for display only. */
export function candleSeries(days: readonly { day: string; openFenPerKg: number; closeFenPerKg: number; lowFenPerKg: number; highFenPerKg: number; volumeG: number }[]) {
  return {
    days: days.map((d) => d.day),
    candles: days.map((d) => [d.openFenPerKg / 100, d.closeFenPerKg / 100, d.lowFenPerKg / 100, d.highFenPerKg / 100] as [number, number, number, number]),
    volumesKg: days.map((d) => d.volumeG / 1000),
    rising: days.map((d) => d.closeFenPerKg >= d.openFenPerKg),
  };
}

// "My orders & trades": filters and sorting in the URL.

export const ORDER_SORTS = ['placed_desc', 'placed_asc', 'price_desc', 'price_asc', 'qty_desc'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];
export const TRADE_SORTS = ['time_desc', 'time_asc', 'amount_desc', 'amount_asc', 'price_desc', 'price_asc'] as const;
export type TradeSort = (typeof TRADE_SORTS)[number];

export interface MineQuery {
  instrument?: string;
  side?: 'buy' | 'sell';
  state?: OrderState;
  counterparty?: string;
  orderSort: OrderSort;
  tradeSort: TradeSort;
}


/** Parses the page's search params; unknown values are dropped rather than trusted. */
export function parseMineQuery(params: Record<string, string | string[] | undefined>): MineQuery {
  const instrument = oneParam(params.instrument).slice(0, 64);
  const counterparty = oneParam(params.counterparty).slice(0, 64);
  const side = pickParam(['buy', 'sell'] as const, oneParam(params.side));
  const state = pickParam(ORDER_STATES, oneParam(params.state));
  return {
    ...(instrument ? { instrument } : {}),
    ...(side ? { side } : {}),
    ...(state ? { state } : {}),
    ...(counterparty ? { counterparty } : {}),
    orderSort: pickParam(ORDER_SORTS, oneParam(params.orderSort)) ?? 'placed_desc',
    tradeSort: pickParam(TRADE_SORTS, oneParam(params.tradeSort)) ?? 'time_desc',
  };
}

export interface OrderRow {
  orderId: string;
  instrumentId: string;
  side: 'buy' | 'sell';
  qtyG: number;
  fenPerKg: number;
  filledG: number;
  openG: number;
  tif?: string;
  endedBy?: 'cancel' | 'expiry' | null;
  placedAt: Date | string;
}

export interface TradeRow {
  tradeId: string;
  instrumentId: string;
  side: 'buy' | 'sell';
  counterpartyOrgId: string;
  grams: number;
  fenPerKg: number;
  totalFen: number;
  at: Date | string;
}

const time = (v: Date | string) => new Date(v).getTime();

/** The organisation's orders that pass the filters, sorted (ties: newest first, then id, so the order is stable). */
export function selectOrders<T extends OrderRow>(rows: readonly T[], q: MineQuery): T[] {
  const kept = rows.filter((o) => (!q.instrument || o.instrumentId === q.instrument) && (!q.side || o.side === q.side) && (!q.state || orderState(o) === q.state));
  const key: Record<OrderSort, (a: T, b: T) => number> = {
    placed_desc: (a, b) => time(b.placedAt) - time(a.placedAt),
    placed_asc: (a, b) => time(a.placedAt) - time(b.placedAt),
    price_desc: (a, b) => b.fenPerKg - a.fenPerKg,
    price_asc: (a, b) => a.fenPerKg - b.fenPerKg,
    qty_desc: (a, b) => b.qtyG - a.qtyG,
  };
  return kept.sort((a, b) => key[q.orderSort](a, b) || time(b.placedAt) - time(a.placedAt) || a.orderId.localeCompare(b.orderId));
}

/** The organisation's trades that pass the filters (a state filter is about orders and leaves trades alone), sorted. */
export function selectTrades<T extends TradeRow>(rows: readonly T[], q: MineQuery): T[] {
  const kept = rows.filter((t) => (!q.instrument || t.instrumentId === q.instrument) && (!q.side || t.side === q.side) && (!q.counterparty || t.counterpartyOrgId === q.counterparty));
  const key: Record<TradeSort, (a: T, b: T) => number> = {
    time_desc: (a, b) => time(b.at) - time(a.at),
    time_asc: (a, b) => time(a.at) - time(b.at),
    amount_desc: (a, b) => b.totalFen - a.totalFen,
    amount_asc: (a, b) => a.totalFen - b.totalFen,
    price_desc: (a, b) => b.fenPerKg - a.fenPerKg,
    price_asc: (a, b) => a.fenPerKg - b.fenPerKg,
  };
  return kept.sort((a, b) => key[q.tradeSort](a, b) || time(b.at) - time(a.at) || a.tradeId.localeCompare(b.tradeId));
}

/** A problem the order form finds before sending: the message key under `market.form` and its parameters. */
export interface FormProblem {
  key: 'badQty' | 'qtyTooLarge' | 'badPrice' | 'priceTooLarge' | 'overFree' | 'pickLot' | 'badExpiry' | 'cardLimit' | 'orderTooLarge';
  params?: Record<string, string>;
}

/**
 * What the order form refuses before sending, by field (the server checks all of it again): amounts as
 * typed (`NaN` when unreadable), a sell above its lot's free grams, a card buy above what one
 * authorisation may hold, and a buy worth more than an order may be.
 */
export function orderFormProblems(o: {
  side: 'buy' | 'sell';
  qtyG: number;
  fenPerKg: number;
  funding: 'card' | 'net_terms';
  /** The chosen lot's free grams (sell); undefined when no lot is chosen. */
  lotFreeG: number | undefined;
  /** A GTC expiry day was typed but is not a date. */
  badExpiry: boolean;
}): Record<string, FormProblem> {
  const problems: Record<string, FormProblem> = {};
  const qtyOk = Number.isSafeInteger(o.qtyG) && o.qtyG > 0;
  const priceOk = Number.isSafeInteger(o.fenPerKg) && o.fenPerKg > 0;
  if (!qtyOk) problems.qtyG = { key: 'badQty' };
  else if (o.qtyG > MAX_QTY_G) problems.qtyG = { key: 'qtyTooLarge', params: { max: kgText(MAX_QTY_G) } };
  if (!priceOk) problems.fenPerKg = { key: 'badPrice' };
  else if (o.fenPerKg > MAX_FEN_PER_KG) problems.fenPerKg = { key: 'priceTooLarge', params: { max: yuanText(MAX_FEN_PER_KG) } };
  if (o.badExpiry) problems.expiresAt = { key: 'badExpiry' };
  if (o.side === 'sell') {
    if (o.lotFreeG === undefined) problems.lotId = { key: 'pickLot' };
    else if (qtyOk && !problems.qtyG && o.qtyG > o.lotFreeG) problems.qtyG = { key: 'overFree', params: { free: kgText(o.lotFreeG) } };
    return problems;
  }
  if (problems.qtyG || problems.fenPerKg) return problems;
  const amountFen = notionalFen(o.qtyG, o.fenPerKg);
  if (amountFen > MAX_ORDER_FEN) problems.qtyG = { key: 'orderTooLarge', params: { max: yuanText(MAX_ORDER_FEN) } };
  else if (o.funding === 'card' && amountFen > MAX_PAYMENT_FEN) problems.funding = { key: 'cardLimit', params: { max: yuanText(MAX_PAYMENT_FEN), amount: yuanText(amountFen) } };
  return problems;
}

/**
 * How a placed order of `qtyG` came out, for the message after placing: resting untouched (`resting`)
 * or after fills (`placed`), filled in full, or — an IOC — nothing or only part filled and the rest
 * cancelled (a warning).
 */
export function placedOutcome(
  qtyG: number,
  answer: { restingQtyG: number; trades: readonly { qtyG: number }[] },
): { tone: 'success' | 'warning'; key: 'resting' | 'placed' | 'filled' | 'iocNothing' | 'iocPartial'; filledG: number; cancelledG: number } {
  const filledG = answer.trades.reduce((sum, t) => sum + t.qtyG, 0);
  const cancelledG = Math.max(0, qtyG - filledG - answer.restingQtyG);
  if (answer.restingQtyG > 0) return { tone: 'success', key: filledG === 0 ? 'resting' : 'placed', filledG, cancelledG: 0 };
  if (filledG === 0) return { tone: 'warning', key: 'iocNothing', filledG, cancelledG };
  if (cancelledG > 0) return { tone: 'warning', key: 'iocPartial', filledG, cancelledG };
  return { tone: 'success', key: 'filled', filledG, cancelledG: 0 };
}

/** What an instrument's line for readers of other languages is made of: its herb and its spec codes. */
export interface InstrumentNaming {
  herbPinyin: string;
  herbLatin: string;
  form: string;
  cut: string;
  processing: string;
  grade: string;
}

/**
 * An instrument named for a reader of English, beside its Chinese name: the herb in pinyin as one word
 * (`huang qi` → Huangqi) with its Latin name, then the spec in the page's words — form, cut (none when
 * uncut), processing and grade, as the Chinese name lists them.
 */
export function instrumentOtherName(i: InstrumentNaming, words: (part: 'forms' | 'cuts' | 'processings' | 'grades', code: string) => string): string {
  const compact = i.herbPinyin.replace(/\s+/g, '');
  const herb = `${compact.charAt(0).toUpperCase()}${compact.slice(1)}${i.herbLatin ? ` (${i.herbLatin})` : ''}`;
  const spec = [words('forms', i.form), i.cut === 'none' ? '' : words('cuts', i.cut), words('processings', i.processing), words('grades', i.grade)];
  return [herb, ...spec].filter((part) => part.length > 0).join(' · ');
}
