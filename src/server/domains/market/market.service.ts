import { and, asc, desc, eq, gt, inArray, max, or, sum } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { creditLine, herb, instrument, licence, lot, marketCommand, marketFunding, marketTrade, organization, orgProfile, product } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { announce } from '../../integrations/live/live.jobs.ts';
import { liveTopics } from '../../integrations/live/live.port.ts';
import { enqueueIndexing } from '../../integrations/search/search.jobs.ts';
import { lineTotalFen } from '../catalog/listings.core.ts';
import { chinaToday } from '../orgs/licences.core.ts';
import { creditCheck } from '../orders/orders.core.ts';
import * as creditRepo from '../orders/credit.repo.ts';
import { createContractOrder } from '../orders/orders.service.ts';
import { insertReservationOnce, lotListingIds, lotStock, setLotListingsStatus, tryReleaseGrams, tryReserveGrams } from '../catalog/lots.repo.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from '../catalog/products.core.ts';
import { isUniqueViolation } from '../catalog/products.service.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import {
  checkCommand,
  checkIdempotencyKey,
  instrumentName,
  loggedFingerprint,
  lotFitsInstrument,
  MarketBook,
  notionalFen,
  sellAttributes,
  stockMoves,
  requestFingerprint,
  type CommandAnswer,
  type CommandProblem,
  type Fill,
  type InstrumentSpec,
  type LotSpec,
  type PlaceContext,
} from './market.core.ts';
import { expireOrderJob, releaseFundingJob } from './market.jobs.ts';
import type { BookSnapshot, MatchCommand, SellAttributes } from './order-book.core.ts';

/**
 * The spot market's write path. One writer per instrument: every command runs in a transaction that
 * first takes a transaction-scoped advisory lock on the instrument, so sequence numbers are gapless
 * and commands apply in log order across processes. The command is appended to `market_command` (and
 * its trades to `market_trade`) inside that transaction and answered only after it commits.
 *
 * Each process keeps the book of each instrument it has served. Before using it under the lock the
 * service compares its last sequence with the log's and replays the missing commands (all of them on
 * first use); a book being changed is taken out of the cache and put back only after a commit, so a
 * rolled back command never survives in memory.
 */

/** First key of the two-key advisory lock: the market's namespace; the second is a hash of the instrument id. */
const LOCK_NAMESPACE = 7251006;
/** Commands read per query when replaying the log. */
const REPLAY_PAGE = 5000;

const books = new Map<string, MarketBook>();

/** Forgets every cached book, as a restarted process would. */
export function clearBookCache(): void {
  books.clear();
}

function putBack(book: MarketBook): void {
  const current = books.get(book.instrumentId);
  if (current === undefined || current.seq < book.seq) books.set(book.instrumentId, book);
}

async function lockInstrument(tx: DbOrTx, instrumentId: string): Promise<void> {
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
      .select({ seq: marketCommand.seq, orgId: marketCommand.orgId, command: marketCommand.command })
      .from(marketCommand)
      .where(and(eq(marketCommand.instrumentId, book.instrumentId), gt(marketCommand.seq, book.seq)))
      .orderBy(asc(marketCommand.seq))
      .limit(REPLAY_PAGE);
    for (const row of rows) book.apply({ seq: row.seq, orgId: row.orgId, command: row.command as MatchCommand });
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
async function takeCurrentBook(tx: DbOrTx, instrumentId: string): Promise<MarketBook> {
  const last = await lastLoggedSeq(tx, instrumentId);
  let book = books.get(instrumentId);
  books.delete(instrumentId);
  if (book === undefined || book.seq > last) book = new MarketBook(instrumentId);
  if (book.seq < last) await catchUp(tx, book);
  return book;
}

function problemError(problem: CommandProblem): AppError {
  return new AppError(problem.code, msg(problem.key, problem.params ?? {}), { field: problem.field });
}

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

/** The stored answer for an org's idempotency key, or a conflict when it was used for another request. */
export async function replayedAnswer(db: DbOrTx, orgId: string, key: string, instrumentId: string, input: unknown): Promise<CommandAnswer | undefined> {
  const [row] = await db
    .select({ instrumentId: marketCommand.instrumentId, command: marketCommand.command, lotId: marketCommand.lotId, answer: marketCommand.answer })
    .from(marketCommand)
    .where(and(eq(marketCommand.orgId, orgId), eq(marketCommand.idempotencyKey, key)));
  if (!row) return undefined;
  if (loggedFingerprint(row.instrumentId, row.command as MatchCommand, row.lotId) !== requestFingerprint(instrumentId, input)) {
    throw new AppError('CONFLICT', msg('market.idempotencyMismatch'), { field: 'idempotencyKey' });
  }
  return row.answer as CommandAnswer;
}

/** The lot backing a logged sell order, null for a buy order. */
async function lotOfOrder(tx: DbOrTx, instrumentId: string, orderId: string): Promise<string | null> {
  const [row] = await tx
    .select({ lotId: marketCommand.lotId })
    .from(marketCommand)
    .where(and(eq(marketCommand.instrumentId, instrumentId), eq(marketCommand.orderId, orderId), eq(marketCommand.kind, 'place')));
  return row?.lotId ?? null;
}

/** The search documents of a lot's listings show its free stock: re-index them after a move. */
async function reindexLot(tx: DbOrTx, lotId: string): Promise<void> {
  const listings = await lotListingIds(tx, lotId);
  if (listings.length > 0) await enqueueIndexing(tx, 'listing', listings);
}

/** The lot's facts a sell order carries (origin, grade, certificates, seller) and when it expires (end of its expiry day, China time). */
interface SellLot {
  attributes: SellAttributes;
  expiresAt: Date;
}

/**
 * The lot backing a sell of `orgId` on the instrument: the organisation's own, of the instrument's
 * herb and spec with a grade at least the instrument's, not expired. Its certificates: `gap` when the
 * seller holds an unexpired GAP base certificate, `quality_report` when the lot's 含量 or 水分 was measured.
 */
async function sellLotFacts(tx: DbOrTx, orgId: string, spec: LotSpec, lotId: string, now: Date): Promise<SellLot> {
  const [row] = await tx
    .select({
      sellerOrgId: lot.sellerOrgId,
      batchNo: lot.batchNo,
      expiryDate: lot.expiryDate,
      herbId: product.herbId,
      form: product.form,
      cut: product.cut,
      processing: product.processing,
      grade: product.grade,
      origin: product.origin,
      hasQualityReport: sql<boolean>`(${lot.contentPct} is not null or ${lot.moisturePct} is not null)`.mapWith(Boolean),
      hasGap: sql<boolean>`exists (select 1 from ${licence} where ${licence.orgId} = ${lot.sellerOrgId} and ${licence.type} = 'gap_base' and ${licence.expiresOn} >= ${chinaToday(now)})`.mapWith(Boolean),
    })
    .from(lot)
    .innerJoin(product, eq(product.id, lot.productId))
    .where(eq(lot.id, lotId));
  if (!row || row.sellerOrgId !== orgId) throw new AppError('NOT_FOUND', msg('market.lotNotFound'), { field: 'lotId' });
  if (!lotFitsInstrument(spec, row)) throw new AppError('VALIDATION', msg('market.lotSpecMismatch'), { field: 'lotId' });
  if (row.expiryDate < chinaToday(now)) throw new AppError('VALIDATION', msg('market.lotExpired', { batchNo: row.batchNo, expiryDate: row.expiryDate }), { field: 'lotId' });
  const certificates = [...(row.hasGap ? ['gap'] : []), ...(row.hasQualityReport ? ['quality_report'] : [])];
  // The lot may be sold through its expiry day (China time, UTC+8, no daylight saving).
  const expiresAt = new Date(`${row.expiryDate}T23:59:59.999+08:00`);
  return { attributes: sellAttributes({ origin: row.origin, grade: row.grade, certificates, sellerOrgId: row.sellerOrgId }), expiresAt };
}

/**
 * Sellers that granted `buyerOrgId` net terms with room for `amountFen` and no overdue invoice: a buy
 * on net terms matches only their sells (the list is part of the logged command).
 */
async function netTermsSellers(tx: DbOrTx, buyerOrgId: string, amountFen: number): Promise<string[]> {
  const lines = await tx.select({ sellerOrgId: creditLine.sellerOrgId, limitFen: creditLine.limitFen }).from(creditLine).where(eq(creditLine.buyerOrgId, buyerOrgId));
  const sellers: string[] = [];
  for (const line of lines) {
    const [outstandingFen, overdueInvoices] = await Promise.all([creditRepo.outstandingFen(tx, line.sellerOrgId, buyerOrgId), creditRepo.overdueCount(tx, line.sellerOrgId, buyerOrgId)]);
    if (creditCheck({ limitFen: line.limitFen, outstandingFen, overdueInvoices, totalFen: amountFen }).ok) sellers.push(line.sellerOrgId);
  }
  return sellers;
}

/** Reserves `grams` of the (checked) lot for a sell order: one conditional UPDATE, so parallel sells never over-reserve. */
async function holdLotGrams(tx: DbOrTx, lotId: string, grams: number): Promise<void> {
  const after = await tryReserveGrams(tx, lotId, grams);
  if (!after) {
    const stock = await lotStock(tx, lotId);
    const available = stock ? stock.quantityG - stock.reservedG : 0;
    throw new AppError('CONFLICT', msg('market.lotInsufficient', { available, grams }), { field: 'qtyG' });
  }
  if (after.quantityG - after.reservedG === 0) await setLotListingsStatus(tx, lotId, 'active', 'sold_out');
  await reindexLot(tx, lotId);
}

/** Gives `grams` a sell order held back to its lot (cancel, amend-down, an IOC sell's unfilled rest). */
async function releaseLotGrams(tx: DbOrTx, lotId: string, grams: number): Promise<void> {
  const after = await tryReleaseGrams(tx, lotId, grams);
  if (!after) throw new Error(`lot ${lotId}: fewer than ${grams} g reserved to release`);
  await setLotListingsStatus(tx, lotId, 'sold_out', 'active');
  await reindexLot(tx, lotId);
}

/**
 * A fill takes grams the sell order held on its lot for the buyer: they stay reserved on the lot and
 * become a held reservation of the buyer at the trade price, keyed by the trade (written once). The
 * trade then becomes an ordinary order between the two disclosed parties holding that reservation:
 * on net terms it is paid on terms at once (the terms were checked when the buy was placed); funded by
 * card it is authorised with the buyer's payment method; the seller accepts and ships it (capture on
 * shipment), the buyer confirms delivery. Answers the order id.
 */
async function deliverFill(tx: DbOrTx, trade: TradeOrderFacts, fill: Fill, tradeId: string): Promise<string> {
  const reservationKey = `market:${tradeId}`;
  const reservation = await insertReservationOnce(tx, {
    id: newId('rsv'),
    listingId: null,
    lotId: trade.lotId,
    sellerOrgId: fill.sellerOrgId,
    buyerOrgId: fill.buyerOrgId,
    grams: fill.qtyG,
    unitPriceFenPerKg: fill.fenPerKg,
    totalFen: lineTotalFen(fill.fenPerKg, fill.qtyG),
    idempotencyKey: reservationKey,
    status: 'held',
  });
  const card = trade.funding?.method !== 'net_terms';
  if (!reservation) throw new Error(`trade ${tradeId}: its reservation exists already`);
  const created = await createContractOrder(tx as Tx, { orgId: fill.buyerOrgId, userId: trade.buyerUserId }, {
    source: 'market',
    callOffId: null,
    sellerOrgId: fill.sellerOrgId,
    sellerName: trade.sellerName,
    paymentMethod: card ? 'card' : 'net_terms',
    checkoutKey: tradeId,
    idempotencyKey: reservationKey,
    line: { productName: trade.productName, grams: fill.qtyG, priceFenPerKg: fill.fenPerKg, form: trade.form, stock: { lotId: trade.lotId, reservationId: reservation.id, reservationKey } },
    payment: card ? { kind: 'authorise_with', paymentMethod: trade.funding?.paymentMethod ?? 'pm_card_visa' } : { kind: 'backed_on_terms' },
  });
  return created.id;
}

interface TradeOrderFacts {
  lotId: string;
  sellerName: string;
  productName: string;
  form: string;
  buyerUserId: string | null;
  funding: { method: string; paymentMethod: string | null } | null;
}

/** Tells live pages that the instrument's book changed, and every party whose orders or trades did. */
async function announceCommand(tx: DbOrTx, instrumentId: string, orgId: string, fills: readonly Fill[], at: Date): Promise<void> {
  await announce(tx, liveTopics.marketInstrument(instrumentId), fills.length > 0 ? 'market.trade' : 'market.book', at);
  const parties = new Set([orgId, ...fills.flatMap((f) => [f.buyerOrgId, f.sellerOrgId])]);
  for (const party of parties) await announce(tx, liveTopics.marketOrg(party), fills.length > 0 ? 'market.trade' : 'market.order', at);
}

/** A card authorisation made for a buy order before it is submitted (`market.funding.ts`). */
export interface CardAuthorisation {
  paymentIntentId: string;
  amountFen: number;
  /** The payment method trade orders are authorised with. */
  paymentMethod: string;
}

export interface SubmitOptions {
  now?: Date;
  /** Required for a buy funded by card: the authorisation covering its notional. */
  cardAuthorisation?: CardAuthorisation;
}

/** Checks a place's lot (sell) or net terms (buy) and builds the core command; every refusal names its field. */
async function checkPlace(tx: DbOrTx, book: MarketBook, orgId: string, spec: LotSpec, input: unknown, options: SubmitOptions, now: Date) {
  const orderId = newId('mor');
  const context: PlaceContext = { now };
  const c = input as Record<string, unknown>;
  let sellLot: SellLot | null = null;
  // Shape first (cheap, pure), then what needs the database.
  const shape = checkCommand(book, orgId, input, orderId, context);
  if (!shape.ok) throw problemError(shape.problem);
  if (shape.command.type !== 'limit') return shape;
  if (shape.lotId !== null) {
    sellLot = await sellLotFacts(tx, orgId, spec, shape.lotId, now);
    const checked = checkCommand(book, orgId, input, orderId, { now, attributes: sellLot.attributes, lotExpiresAt: sellLot.expiresAt });
    if (!checked.ok) throw problemError(checked.problem);
    return checked;
  }
  const amountFen = notionalFen(shape.command.qtyG, shape.command.fenPerKg);
  if (amountFen > MAX_ORDER_FEN) throw new AppError('VALIDATION', msg('market.orderTooLarge'), { field: 'qtyG' });
  if (shape.funding === 'card') {
    const auth = options.cardAuthorisation;
    if (!auth || auth.amountFen < amountFen) throw new AppError('PRECONDITION_FAILED', msg('market.fundingRequired', { amount: (amountFen / 100).toFixed(2) }), { field: 'funding' });
    return shape;
  }
  const sellers = await netTermsSellers(tx, orgId, amountFen);
  if (sellers.length === 0) throw new AppError('PRECONDITION_FAILED', msg('market.noNetTerms', { amount: (amountFen / 100).toFixed(2) }), { field: 'funding' });
  const checked = checkCommand(book, orgId, { ...c }, orderId, { now, netTermsSellers: sellers });
  if (!checked.ok) throw problemError(checked.problem);
  return checked;
}

/** Money columns are 32-bit integers: a buy order may be worth at most ¥20,000,000.00 (as an order). */
const MAX_ORDER_FEN = 2_000_000_000;

/** How a resting buy order was funded (null for buys logged before funding was recorded). */
async function fundingOf(tx: DbOrTx, orderId: string) {
  const [row] = await tx.select({ method: marketFunding.method, paymentMethod: marketFunding.paymentMethod }).from(marketFunding).where(eq(marketFunding.orderId, orderId));
  return row ?? null;
}

/**
 * Places, cancels or amends an order of the actor's organisation. The command is checked against the
 * current book (a sell's lot: owner, spec, grade, expiry, free stock; a buy's funding), appended to
 * the log with the next sequence number, applied to the book by the matching core, its trades stored
 * and turned into orders — all in one transaction under the instrument lock — and then answered. A
 * refused command writes nothing; a replayed idempotency key answers the first answer again.
 */
export async function submitCommand(db: Db, actor: Actor, instrumentId: string, input: unknown, options: SubmitOptions = {}): Promise<CommandAnswer> {
  const orgId = actor.orgId;
  if (!orgId) throw new AppError('FORBIDDEN', msg('org.required'));
  const keyCheck = checkIdempotencyKey(input);
  if (!keyCheck.ok) throw problemError(keyCheck.problem);
  const key = keyCheck.key;

  let taken: MarketBook | undefined;
  let changed = false;
  try {
    const answer = await db.transaction(async (tx) => {
      const [ins] = await tx
        .select({ name: instrument.name, herbId: instrument.herbId, form: instrument.form, cut: instrument.cut, processing: instrument.processing, grade: instrument.grade })
        .from(instrument)
        .where(eq(instrument.id, instrumentId));
      if (!ins) throw new AppError('NOT_FOUND', msg('market.instrumentNotFound'), { field: 'instrumentId' });
      await lockInstrument(tx, instrumentId);
      // The clock is read under the lock, so acceptance times rise with the log's sequence.
      const now = options.now ?? new Date();
      const replayed = await replayedAnswer(tx, orgId, key, instrumentId, input);
      if (replayed) return replayed;
      const [current] = await tx.select({ status: instrument.status }).from(instrument).where(eq(instrument.id, instrumentId));
      if (current?.status !== 'active') throw new AppError('CONFLICT', msg('market.instrumentHalted'), { field: 'instrumentId' });

      const book = await takeCurrentBook(tx, instrumentId);
      taken = book;
      const isPlace = (input as { kind?: unknown }).kind === 'place';
      const checked = isPlace ? await checkPlace(tx, book, orgId, ins, input, options, now) : checkCommand(book, orgId, input, newId('mor'));
      if (!checked.ok) throw problemError(checked.problem);

      // Stock moves on the live path only (a replay of the log never moves stock).
      const command = checked.command;
      let orderLotId = checked.lotId;
      const openBefore = checked.kind === 'place' ? 0 : book.openQty(checked.orderId);
      if (command.type === 'limit' && orderLotId !== null) await holdLotGrams(tx, orderLotId, command.qtyG);
      if (checked.kind !== 'place') orderLotId = await lotOfOrder(tx, instrumentId, checked.orderId);

      const seq = book.seq + 1;
      const acceptedAt = now;
      changed = true;
      const fills = book.apply({ seq, orgId, command });
      const result: CommandAnswer = {
        commandId: newId('mcm'),
        instrumentId,
        seq,
        kind: checked.kind,
        orderId: checked.orderId,
        trades: fills,
        restingQtyG: book.openQty(checked.orderId),
        acceptedAt: acceptedAt.toISOString(),
      };
      await tx.insert(marketCommand).values({
        id: result.commandId,
        instrumentId,
        seq,
        kind: checked.kind,
        orderId: checked.orderId,
        command: checked.command,
        answer: result,
        idempotencyKey: key,
        lotId: checked.lotId,
        orgId,
        userId: actor.userId,
        acceptedAt,
        expiresAt: checked.expiresAt,
      });
      if (command.type === 'limit' && checked.funding !== null) {
        const auth = checked.funding === 'card' ? options.cardAuthorisation : undefined;
        await tx.insert(marketFunding).values({
          orderId: checked.orderId,
          instrumentId,
          orgId,
          method: checked.funding,
          paymentMethod: auth?.paymentMethod ?? null,
          paymentIntentId: auth?.paymentIntentId ?? null,
          amountFen: auth?.amountFen ?? notionalFen(command.qtyG, command.fenPerKg),
          status: checked.funding === 'card' ? 'held' : 'on_terms',
          createdAt: acceptedAt,
        });
      }
      if (checked.expiresAt !== null && result.restingQtyG > 0) {
        await enqueue(tx, expireOrderJob, { instrumentId, orderId: checked.orderId }, { runAt: checked.expiresAt, dedupeKey: `market.expire-order:${checked.orderId}` });
      }
      const tradeIds = fills.map(() => newId('mtr'));
      const moves = stockMoves(checked.kind, command.type === 'limit' ? command.side : null, command.type === 'limit' ? command.qtyG : 0, openBefore, result.restingQtyG, fills);
      if (orderLotId !== null && moves.releaseG > 0) await releaseLotGrams(tx, orderLotId, moves.releaseG);
      const orderIds = await tradeOrders(tx, instrumentId, ins, checked.orderId, checked.lotId, actor, moves.delivered, tradeIds);
      if (fills.length > 0) {
        await tx.insert(marketTrade).values(
          fills.map((f, i) => ({
            id: tradeIds[i]!,
            instrumentId,
            seq,
            ordinal: f.ordinal,
            buyerOrgId: f.buyerOrgId,
            sellerOrgId: f.sellerOrgId,
            buyOrderId: f.buyOrderId,
            sellOrderId: f.sellOrderId,
            fenPerKg: f.fenPerKg,
            grams: f.qtyG,
            at: acceptedAt,
            orderId: orderIds[i] ?? null,
          })),
        );
      }
      // Buy orders that stopped resting give back their card authorisation (a no-op job for others).
      const doneBuys = new Set(fills.map((f) => f.buyOrderId).filter((id) => book.openQty(id) === 0));
      if (command.type === 'limit' && command.side === 'buy' && result.restingQtyG === 0) doneBuys.add(checked.orderId);
      if (command.type === 'cancel') doneBuys.add(checked.orderId);
      for (const buyOrderId of doneBuys) await enqueue(tx, releaseFundingJob, { orderId: buyOrderId }, { dedupeKey: `market.release-funding:${buyOrderId}` });
      await announceCommand(tx, instrumentId, orgId, fills, acceptedAt);
      return result;
    });
    if (taken) putBack(taken);
    return answer;
  } catch (error) {
    // A book the failed transaction changed is dropped (the next command replays the log); an untouched one is kept.
    if (taken && !changed) putBack(taken);
    if (isUniqueViolation(error, 'market_command_org_key_uq')) {
      // The same key was used concurrently on another instrument: answer as for a replay.
      const replayed = await replayedAnswer(db, orgId, key, instrumentId, input);
      if (replayed) return replayed;
    }
    throw error;
  }
}

/** Turns each delivered fill into an order (see `deliverFill`); answers the order ids by fill (undefined for a sell without a lot). */
async function tradeOrders(
  tx: DbOrTx,
  instrumentId: string,
  ins: { name: string; form: string },
  incomingOrderId: string,
  incomingLotId: string | null,
  actor: Actor,
  fills: readonly Fill[],
  tradeIds: readonly string[],
): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  if (fills.length === 0) return out;
  const sellLots = new Map<string, string | null>();
  const fundings = new Map<string, Awaited<ReturnType<typeof fundingOf>>>();
  const names = new Map((await tx.select({ id: organization.id, name: organization.name }).from(organization).where(inArray(organization.id, [...new Set(fills.map((f) => f.sellerOrgId))]))).map((o) => [o.id, o.name]));
  for (const [i, fill] of fills.entries()) {
    if (!sellLots.has(fill.sellOrderId)) sellLots.set(fill.sellOrderId, fill.sellOrderId === incomingOrderId ? incomingLotId : await lotOfOrder(tx, instrumentId, fill.sellOrderId));
    if (!fundings.has(fill.buyOrderId)) fundings.set(fill.buyOrderId, await fundingOf(tx, fill.buyOrderId));
    const sellLot = sellLots.get(fill.sellOrderId);
    // Sells logged before lots backed them have no lot to deliver from.
    if (!sellLot) {
      out.push(undefined);
      continue;
    }
    const buyerUserId = fill.buyerOrgId === actor.orgId ? actor.userId : null;
    out.push(await deliverFill(tx, { lotId: sellLot, sellerName: names.get(fill.sellerOrgId) ?? fill.sellerOrgId, productName: ins.name, form: ins.form, buyerUserId, funding: fundings.get(fill.buyOrderId) ?? null }, fill, tradeIds[i]!));
  }
  return out;
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
