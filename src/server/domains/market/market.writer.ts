import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { kgText } from '../../../lib/amount-text.ts';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import { preparedRows, type Db, type DbOrTx } from '../../db/client.ts';
import { lot, marketCommand } from '../../db/schema/index.ts';
import { outboxRows, type OutboxEntry } from '../../jobs/outbox.ts';
import { livePublishManyJob } from '../../integrations/live/live.jobs.ts';
import { liveTopics } from '../../integrations/live/live.port.ts';
import { listingCertificates } from '../../integrations/search/search.documents.ts';
import { indexDocumentsJob } from '../../integrations/search/search.jobs.ts';
import { lineTotalFen } from '../catalog/listings.core.ts';
import { setLotListingsStatus } from '../catalog/lots.repo.ts';
import { isUniqueViolation } from '../catalog/products.service.ts';
import { chinaToday } from '../orgs/licences.core.ts';
import { fitsCreditLine } from '../orders/orders.core.ts';
import { NET_TERMS_LOCK_NAMESPACE } from '../orders/credit.repo.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import { cachedLotOf, LOCK_NAMESPACE, putBack, takeBookAt } from './market.books.ts';
import {
  checkCommand,
  checkIdempotencyKey,
  loggedFingerprint,
  lotFitsInstrument,
  MAX_ORDER_FEN,
  notionalFen,
  requestFingerprint,
  sellAttributes,
  termsFingerprint,
  stockMoves,
  type CheckedCommand,
  type CommandAnswer,
  type CommandProblem,
  type LotSpec,
  type MarketBook,
} from './market.core.ts';
import { expireOrderJob, releaseFundingJob, tradeOrdersJob } from './market.jobs.ts';
import { type BuyerCreditRow, type CreditRoomLine, creditRoomByBuyer, type RestingTermsRow } from './credit-room.core.ts';
import type { MatchCommand } from './order-book.core.ts';

/**
 * The spot market's write path: one writer per instrument at a time, group commit.
 *
 * Commands queue in this process in arrival order, whatever their instrument. Its writer takes up to
 * MAX_BATCH of them, of one instrument or several, into one transaction that holds their instruments'
 * advisory locks (so across processes too there is one writer per instrument at a time and sequence
 * numbers are gapless) and reads what the batch needs in one call (`market_batch_start`: each
 * instrument and its last sequence, earlier answers of the idempotency keys, the sells' lots — locked —,
 * the net-terms buyers' credit lines and exposure — under their terms locks). It brings the books up to
 * the log, checks and applies each command in arrival order in memory, then writes the whole batch in
 * one statement: the log rows, funding, trades, the buyers' held reservations, the lots' reserved grams,
 * net-terms funding no longer resting, and the outbox jobs (expiry, release of card authorisations, the
 * trades' orders, live announcements). So a batch is four round trips (begin, start, write, commit).
 * Every command is answered only after that transaction commits. A refused command is answered with its
 * error and writes nothing; if the batch fails as a whole its commands are run again one at a time, so
 * one bad command never fails others.
 *
 * Each trade becomes an order in the `market.trade-orders` job (market.trade-orders.ts), from the
 * buyer's reservation written here: the order's payment start and audit entry stay out of the
 * matching transaction.
 */

/** Most commands one transaction carries. */
const MAX_BATCH = 64;

/** A card authorisation made for a buy order before it is submitted (`market.funding.ts`). */
export interface CardAuthorisation {
  paymentIntentId: string;
  amountFen: number;
  /** The payment method trade orders are authorised with. */
  paymentMethod: string;
}

export interface SubmitOptions {
  /** The clock for this command's checks (tests); acceptance time is the batch's, read under the lock. */
  now?: Date;
  /** Required for a buy funded by card: the authorisation covering its notional. */
  cardAuthorisation?: CardAuthorisation;
}

interface Pending {
  instrumentId: string;
  orgId: string;
  userId: string | null;
  key: string;
  input: unknown;
  options: SubmitOptions;
  resolve(answer: CommandAnswer): void;
  reject(error: unknown): void;
}

/**
 * The process's one writer, not one an instrument: a batch's fixed cost (begin, locks, the write
 * statement, commit) is then spread over every command queued, whatever its instrument. With a writer an
 * instrument, eight busy instruments made batches of ~5 commands whose fixed cost took both cores; two or
 * four writers, each for a share of the instruments, were slower than one (they wait on the same buyers'
 * terms locks).
 */
class Writer {
  private readonly queue: Pending[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  submit(pending: Pending): void {
    this.queue.push(pending);
    if (this.running) return;
    this.running = true;
    // An idle writer starts after the I/O callbacks of this turn of the event loop, so commands that
    // arrived together go in one batch.
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) await runIsolating(this.db, takeBatch(this.queue));
    } finally {
      this.running = false;
    }
  }
}

/** The next batch in arrival order; a second command with an idempotency key already in it waits for the next batch (it is then a replay). */
function takeBatch(queue: Pending[]): Pending[] {
  const batch: Pending[] = [];
  const keys = new Set<string>();
  for (let i = 0; i < queue.length && batch.length < MAX_BATCH; ) {
    const p = queue[i]!;
    const k = `${p.orgId}\u0000${p.key}`;
    if (keys.has(k)) {
      i += 1;
      continue;
    }
    keys.add(k);
    batch.push(p);
    queue.splice(i, 1);
  }
  return batch;
}

const writers = new WeakMap<Db, Writer>();

function writerFor(db: Db): Writer {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new Writer(db)));
  return writer;
}

/**
 * Places, cancels or amends an order of the actor's organisation; answers after the command is in the
 * log (see above). A replayed idempotency key answers the first answer again.
 */
export function submitCommand(db: Db, actor: Actor, instrumentId: string, input: unknown, options: SubmitOptions = {}): Promise<CommandAnswer> {
  const orgId = actor.orgId;
  if (!orgId) return Promise.reject(new AppError('FORBIDDEN', msg('org.required')));
  const keyCheck = checkIdempotencyKey(input);
  if (!keyCheck.ok) return Promise.reject(problemError(keyCheck.problem));
  return new Promise((resolve, reject) => writerFor(db).submit({ instrumentId, orgId, userId: actor.userId, key: keyCheck.key, input, options, resolve, reject }));
}

export function problemError(problem: CommandProblem): AppError {
  return new AppError(problem.code, msg(problem.key, problem.params ?? {}), { field: problem.field });
}

/** Runs a batch; if it fails as a whole, runs its commands one by one so the failure stays with its command. */
async function runIsolating(db: Db, batch: Pending[]): Promise<void> {
  try {
    await runBatch(db, batch);
  } catch (error) {
    if (batch.length > 1) {
      for (const p of batch) await runIsolating(db, [p]);
      return;
    }
    const p = batch[0]!;
    if (isUniqueViolation(error, 'market_command_org_key_uq')) {
      // The same key was used concurrently on another instrument: answer as for a replay.
      try {
        const replayed = await replayedAnswer(db, p.orgId, p.key, p.instrumentId, p.input);
        if (replayed) return p.resolve(replayed);
      } catch (replayError) {
        return p.reject(replayError);
      }
    }
    p.reject(error);
  }
}

type Outcome = { ok: true; answer: CommandAnswer } | { ok: false; error: unknown };

interface LoggedAnswer {
  orgId: string;
  key: string;
  instrumentId: string;
  command: MatchCommand;
  lotId: string | null;
  answer: CommandAnswer;
  requestFingerprint: string | null;
}

/** The digest of `requestFingerprint` kept with a logged command. */
export function requestDigest(instrumentId: string, input: unknown): string {
  return createHash('sha256').update(requestFingerprint(instrumentId, input)).digest('base64url');
}

function answerOrConflict(row: Omit<LoggedAnswer, 'orgId' | 'key'>, instrumentId: string, input: unknown): CommandAnswer {
  const same =
    row.requestFingerprint !== null
      ? row.requestFingerprint === requestDigest(instrumentId, input)
      : // Logged before the digest was kept: compare the terms the command itself records.
        loggedFingerprint(row.instrumentId, row.command, row.lotId) === termsFingerprint(instrumentId, input);
  if (!same) throw new AppError('CONFLICT', msg('market.idempotencyMismatch'), { field: 'idempotencyKey' });
  return row.answer;
}

/** The stored answer for an org's idempotency key, or a conflict when it was used for another request. */
export async function replayedAnswer(db: DbOrTx, orgId: string, key: string, instrumentId: string, input: unknown): Promise<CommandAnswer | undefined> {
  const [row] = await db
    .select({ instrumentId: marketCommand.instrumentId, command: marketCommand.command, lotId: marketCommand.lotId, answer: marketCommand.answer, requestFingerprint: marketCommand.requestFingerprint })
    .from(marketCommand)
    .where(and(eq(marketCommand.orgId, orgId), eq(marketCommand.idempotencyKey, key)));
  if (!row) return undefined;
  return answerOrConflict({ ...row, command: row.command as MatchCommand, answer: row.answer as CommandAnswer }, instrumentId, input);
}

/** A lot as the batch sees it: its facts (for a sell's checks and attributes) and its grams, locked for the batch. */
interface LotRow extends LotSpec {
  id: string;
  sellerOrgId: string;
  batchNo: string;
  expiryDate: string;
  origin: string | null;
  hasQualityReport: boolean;
  hasGap: boolean;
  quantityG: number;
  reservedG: number;
  /** Its listings (their search documents show its free stock). */
  listingIds: string[];
}

type InstrumentRow = LotSpec & { id: string; name: string; status: string; lastSeq: number };

/** What a batch starts from: its existing instruments (with the log's last sequence of each) by id, earlier answers by `org\0key`, the locked lots, credit lines by buyer. */
interface BatchStart {
  instruments: Map<string, InstrumentRow>;
  answered: Map<string, LoggedAnswer>;
  lots: Map<string, LotRow>;
  credit: Map<string, CreditRoomLine[]>;
}

/**
 * Takes the instruments' writer locks, the net-terms buyers' terms locks and the lots, and reads what
 * the batch needs (`market_batch_start`, introduced in migration 0021, last redefined in 0034).
 * Licences are checked against the China date of `now`.
 */
async function startBatch(tx: DbOrTx, instrumentIds: readonly string[], batch: readonly Pending[], lotIds: readonly string[], buyers: readonly string[], now: Date): Promise<BatchStart> {
  const pairs = JSON.stringify(batch.map((p) => ({ o: p.orgId, k: p.key })));
  const [row] = await preparedRows<{ start: unknown }>(
    tx,
    'market_batch_start',
    sql`select market_batch_start(${LOCK_NAMESPACE}::integer, ${NET_TERMS_LOCK_NAMESPACE}::integer, ${JSON.stringify(instrumentIds)}::jsonb, ${pairs}::jsonb, ${JSON.stringify(lotIds)}::jsonb, ${JSON.stringify(buyers)}::jsonb, ${chinaToday(now)}::date) as start`,
  );
  const raw = row?.start;
  const start = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
    instruments: InstrumentRow[];
    answered: LoggedAnswer[];
    lots: LotRow[];
    credit: BuyerCreditRow[];
    resting: RestingTermsRow[];
  };
  return {
    instruments: new Map(start.instruments.map((i) => [i.id, { ...i, lastSeq: Number(i.lastSeq) }])),
    answered: new Map(start.answered.map((a) => [`${a.orgId}\u0000${a.key}`, a])),
    lots: new Map(start.lots.map((l) => [l.id, l])),
    credit: creditRoomByBuyer(start.credit, start.resting),
  };
}

/** Thrown when the cached book was behind the log, so a cancelled or amended sell's lot was not locked: the batch runs again. */
class StaleBookError extends Error {}

/** The lot's facts a sell carries, after checking it may back a sell of `orgId` on the instrument now. */
function checkSellLot(row: LotRow | undefined, orgId: string, spec: LotSpec, now: Date) {
  if (!row || row.sellerOrgId !== orgId) throw new AppError('NOT_FOUND', msg('market.lotNotFound'), { field: 'lotId' });
  if (!lotFitsInstrument(spec, row)) throw new AppError('VALIDATION', msg('market.lotSpecMismatch'), { field: 'lotId' });
  if (row.expiryDate < chinaToday(now)) throw new AppError('VALIDATION', msg('market.lotExpired', { batchNo: row.batchNo, expiryDate: row.expiryDate }), { field: 'lotId' });
  return {
    attributes: sellAttributes({ origin: row.origin, grade: row.grade, certificates: listingCertificates(row), sellerOrgId: row.sellerOrgId }),
    // The lot may be sold through its expiry day (China time, UTC+8, no daylight saving).
    expiresAt: new Date(`${row.expiryDate}T23:59:59.999+08:00`),
  };
}

/** What one batch writes, collected while its commands are applied in memory. */
/** Rows are keyed by column name: they are written through `jsonb_to_recordset` (see `writeBatch`). */
class BatchWrites {
  readonly commands: Record<string, unknown>[] = [];
  readonly fundings: Record<string, unknown>[] = [];
  /** This batch's funding rows by order (an order placed and done within the batch is written released). */
  readonly fundingOf = new Map<string, Record<string, unknown>>();
  /** Net-terms buys placed in earlier batches that stopped resting in this one. */
  readonly netTermsReleased: string[] = [];
  /** Net-terms buys placed in earlier batches amended down in this one: fen their funding holds less. */
  readonly netTermsReduced = new Map<string, number>();
  readonly trades: Record<string, unknown>[] = [];
  readonly reservations: Record<string, unknown>[] = [];
  readonly jobs: OutboxEntry[] = [];
  readonly tradeIds: string[] = [];
  readonly parties = new Set<string>();
  /** Lots whose reserved grams changed: their value before the batch. */
  readonly lotsBefore = new Map<string, number>();
}

/** Checks one command against the book and the batch's data and applies it (in memory); throws an AppError to refuse it. */
function acceptCommand(
  p: Pending,
  ctx: { ins: InstrumentRow; book: MarketBook; lots: Map<string, LotRow>; credit: Map<string, CreditRoomLine[]>; now: Date; writes: BatchWrites },
): CommandAnswer {
  const { ins, book, lots, credit, writes } = ctx;
  const instrumentId = ins.id;
  const now = p.options.now ?? ctx.now;
  const isPlace = (p.input as { kind?: unknown }).kind === 'place';
  const orderId = newId('mor');
  let checked: CheckedCommand = checkCommand(book, p.orgId, p.input, orderId, isPlace ? { now } : undefined);
  if (!checked.ok) throw problemError(checked.problem);
  const command = checked.command;
  if (command.type === 'limit' && checked.lotId !== null) {
    const row = lots.get(checked.lotId);
    const facts = checkSellLot(row, p.orgId, ins, now);
    checked = checkCommand(book, p.orgId, p.input, orderId, { now, attributes: facts.attributes, lotExpiresAt: facts.expiresAt });
    if (!checked.ok) throw problemError(checked.problem);
    const free = row!.quantityG - row!.reservedG;
    if (free < command.qtyG) throw new AppError('CONFLICT', msg('market.lotInsufficient', { available: kgText(free), qty: kgText(command.qtyG) }), { field: 'qtyG' });
  } else if (command.type === 'limit') {
    const amountFen = notionalFen(command.qtyG, command.fenPerKg);
    if (amountFen > MAX_ORDER_FEN) throw new AppError('VALIDATION', msg('market.orderTooLarge'), { field: 'qtyG' });
    if (checked.funding === 'card') {
      const auth = p.options.cardAuthorisation;
      if (!auth || auth.amountFen < amountFen) throw new AppError('PRECONDITION_FAILED', msg('market.fundingRequired', { amount: (amountFen / 100).toFixed(2) }), { field: 'funding' });
    } else {
      const lines = (credit.get(p.orgId) ?? []).filter((c) => fitsCreditLine(c, amountFen));
      if (lines.length === 0) throw new AppError('PRECONDITION_FAILED', msg('market.noNetTerms', { amount: (amountFen / 100).toFixed(2) }), { field: 'funding' });
      checked = checkCommand(book, p.orgId, p.input, orderId, { now, netTermsSellers: lines.map((c) => c.sellerOrgId) });
      if (!checked.ok) throw problemError(checked.problem);
      // While it rests the order's notional counts against each line it may match (as `net_terms_exposure` will count it).
      for (const line of lines) line.outstandingFen += amountFen;
    }
  }
  // Every check passed: from here the command is applied.
  const final = checked;
  const applied = final.command;
  const kind = final.kind;
  const lotOfOrder = kind === 'place' ? final.lotId : (book.lotOf(final.orderId) ?? null);
  const openBefore = kind === 'place' ? 0 : book.openQty(final.orderId);
  if (applied.type === 'limit' && final.lotId !== null) moveReserved(lots, writes, final.lotId, applied.qtyG);
  const seq = book.seq + 1;
  const fills = book.apply({ seq, orgId: p.orgId, command: applied, lotId: final.lotId });
  const answer: CommandAnswer = {
    commandId: newId('mcm'),
    instrumentId,
    seq,
    kind,
    orderId: final.orderId,
    trades: fills,
    restingQtyG: book.openQty(final.orderId),
    acceptedAt: ctx.now.toISOString(),
  };
  writes.commands.push({
    id: answer.commandId,
    instrument_id: instrumentId,
    seq,
    kind,
    order_id: final.orderId,
    command: applied,
    answer,
    idempotency_key: p.key,
    request_fingerprint: requestDigest(instrumentId, p.input),
    lot_id: final.lotId,
    org_id: p.orgId,
    user_id: p.userId,
    accepted_at: answer.acceptedAt,
    expires_at: final.expiresAt?.toISOString() ?? null,
  });
  writes.parties.add(p.orgId);
  if (applied.type === 'limit' && final.funding !== null) {
    const auth = final.funding === 'card' ? p.options.cardAuthorisation : undefined;
    const funding = {
      order_id: final.orderId,
      instrument_id: instrumentId,
      org_id: p.orgId,
      method: final.funding,
      payment_method: auth?.paymentMethod ?? null,
      payment_intent_id: auth?.paymentIntentId ?? null,
      amount_fen: auth?.amountFen ?? notionalFen(applied.qtyG, applied.fenPerKg),
      sellers: final.funding === 'net_terms' ? (applied.constraints?.sellers ?? []) : null,
      status: final.funding === 'card' ? 'held' : 'on_terms',
      created_at: answer.acceptedAt,
      released_at: null as string | null,
    };
    writes.fundings.push(funding);
    writes.fundingOf.set(final.orderId, funding);
  }
  if (final.expiresAt !== null && answer.restingQtyG > 0) {
    writes.jobs.push({ job: expireOrderJob, payload: { instrumentId, orderId: final.orderId }, options: { runAt: final.expiresAt, dedupeKey: `market.expire-order:${final.orderId}` } });
  }
  if (kind === 'amend') holdLessAfterAmend(book, credit.get(p.orgId) ?? [], writes, final.orderId, openBefore, answer.restingQtyG);
  const moves = stockMoves(kind, applied.type === 'limit' ? applied.side : null, applied.type === 'limit' ? applied.qtyG : 0, openBefore, answer.restingQtyG, fills);
  if (lotOfOrder !== null && moves.releaseG > 0) moveReserved(lots, writes, lotOfOrder, -moves.releaseG);
  for (const fill of moves.delivered) {
    const tradeId = newId('mtr');
    writes.trades.push({
      id: tradeId,
      instrument_id: instrumentId,
      seq,
      ordinal: fill.ordinal,
      buyer_org_id: fill.buyerOrgId,
      seller_org_id: fill.sellerOrgId,
      buy_order_id: fill.buyOrderId,
      sell_order_id: fill.sellOrderId,
      fen_per_kg: fill.fenPerKg,
      grams: fill.qtyG,
      at: answer.acceptedAt,
      on_net_terms: book.isNetTermsBuy(fill.buyOrderId),
    });
    writes.parties.add(fill.buyerOrgId).add(fill.sellerOrgId);
    // The sell's grams stay reserved on its lot, now held for the buyer at the trade price (sells logged before lots backed them have none).
    const sellLot = book.lotOf(fill.sellOrderId);
    if (!sellLot) continue;
    writes.reservations.push({
      id: newId('rsv'),
      lot_id: sellLot,
      seller_org_id: fill.sellerOrgId,
      buyer_org_id: fill.buyerOrgId,
      grams: fill.qtyG,
      unit_price_fen_per_kg: fill.fenPerKg,
      total_fen: lineTotalFen(fill.fenPerKg, fill.qtyG),
      idempotency_key: `market:${tradeId}`,
      status: 'held',
      created_at: answer.acceptedAt,
    });
    writes.tradeIds.push(tradeId);
  }
  // Buy orders that stopped resting give back their funding: net terms at once (only their trades count
  // against the lines from now on), a card authorisation through a job (a no-op for sells).
  const doneBuys = new Set(fills.map((f) => f.buyOrderId).filter((id) => book.openQty(id) === 0));
  if (applied.type === 'limit' && applied.side === 'buy' && answer.restingQtyG === 0) doneBuys.add(final.orderId);
  if (applied.type === 'cancel') doneBuys.add(final.orderId);
  for (const buyOrderId of doneBuys) {
    if (!book.isNetTermsBuy(buyOrderId)) {
      writes.jobs.push({ job: releaseFundingJob, payload: { orderId: buyOrderId }, options: { dedupeKey: `market.release-funding:${buyOrderId}` } });
      continue;
    }
    const placedHere = writes.fundingOf.get(buyOrderId);
    if (placedHere) Object.assign(placedHere, { status: 'released', released_at: answer.acceptedAt });
    else writes.netTermsReleased.push(buyOrderId);
  }
  return answer;
}

/**
 * An amend-down of a resting net-terms buy: its funding holds the notional of the grams taken off less
 * (at its limit price), on the lines it may match too, so the freed credit is usable at once. Written as
 * a difference of notionals, so successive amends add up to the notional of what still rests.
 */
function holdLessAfterAmend(book: MarketBook, lines: readonly CreditRoomLine[], writes: BatchWrites, orderId: string, openBefore: number, openAfter: number): void {
  if (!book.isNetTermsBuy(orderId) || openAfter <= 0 || openAfter >= openBefore) return;
  const resting = book.engine.order(orderId);
  if (!resting) return;
  const lessFen = notionalFen(openBefore, resting.fenPerKg) - notionalFen(openAfter, resting.fenPerKg);
  if (lessFen <= 0) return;
  const placedHere = writes.fundingOf.get(orderId);
  if (placedHere) placedHere.amount_fen = (placedHere.amount_fen as number) - lessFen;
  else writes.netTermsReduced.set(orderId, (writes.netTermsReduced.get(orderId) ?? 0) + lessFen);
  const sellers = new Set(resting.constraints?.sellers ?? []);
  for (const line of lines) if (sellers.has(line.sellerOrgId)) line.outstandingFen -= lessFen;
}

/** Adds `grams` (negative: gives back) to a locked lot's reserved grams within the batch. */
function moveReserved(lots: Map<string, LotRow>, writes: BatchWrites, lotId: string, grams: number): void {
  const row = lots.get(lotId);
  if (!row) throw new Error(`lot ${lotId} of a resting sell was not locked for the batch`);
  if (!writes.lotsBefore.has(lotId)) writes.lotsBefore.set(lotId, row.reservedG);
  const reservedG = row.reservedG + grams;
  if (reservedG < 0 || reservedG > row.quantityG) throw new Error(`lot ${lotId}: reserved ${reservedG} g outside 0..${row.quantityG}`);
  row.reservedG = reservedG;
}

/**
 * The lots whose reserved grams changed (written with the batch), after flipping their listings'
 * sold-out state where free stock crossed zero (rare: one statement each) and queueing their re-index.
 */
async function changedLots(tx: DbOrTx, lots: Map<string, LotRow>, writes: BatchWrites): Promise<{ id: string; reserved_g: number }[]> {
  const changed = [...writes.lotsBefore].map(([id, before]) => ({ id, before, row: lots.get(id)! })).filter((c) => c.row.reservedG !== c.before);
  const listingIds = changed.flatMap((c) => c.row.listingIds);
  for (const c of changed) {
    if (c.row.listingIds.length === 0) continue;
    const freeBefore = c.row.quantityG - c.before;
    const freeAfter = c.row.quantityG - c.row.reservedG;
    const from = freeBefore > 0 && freeAfter === 0 ? 'active' : freeBefore === 0 && freeAfter > 0 ? 'sold_out' : null;
    if (from === null) continue;
    await setLotListingsStatus(tx, c.id, from, from === 'active' ? 'sold_out' : 'active');
  }
  for (let i = 0; i < listingIds.length; i += 1000) writes.jobs.push({ job: indexDocumentsJob, payload: { kind: 'listing', ids: listingIds.slice(i, i + 1000) } });
  return changed.map((c) => ({ id: c.id, reserved_g: c.row.reservedG }));
}

/** `insert into <table> (<columns>) select … from jsonb_to_recordset(<rows as one JSON parameter>)`: many rows, one parameter. */
function insertFromJson(table: string, columns: readonly (readonly [name: string, type: string])[], rows: readonly Record<string, unknown>[], suffix = '') {
  const names = columns.map(([n]) => n).join(', ');
  const defs = columns.map(([n, t]) => `${n} ${t}`).join(', ');
  return sql`insert into ${sql.identifier(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${sql.raw(defs)})${sql.raw(suffix)}`;
}

const T = 'text';
const I = 'integer';
const J = 'jsonb';
const TS = 'timestamptz';
const COMMAND_COLUMNS = [['id', T], ['instrument_id', T], ['seq', I], ['kind', T], ['order_id', T], ['command', J], ['answer', J], ['idempotency_key', T], ['request_fingerprint', T], ['lot_id', T], ['org_id', T], ['user_id', T], ['accepted_at', TS], ['expires_at', TS]] as const;
const FUNDING_COLUMNS = [['order_id', T], ['instrument_id', T], ['org_id', T], ['method', T], ['payment_method', T], ['payment_intent_id', T], ['amount_fen', I], ['sellers', 'text[]'], ['status', T], ['created_at', TS], ['released_at', TS]] as const;
const RESERVATION_COLUMNS = [['id', T], ['lot_id', T], ['seller_org_id', T], ['buyer_org_id', T], ['grams', I], ['unit_price_fen_per_kg', I], ['total_fen', I], ['idempotency_key', T], ['status', T], ['created_at', TS]] as const;
const TRADE_COLUMNS = [['id', T], ['instrument_id', T], ['seq', I], ['ordinal', I], ['buyer_org_id', T], ['seller_org_id', T], ['buy_order_id', T], ['sell_order_id', T], ['fen_per_kg', I], ['grams', I], ['at', TS], ['on_net_terms', 'boolean']] as const;
const OUTBOX_COLUMNS = [['id', T], ['job', T], ['payload', J], ['dedupe_key', T], ['max_attempts', I], ['run_at', TS]] as const;

/** Everything the batch writes, in one statement (data-modifying CTEs; every referenced row exists before it). */
async function writeBatch(tx: DbOrTx, writes: BatchWrites, lotRows: readonly { id: string; reserved_g: number }[], at: string): Promise<void> {
  const parts = [sql`c as (${insertFromJson('market_command', COMMAND_COLUMNS, writes.commands)})`];
  if (writes.fundings.length > 0) parts.push(sql`f as (${insertFromJson('market_funding', FUNDING_COLUMNS, writes.fundings)})`);
  // Fundings and lots are found by key through an array of their ids: planned as a set-returning function
  // (guessed at 100 rows), the fundings were found by scanning every resting net-terms buy instead, a cost
  // that grew with the book.
  if (writes.netTermsReleased.length > 0) {
    parts.push(
      sql`n as (update market_funding set status = 'released', released_at = ${at}::timestamptz where order_id = any(array(select jsonb_array_elements_text(${JSON.stringify(writes.netTermsReleased)}::jsonb))) and method = 'net_terms' and status = 'on_terms')`,
    );
  }
  // A buy released in this batch needs no smaller hold (and one statement may not update its row twice).
  const reduced = [...writes.netTermsReduced].filter(([id]) => !writes.netTermsReleased.includes(id)).map(([id, fen]) => ({ id, fen }));
  if (reduced.length > 0) {
    const rows = JSON.stringify(reduced);
    parts.push(
      sql`a as (update market_funding set amount_fen = amount_fen - v.fen from jsonb_to_recordset(${rows}::jsonb) as v(id text, fen integer)
        where market_funding.order_id = v.id and market_funding.order_id = any(array(select x ->> 'id' from jsonb_array_elements(${rows}::jsonb) as x))
          and market_funding.method = 'net_terms' and market_funding.status = 'on_terms')`,
    );
  }
  if (writes.reservations.length > 0) parts.push(sql`r as (${insertFromJson('stock_reservation', RESERVATION_COLUMNS, writes.reservations)})`);
  if (writes.trades.length > 0) parts.push(sql`t as (${insertFromJson('market_trade', TRADE_COLUMNS, writes.trades)})`);
  if (lotRows.length > 0) {
    // The ids again as an array, so the lots are found by key (see above).
    const rows = JSON.stringify(lotRows);
    parts.push(
      sql`l as (update ${lot} set reserved_g = v.reserved_g from jsonb_to_recordset(${rows}::jsonb) as v(id text, reserved_g integer)
        where ${lot.id} = v.id and ${lot.id} = any(array(select x ->> 'id' from jsonb_array_elements(${rows}::jsonb) as x)))`,
    );
  }
  const jobs = outboxRows(writes.jobs);
  if (jobs.length > 0) parts.push(sql`o as (${insertFromJson('outbox_event', OUTBOX_COLUMNS, jobs, ' on conflict (dedupe_key) do nothing')})`);
  await preparedRows(tx, 'market_batch_write', sql`with ${sql.join(parts, sql`, `)} select 1`);
}

/** One transaction for the batch (see the file comment), run again once if a cached book was behind the log. */
async function runBatch(db: Db, batch: readonly Pending[]): Promise<void> {
  try {
    await runBatchOnce(db, batch);
  } catch (error) {
    if (!(error instanceof StaleBookError)) throw error;
    await runBatchOnce(db, batch);
  }
}

/** The lots of the sells the batch's cancels and amends name, as `lotOf` knows them. */
function heldLots(batch: readonly Pending[], lotOf: (instrumentId: string, orderId: string) => string | undefined): string[] {
  const held: string[] = [];
  for (const p of batch) {
    const c = (typeof p.input === 'object' && p.input !== null ? p.input : {}) as Record<string, unknown>;
    if ((c.kind !== 'cancel' && c.kind !== 'amend') || typeof c.orderId !== 'string') continue;
    const lotId = lotOf(p.instrumentId, c.orderId);
    if (lotId) held.push(lotId);
  }
  return held;
}

/** What the batch's commands name that `market_batch_start` must lock or read: their instruments, the lots of sells (placed, or cancelled/amended as the cached books know them) and the net-terms buyers. */
function batchNeeds(batch: readonly Pending[]): { instrumentIds: string[]; lotIds: string[]; buyers: string[] } {
  const lotIds = new Set<string>(heldLots(batch, cachedLotOf));
  const buyers = new Set<string>();
  for (const p of batch) {
    const c = (typeof p.input === 'object' && p.input !== null ? p.input : {}) as Record<string, unknown>;
    if (c.kind === 'place' && c.side === 'sell' && typeof c.lotId === 'string' && c.lotId.length > 0) lotIds.add(c.lotId);
    if (c.kind === 'place' && c.side === 'buy' && c.funding === 'net_terms') buyers.add(p.orgId);
  }
  return { instrumentIds: [...new Set(batch.map((p) => p.instrumentId))].sort(), lotIds: [...lotIds].sort(), buyers: [...buyers].sort() };
}

/** Live pages re-read: each instrument's book and trades, and each party's orders (`market.trade` for an instrument that traded and for the parties to its trades). */
function liveMessages(writes: BatchWrites) {
  const tradedOn = new Set(writes.trades.map((t) => t.instrument_id as string));
  const tradedBy = new Set(writes.trades.flatMap((t) => [t.buyer_org_id as string, t.seller_org_id as string]));
  const instruments = new Set(writes.commands.map((c) => c.instrument_id as string));
  return [
    ...[...instruments].map((id) => ({ topic: liveTopics.marketInstrument(id), kind: tradedOn.has(id) ? 'market.trade' : 'market.book' })),
    ...[...writes.parties].map((party) => ({ topic: liveTopics.marketOrg(party), kind: tradedBy.has(party) ? 'market.trade' : 'market.order' })),
  ];
}

async function runBatchOnce(db: Db, batch: readonly Pending[]): Promise<void> {
  const outcomes: Outcome[] = [];
  /** The books taken from the cache, and those a command was applied to (dropped if the transaction fails). */
  const taken = new Map<string, MarketBook>();
  const changed = new Set<string>();
  try {
    await db.transaction(async (tx) => {
      const needs = batchNeeds(batch);
      const start = await startBatch(tx, needs.instrumentIds, batch, needs.lotIds, needs.buyers, new Date());
      const { instruments, answered, lots, credit } = start;
      // The clock is read under the locks, so acceptance times rise with each log's sequence.
      const now = new Date();
      for (const ins of instruments.values()) taken.set(ins.id, await takeBookAt(tx, ins.id, ins.lastSeq));
      const unlocked = heldLots(batch, (instrumentId, orderId) => taken.get(instrumentId)?.lotOf(orderId)).find((lotId) => !lots.has(lotId));
      if (unlocked) throw new StaleBookError(`lot ${unlocked} was not locked: a cached book was behind the log`);
      const writes = new BatchWrites();
      for (const p of batch) {
        const earlier = answered.get(`${p.orgId}\u0000${p.key}`);
        try {
          if (earlier) {
            outcomes.push({ ok: true, answer: answerOrConflict(earlier, p.instrumentId, p.input) });
            continue;
          }
          const ins = instruments.get(p.instrumentId);
          const book = taken.get(p.instrumentId);
          if (!ins || !book) throw new AppError('NOT_FOUND', msg('market.instrumentNotFound'), { field: 'instrumentId' });
          if (ins.status !== 'active') throw new AppError('CONFLICT', msg('market.instrumentHalted'), { field: 'instrumentId' });
          changed.add(ins.id);
          outcomes.push({ ok: true, answer: acceptCommand(p, { ins, book, lots, credit, now, writes }) });
        } catch (error) {
          if (!isAppError(error)) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      if (writes.commands.length === 0) return;
      const lotRows = await changedLots(tx, lots, writes);
      if (writes.tradeIds.length > 0) writes.jobs.push({ job: tradeOrdersJob, payload: { tradeIds: writes.tradeIds } });
      const at = now.toISOString();
      writes.jobs.push({ job: livePublishManyJob, payload: { messages: liveMessages(writes), at } });
      await writeBatch(tx, writes, lotRows, at);
    });
  } catch (error) {
    // A book the failed transaction changed is dropped (the next batch replays the log); an untouched one is kept.
    for (const [id, book] of taken) if (!changed.has(id)) putBack(book);
    throw error;
  }
  for (const book of taken.values()) putBack(book);
  for (const [i, p] of batch.entries()) {
    const outcome = outcomes[i]!;
    if (outcome.ok) p.resolve(outcome.answer);
    else p.reject(outcome.error);
  }
}
