import { and, asc, desc, eq, inArray, or, sum } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { herb, instrument, marketCommand, marketTrade, orgProfile } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { announce } from '../../integrations/live/live.jobs.ts';
import { liveTopics } from '../../integrations/live/live.port.ts';
import { lineTotalFen } from '../catalog/listings.core.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from '../catalog/products.core.ts';
import { isUniqueViolation } from '../catalog/products.service.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import { lockInstrument, putBack, takeCurrentBook } from './market.books.ts';
import { EXPIRY_CANCEL_PREFIX, instrumentName, type InstrumentSpec } from './market.core.ts';
import type { BookSnapshot, MatchCommand } from './order-book.core.ts';

/**
 * The spot market: instruments (operators open, halt and resume them) and what members read — books,
 * their own orders and trades. Commands go through the batched writer (`market.writer.ts`); the books
 * are replays of the order log (`market.books.ts`).
 */
export { clearBookCache, rebuildBook } from './market.books.ts';
export { replayedAnswer, submitCommand, type CardAuthorisation, type SubmitOptions } from './market.writer.ts';

async function requireOperator(db: DbOrTx, actor: Actor): Promise<{ userId: string | null; orgId: string }> {
  if (!actor.orgId) throw new AppError('FORBIDDEN', msg('org.required'));
  const [profile] = await db.select({ kind: orgProfile.kind }).from(orgProfile).where(eq(orgProfile.orgId, actor.orgId));
  if (profile?.kind !== 'operator') throw new AppError('FORBIDDEN', msg('market.operatorOnly'));
  return { userId: actor.userId, orgId: actor.orgId };
}

export interface CreateInstrumentInput extends InstrumentSpec {
  herbId: string;
}

/** An operator opens an instrument for a catalogue spec and grade. */
export async function createInstrument(db: Db, actor: Actor, input: CreateInstrumentInput) {
  const operator = await requireOperator(db, actor);
  const enums = [
    ['form', PRODUCT_FORMS],
    ['cut', PRODUCT_CUTS],
    ['processing', PRODUCT_PROCESSINGS],
    ['grade', PRODUCT_GRADES],
  ] as const;
  for (const [field, allowed] of enums) {
    if (!(allowed as readonly string[]).includes(input[field])) {
      throw new AppError('VALIDATION', msg('import.badValue', { value: String(input[field]), allowed: allowed.join(', ') }), { field });
    }
  }
  const [h] = await db.select({ name: herb.name }).from(herb).where(eq(herb.id, input.herbId));
  if (!h) throw new AppError('NOT_FOUND', msg('herb.notFound'), { field: 'herbId' });
  const row = {
    id: newId('ins'),
    herbId: input.herbId,
    form: input.form,
    cut: input.cut,
    processing: input.processing,
    grade: input.grade,
    name: instrumentName(h.name, input),
    status: 'active',
    createdByUserId: operator.userId,
    createdByOrgId: operator.orgId,
  };
  try {
    await db.transaction(async (tx) => {
      await tx.insert(instrument).values(row);
      await appendAudit(tx, { actorUserId: operator.userId, actorOrgId: operator.orgId, orgId: operator.orgId, action: 'market.instrument_created', entityType: 'instrument', entityId: row.id, data: { name: row.name, herbId: row.herbId, form: row.form, cut: row.cut, processing: row.processing, grade: row.grade } });
    });
  } catch (error) {
    if (isUniqueViolation(error, 'instrument_spec_grade_uq')) throw new AppError('CONFLICT', msg('market.instrumentExists'), { field: 'grade' });
    throw error;
  }
  return row;
}

/** An operator halts or resumes trading; serialised with commands by the instrument lock. */
export async function setInstrumentStatus(db: Db, actor: Actor, instrumentId: string, status: 'active' | 'halted'): Promise<void> {
  const operator = await requireOperator(db, actor);
  await db.transaction(async (tx) => {
    await lockInstrument(tx, instrumentId);
    const updated = await tx.update(instrument).set({ status }).where(eq(instrument.id, instrumentId)).returning({ id: instrument.id });
    if (updated.length === 0) throw new AppError('NOT_FOUND', msg('market.instrumentNotFound'), { field: 'instrumentId' });
    await appendAudit(tx, { actorUserId: operator.userId, actorOrgId: operator.orgId, orgId: operator.orgId, action: status === 'halted' ? 'market.instrument_halted' : 'market.instrument_resumed', entityType: 'instrument', entityId: instrumentId, data: { status } });
    await announce(tx, liveTopics.marketInstrument(instrumentId), 'market.status');
  });
}

/** Depth and last sequence of an instrument's book, from the cache brought up to the log. */
export async function bookSnapshot(db: Db, instrumentId: string): Promise<BookSnapshot & { seq: number }> {
  return db.transaction(async (tx) => {
    const [ins] = await tx.select({ id: instrument.id }).from(instrument).where(eq(instrument.id, instrumentId));
    if (!ins) throw new AppError('NOT_FOUND', msg('market.instrumentNotFound'), { field: 'instrumentId' });
    await lockInstrument(tx, instrumentId);
    const book = await takeCurrentBook(tx, instrumentId);
    putBack(book);
    return { ...book.snapshot(), seq: book.seq };
  });
}

/** Instruments with their last trade price (null before the first trade), by name. */
export async function listInstruments(db: DbOrTx) {
  const rows = await db.select().from(instrument).orderBy(asc(instrument.name));
  const last = await db
    .selectDistinctOn([marketTrade.instrumentId], { instrumentId: marketTrade.instrumentId, fenPerKg: marketTrade.fenPerKg, at: marketTrade.at })
    .from(marketTrade)
    .orderBy(marketTrade.instrumentId, desc(marketTrade.seq), desc(marketTrade.ordinal));
  const byId = new Map(last.map((t) => [t.instrumentId, t]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    herbId: r.herbId,
    form: r.form,
    cut: r.cut,
    processing: r.processing,
    grade: r.grade,
    status: r.status,
    lastFenPerKg: byId.get(r.id)?.fenPerKg ?? null,
    lastTradeAt: byId.get(r.id)?.at ?? null,
  }));
}

/** The organisation's orders (newest first, at most `limit`), with filled and open grams from the current books. */
export async function myOrders(db: Db, orgId: string, limit = 200) {
  const placed = await db
    .select({ id: marketCommand.orderId, instrumentId: marketCommand.instrumentId, command: marketCommand.command, lotId: marketCommand.lotId, placedAt: marketCommand.acceptedAt })
    .from(marketCommand)
    .where(and(eq(marketCommand.orgId, orgId), eq(marketCommand.kind, 'place')))
    .orderBy(desc(marketCommand.acceptedAt), desc(marketCommand.seq))
    .limit(limit);
  if (placed.length === 0) return [];
  const ids = placed.map((p) => p.id);
  const filledRows = await db
    .select({ orderId: marketTrade.buyOrderId, g: sum(marketTrade.grams) })
    .from(marketTrade)
    .where(inArray(marketTrade.buyOrderId, ids))
    .groupBy(marketTrade.buyOrderId)
    .unionAll(db.select({ orderId: marketTrade.sellOrderId, g: sum(marketTrade.grams) }).from(marketTrade).where(inArray(marketTrade.sellOrderId, ids)).groupBy(marketTrade.sellOrderId));
  const filled = new Map(filledRows.map((r) => [r.orderId, Number(r.g ?? 0)]));
  // How an order that stopped resting was ended: by its owner's cancel, or at its expiry (`expiryCancelKey`).
  const cancels = await db
    .select({ orderId: marketCommand.orderId, key: marketCommand.idempotencyKey })
    .from(marketCommand)
    .where(and(inArray(marketCommand.instrumentId, [...new Set(placed.map((p) => p.instrumentId))]), inArray(marketCommand.orderId, ids), eq(marketCommand.kind, 'cancel')));
  const endedBy = new Map(cancels.map((c) => [c.orderId, c.key.startsWith(EXPIRY_CANCEL_PREFIX) ? ('expiry' as const) : ('cancel' as const)]));
  const open = new Map<string, number>();
  for (const instrumentId of new Set(placed.map((p) => p.instrumentId))) {
    await db.transaction(async (tx) => {
      await lockInstrument(tx, instrumentId);
      const book = await takeCurrentBook(tx, instrumentId);
      putBack(book);
      for (const p of placed) if (p.instrumentId === instrumentId) open.set(p.id, book.openQty(p.id));
    });
  }
  return placed.map((p) => {
    const c = p.command as MatchCommand & { type: 'limit' };
    return {
      orderId: p.id,
      instrumentId: p.instrumentId,
      side: c.side,
      tif: c.tif,
      qtyG: c.qtyG,
      fenPerKg: c.fenPerKg,
      lotId: p.lotId,
      filledG: filled.get(p.id) ?? 0,
      openG: open.get(p.id) ?? 0,
      /** Set when a cancel ended the order: its owner's (`cancel`) or its expiry's (`expiry`). */
      endedBy: endedBy.get(p.id) ?? null,
      placedAt: p.placedAt,
    };
  });
}

/** Trades the organisation was a party to (newest first), with its side and the counterparty disclosed. */
export async function myTrades(db: DbOrTx, orgId: string, limit = 200) {
  const rows = await db
    .select()
    .from(marketTrade)
    .where(or(eq(marketTrade.buyerOrgId, orgId), eq(marketTrade.sellerOrgId, orgId)))
    .orderBy(desc(marketTrade.at), desc(marketTrade.seq), desc(marketTrade.ordinal))
    .limit(limit);
  return rows.map((t) => {
    const side = t.buyerOrgId === orgId ? ('buy' as const) : ('sell' as const);
    return {
      tradeId: t.id,
      instrumentId: t.instrumentId,
      side,
      orderId: side === 'buy' ? t.buyOrderId : t.sellOrderId,
      /** The ordinary order (`ord_…`) that carries the trade out; null for trades of sells logged without a lot. */
      tradeOrderId: t.orderId,
      counterpartyOrgId: side === 'buy' ? t.sellerOrgId : t.buyerOrgId,
      grams: t.grams,
      fenPerKg: t.fenPerKg,
      totalFen: lineTotalFen(t.fenPerKg, t.grams),
      at: t.at,
    };
  });
}

/** The best `depth` price levels of each side of an instrument's book. */
export async function bookDepth(db: Db, instrumentId: string, depth: number) {
  const snapshot = await bookSnapshot(db, instrumentId);
  return { instrumentId, seq: snapshot.seq, bids: snapshot.bids.slice(0, depth), asks: snapshot.asks.slice(0, depth) };
}
