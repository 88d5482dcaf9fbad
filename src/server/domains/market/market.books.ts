import { and, asc, eq, gt, max, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { marketCommand } from '../../db/schema/index.ts';
import { MarketBook } from './market.core.ts';
import type { MatchCommand } from './order-book.core.ts';

/**
 * The books a process keeps in memory, and the one-writer-per-instrument lock. A book is the replay of
 * its instrument's order log: under the lock, `takeCurrentBook` compares the cached book's last sequence
 * with the log and replays the missing commands (all of them after a restart). A book being changed is
 * out of the cache and goes back (`putBack`) only after its transaction commits, so a rolled back
 * command never survives in memory.
 */

/** First key of the two-key advisory lock: the market's namespace; the second is a hash of the instrument id. */
export const LOCK_NAMESPACE = 7251006;
/** Commands read per query when replaying the log. */
const REPLAY_PAGE = 5000;

const books = new Map<string, MarketBook>();

/** The lot backing `orderId` in the cached book of the instrument, if any (the cache may be behind the log). */
export function cachedLotOf(instrumentId: string, orderId: string): string | undefined {
  return books.get(instrumentId)?.lotOf(orderId);
}

/** Forgets every cached book, as a restarted process would. */
export function clearBookCache(): void {
  books.clear();
}

/** Returns a book to the cache after its transaction committed (a newer one already there wins). */
export function putBack(book: MarketBook): void {
  const current = books.get(book.instrumentId);
  if (current === undefined || current.seq < book.seq) books.set(book.instrumentId, book);
}

/** The instrument's writer lock, held until the transaction ends. */
export async function lockInstrument(tx: DbOrTx, instrumentId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(LOCK_NAMESPACE))}, hashtext(${instrumentId}))`);
}

async function lastLoggedSeq(tx: DbOrTx, instrumentId: string): Promise<number> {
  const [row] = await tx.select({ last: max(marketCommand.seq) }).from(marketCommand).where(eq(marketCommand.instrumentId, instrumentId));
  return row?.last ?? 0;
}

/** Applies the logged commands after `book.seq`, in sequence order. */
async function catchUp(tx: DbOrTx, book: MarketBook): Promise<void> {
  for (;;) {
    const rows = await tx
      .select({ seq: marketCommand.seq, orgId: marketCommand.orgId, command: marketCommand.command, lotId: marketCommand.lotId })
      .from(marketCommand)
      .where(and(eq(marketCommand.instrumentId, book.instrumentId), gt(marketCommand.seq, book.seq)))
      .orderBy(asc(marketCommand.seq))
      .limit(REPLAY_PAGE);
    for (const row of rows) book.apply({ seq: row.seq, orgId: row.orgId, command: row.command as MatchCommand, lotId: row.lotId });
    if (rows.length < REPLAY_PAGE) return;
  }
}

/** Replays the whole order log of an instrument through the matching core (no cache involved). */
export async function rebuildBook(db: DbOrTx, instrumentId: string): Promise<MarketBook> {
  const book = new MarketBook(instrumentId);
  await catchUp(db, book);
  return book;
}

/** The cached book brought up to the log (call with the instrument lock held); removed from the cache. */
export async function takeCurrentBook(tx: DbOrTx, instrumentId: string): Promise<MarketBook> {
  return takeBookAt(tx, instrumentId, await lastLoggedSeq(tx, instrumentId));
}

/** As `takeCurrentBook`, given the log's last sequence (read under the lock by the caller). */
export async function takeBookAt(tx: DbOrTx, instrumentId: string, last: number): Promise<MarketBook> {
  let book = books.get(instrumentId);
  books.delete(instrumentId);
  if (book === undefined || book.seq > last) book = new MarketBook(instrumentId);
  if (book.seq < last) await catchUp(tx, book);
  return book;
}
