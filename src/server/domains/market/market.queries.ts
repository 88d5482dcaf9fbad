import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { DbOrTx } from '../../db/client.ts';
import { herb, instrument, lot, marketTrade, organization, product } from '../../db/schema/index.ts';
import { lotFitsInstrument } from './market.core.ts';
import { checkDayRange, dailyCandles, quoteOf, shanghaiDay, shanghaiDayStart, type DailyCandle, type DayRange, type Quote } from './ohlc.core.ts';

/**
 * The spot market's read side: quotes, recent trades, daily candles, the lots that can back a sell and
 * the organisations a member traded with. Market data (prices, grams, times) is open to every signed-in
 * member; who traded is told only to the parties of a trade (DOMAIN.md "Market": disclosed parties,
 * never anonymous between them, never published to others).
 */

export interface InstrumentRow {
  id: string;
  name: string;
  herbId: string;
  form: string;
  cut: string;
  processing: string;
  grade: string;
  status: string;
  /** The herb's pinyin (`huang qi`) and pharmacopoeia Latin name, for readers of other languages. */
  herbPinyin: string;
  herbLatin: string;
}

/** An instrument's columns as the market reads them, with its herb's pinyin and Latin name (`instrument` joined to `herb`). */
const instrumentColumns = {
  id: instrument.id,
  name: instrument.name,
  herbId: instrument.herbId,
  form: instrument.form,
  cut: instrument.cut,
  processing: instrument.processing,
  grade: instrument.grade,
  status: instrument.status,
  herbPinyin: herb.pinyin,
  herbLatin: herb.latin,
};

/** The instrument, or NOT_FOUND naming `instrumentId`. */
export async function requireInstrument(db: DbOrTx, instrumentId: string): Promise<InstrumentRow> {
  const [row] = await db.select(instrumentColumns).from(instrument).innerJoin(herb, eq(herb.id, instrument.herbId)).where(eq(instrument.id, instrumentId));
  if (!row) throw new AppError('NOT_FOUND', msg('market.instrumentNotFound'), { field: 'instrumentId' });
  return row;
}

export type InstrumentQuote = InstrumentRow & Quote;

/** Last trade of each instrument (of `ids` when given), optionally only before `before`: log order decides. */
async function lastTrades(db: DbOrTx, ids: readonly string[] | null, before?: Date) {
  const conditions = [...(ids ? [inArray(marketTrade.instrumentId, [...ids])] : []), ...(before ? [lt(marketTrade.at, before)] : [])];
  return db
    .selectDistinctOn([marketTrade.instrumentId], { instrumentId: marketTrade.instrumentId, fenPerKg: marketTrade.fenPerKg, at: marketTrade.at })
    .from(marketTrade)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(marketTrade.instrumentId, desc(marketTrade.seq), desc(marketTrade.ordinal));
}

async function withQuotes(db: DbOrTx, rows: InstrumentRow[], now: Date, ids: readonly string[] | null): Promise<InstrumentQuote[]> {
  if (rows.length === 0) return [];
  const todayStart = shanghaiDayStart(shanghaiDay(now));
  const [last, prev] = await Promise.all([lastTrades(db, ids), lastTrades(db, ids, todayStart)]);
  const lastBy = new Map(last.map((t) => [t.instrumentId, t]));
  const prevBy = new Map(prev.map((t) => [t.instrumentId, t.fenPerKg]));
  return rows.map((r) => ({ ...r, ...quoteOf(lastBy.get(r.id) ?? null, prevBy.get(r.id) ?? null) }));
}

/** Every instrument by name, with its last price and the change against the previous day's close (China time). */
export async function instrumentQuotes(db: DbOrTx, now: Date = new Date()): Promise<InstrumentQuote[]> {
  const rows = await db.select(instrumentColumns).from(instrument).innerJoin(herb, eq(herb.id, instrument.herbId)).orderBy(asc(instrument.name), asc(instrument.id));
  return withQuotes(db, rows, now, null);
}

/** One instrument with its quote, or NOT_FOUND naming `instrumentId`. */
export async function instrumentQuote(db: DbOrTx, instrumentId: string, now: Date = new Date()): Promise<InstrumentQuote> {
  const row = await requireInstrument(db, instrumentId);
  const [quoted] = await withQuotes(db, [row], now, [row.id]);
  return quoted!;
}

export interface RecentTrade {
  tradeId: string;
  fenPerKg: number;
  grams: number;
  at: Date;
  /** The caller's side when its organisation was a party, else null. */
  mySide: 'buy' | 'sell' | null;
  /** The other party's name, told only to a party. */
  counterpartyName: string | null;
}

/**
 * The newest trades of an instrument (log order, newest first): price, grams and time for everyone;
 * the side and the counterparty only for a trade the caller's organisation was a party to.
 */
export async function recentTrades(db: DbOrTx, instrumentId: string, viewerOrgId: string | null, limit = 50): Promise<RecentTrade[]> {
  await requireInstrument(db, instrumentId);
  const rows = await db
    .select({ id: marketTrade.id, fenPerKg: marketTrade.fenPerKg, grams: marketTrade.grams, at: marketTrade.at, buyerOrgId: marketTrade.buyerOrgId, sellerOrgId: marketTrade.sellerOrgId })
    .from(marketTrade)
    .where(eq(marketTrade.instrumentId, instrumentId))
    .orderBy(desc(marketTrade.seq), desc(marketTrade.ordinal))
    .limit(limit);
  const sideOf = (r: (typeof rows)[number]) => (viewerOrgId === null ? null : r.buyerOrgId === viewerOrgId ? ('buy' as const) : r.sellerOrgId === viewerOrgId ? ('sell' as const) : null);
  const counterpartyIds = new Set<string>();
  for (const r of rows) {
    const side = sideOf(r);
    if (side) counterpartyIds.add(side === 'buy' ? r.sellerOrgId : r.buyerOrgId);
  }
  const names = await orgNames(db, [...counterpartyIds]);
  return rows.map((r) => {
    const mySide = sideOf(r);
    const counterparty = mySide === 'buy' ? r.sellerOrgId : mySide === 'sell' ? r.buyerOrgId : null;
    return { tradeId: r.id, fenPerKg: r.fenPerKg, grams: r.grams, at: r.at, mySide, counterpartyName: counterparty ? (names.get(counterparty) ?? null) : null };
  });
}

async function orgNames(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: organization.id, name: organization.name }).from(organization).where(inArray(organization.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface InstrumentOhlc {
  instrument: { id: string; name: string };
  from: string;
  to: string;
  timeZone: 'Asia/Shanghai';
  days: DailyCandle[];
}

/** Daily candles and volume of an instrument over a checked China-time date range (days without trades left out). */
export async function dailyOhlc(db: DbOrTx, instrumentId: string, range: DayRange): Promise<InstrumentOhlc> {
  const ins = await requireInstrument(db, instrumentId);
  const trades = await db
    .select({ seq: marketTrade.seq, ordinal: marketTrade.ordinal, at: marketTrade.at, fenPerKg: marketTrade.fenPerKg, grams: marketTrade.grams })
    .from(marketTrade)
    .where(and(eq(marketTrade.instrumentId, instrumentId), gte(marketTrade.at, range.start), lt(marketTrade.at, range.end)));
  return { instrument: { id: ins.id, name: ins.name }, from: range.from, to: range.to, timeZone: 'Asia/Shanghai', days: dailyCandles(trades) };
}

/**
 * Daily candles over a requested China-time range (`YYYY-MM-DD`, both ends included; defaults: the
 * last 90 days). A bad range is refused naming `from` or `to`.
 */
export async function instrumentOhlc(db: DbOrTx, input: { instrumentId: string; from?: string; to?: string }, now: Date = new Date()): Promise<InstrumentOhlc> {
  const checked = checkDayRange(input.from, input.to, now);
  if (!checked.ok) throw new AppError('VALIDATION', msg(checked.problem.key, checked.problem.params ?? {}), { field: checked.problem.field });
  return dailyOhlc(db, input.instrumentId, checked.range);
}

export interface SellableLot {
  lotId: string;
  batchNo: string;
  productName: string;
  origin: string;
  daoDi: boolean;
  grade: string;
  /** Grams not reserved (what a sell may take). */
  freeG: number;
  expiryDate: string;
}

/**
 * The caller's lots that can back a sell on the instrument: the same herb, form, cut and processing
 * and a grade the market accepts for it (the rule sells are checked by), free grams left and not
 * expired (China-time date). Soonest expiry first.
 */
export async function sellableLots(db: DbOrTx, orgId: string, instrumentId: string, now: Date = new Date()): Promise<SellableLot[]> {
  const ins = await requireInstrument(db, instrumentId);
  const rows = await db
    .select({
      lotId: lot.id,
      batchNo: lot.batchNo,
      quantityG: lot.quantityG,
      reservedG: lot.reservedG,
      expiryDate: lot.expiryDate,
      productName: product.name,
      origin: product.origin,
      daoDi: product.daoDi,
      herbId: product.herbId,
      form: product.form,
      cut: product.cut,
      processing: product.processing,
      grade: product.grade,
    })
    .from(lot)
    .innerJoin(product, eq(product.id, lot.productId))
    .where(
      and(
        eq(lot.sellerOrgId, orgId),
        eq(product.herbId, ins.herbId),
        eq(product.form, ins.form),
        eq(product.cut, ins.cut),
        eq(product.processing, ins.processing),
        sql`${lot.quantityG} - ${lot.reservedG} > 0`,
        gte(lot.expiryDate, shanghaiDay(now)),
      ),
    )
    .orderBy(asc(lot.expiryDate), asc(lot.batchNo), asc(lot.id));
  return rows
    .filter((r) => lotFitsInstrument(ins, r))
    .map((r) => ({ lotId: r.lotId, batchNo: r.batchNo, productName: r.productName, origin: r.origin, daoDi: r.daoDi, grade: r.grade, freeG: r.quantityG - r.reservedG, expiryDate: r.expiryDate }));
}

/** The organisations the caller traded with on the market (trading is disclosed between the parties), by name. */
export async function tradeCounterparties(db: DbOrTx, orgId: string): Promise<{ orgId: string; name: string }[]> {
  const counterparty = sql<string>`case when ${marketTrade.buyerOrgId} = ${orgId} then ${marketTrade.sellerOrgId} else ${marketTrade.buyerOrgId} end`;
  const ids = await db
    .selectDistinct({ id: counterparty })
    .from(marketTrade)
    .where(or(eq(marketTrade.buyerOrgId, orgId), eq(marketTrade.sellerOrgId, orgId)));
  const names = await orgNames(db, ids.map((r) => r.id));
  return [...names.entries()].map(([id, name]) => ({ orgId: id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.orgId.localeCompare(b.orgId));
}
