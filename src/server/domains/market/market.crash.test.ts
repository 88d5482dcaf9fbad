/**
 * Crash recovery of the spot market's write path: "on start the book is rebuilt from the log and equals
 * the book before the crash". A writer process (testing/market-writer.child.ts) submits seeded order
 * flows of four organisations on three instruments through `submitCommand`, printing every answer; the
 * test SIGKILLs it after N answers (N differs per run, the kill lands with other commands in flight),
 * three times, then lets a fourth writer run to the end. After each writer dies the test checks, from
 * the tables alone (book cache cleared, as after a restart):
 *   (a) every answered command is in the log with its seq, order id, answer and trades — nothing
 *       acknowledged was lost;
 *   (b) each instrument's seqs are 1..n without a gap;
 *   (c) each answered command is logged as the writer sent it (its side, quantity, price, tif, order
 *       id; the platform adds a sell's lot attributes and a net-terms buy's sellers); a fresh MarketBook
 *       fed the log in seq order — the answered prefix plus any logged-but-unanswered tail — gives every
 *       command the trades and resting quantity it was answered with (so it passes through the writer's
 *       book at each answer), and its final book equals `rebuildBook`, `bookSnapshot` after a cache clear
 *       and what the next, restarted writer process serves first;
 *   (d) stock is conserved: each lot's reserved grams = the open grams of its resting sell orders +
 *       the grams of the held reservations its trades created (`market:<tradeId>`, one per trade), and
 *       never more than its quantity;
 *   (e) the restarted writer first resends the killed writer's unanswered commands with their keys: a
 *       command that had committed is answered from the log (not applied twice), one that had not is
 *       applied now; then it carries on and its seqs continue the log.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.ts';
import { sqlRows } from '../../db/client.ts';
import { lot, marketCommand, marketTrade, stockReservation } from '../../db/schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { herbIdFor, upsertHerbMasterData } from '../catalog/herbs.seed.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import { MarketBook, type CommandAnswer, type MarketCommandInput } from './market.core.ts';
import { bookSnapshot, clearBookCache, createInstrument, rebuildBook } from './market.service.ts';
import { addMarketLot, addMarketOrg, grantNetTermsAmong } from './market.testkit.ts';
import type { BookSnapshot, MatchCommand } from './order-book.core.ts';
import { seededRandom } from '../../../lib/prng.ts';
import type { WriterConfig, WriterSubmitter } from './testing/market-writer.child.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./testing/market-writer.child.ts', import.meta.url));
/** Fixed so a failure reproduces; MARKET_CRASH_SEED picks other kill points. */
const SEED = Number(process.env.MARKET_CRASH_SEED ?? 20_250_611);
const KILLED_RUNS = 3;
const LOT_G = 150_000;
/** A killed writer is given more than it can send before its kill point. */
const KILLED_PER_SUBMITTER = 2000;
const FINAL_PER_SUBMITTER = 10;
const WRITER_TIMEOUT_MS = 20_000;
/** A killed writer waits up to this long between a commit and printing its answer, so kills also land in that window. */
const ANSWER_DELAY_MS = 20;

type Line =
  | { t: 'snapshot'; instrumentId: string; book: BookSnapshot & { seq: number } }
  | { t: 'retry'; w: number; instrumentId: string; input: MarketCommandInput; answer?: CommandAnswer; code?: string }
  | { t: 'ready' }
  | { t: 'send'; w: number; n: number; instrumentId: string; input: MarketCommandInput }
  | { t: 'ack'; w: number; n: number; instrumentId: string; answer: CommandAnswer }
  | { t: 'refused'; w: number; n: number; code: string; message: string }
  | { t: 'done' }
  | { t: 'error'; message: string };

interface WriterRun {
  lines: Line[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  killed: boolean;
}

/** Runs a writer; with `killAfter`, SIGKILLs it once it has printed that many stream answers (after a short seeded delay). */
function runWriter(config: WriterConfig, appName: string, killAfter: { acks: number; delayMs: number } | null): Promise<WriterRun> {
  const url = new URL(config.databaseUrl);
  url.searchParams.set('application_name', appName);
  const env = { ...process.env, MARKET_WRITER_CONFIG: JSON.stringify({ ...config, databaseUrl: url.toString() }) };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  let buffered = '';
  let stderr = '';
  let acks = 0;
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    child.kill('SIGKILL');
  };
  const guard = setTimeout(kill, WRITER_TIMEOUT_MS);
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let at: number;
    while ((at = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      const line = JSON.parse(text) as Line;
      lines.push(line);
      if (line.t === 'ack' && killAfter && ++acks === killAfter.acks) {
        if (killAfter.delayMs === 0) kill();
        else setTimeout(kill, killAfter.delayMs);
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  // A line torn by the kill (no newline yet) was never printed in full: it is not an answer.
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ lines, code, signal, stderr, killed });
    });
  });
}

/**
 * The part of the core command an answered input determines (from what the writer sent and was told);
 * the platform adds the rest (a sell's lot attributes, a net-terms buy's sellers).
 */
function commandOf(instrumentId: string, input: MarketCommandInput, answer: CommandAnswer): Record<string, unknown> {
  switch (input.kind) {
    case 'place':
      return { type: 'limit', id: answer.orderId, instrument: instrumentId, side: input.side, qtyG: input.qtyG, fenPerKg: input.fenPerKg, tif: input.tif };
    case 'cancel':
      return { type: 'cancel', id: input.orderId };
    case 'amend':
      return { type: 'amend', id: input.orderId, qtyG: input.qtyG };
  }
}

/** `command` restricted to the keys of `like`. */
function restrict(command: unknown, like: Record<string, unknown>): Record<string, unknown> {
  const c = command as Record<string, unknown>;
  return Object.fromEntries(Object.keys(like).map((k) => [k, c[k]]));
}

interface Answered {
  instrumentId: string;
  input: MarketCommandInput;
  answer: CommandAnswer;
}

// The writer is a separate process on the same database, so this needs PostgreSQL: an in-memory PGlite
// (what createTestDb gives without DATABASE_URL) cannot be shared between processes. Skipped when
// DATABASE_URL is unset; CI sets it.
describe.skipIf(!process.env.DATABASE_URL)('market write path: SIGKILL mid-stream, restart from the log', () => {
  let handle: DbHandle;
  let databaseUrl: string;
  const instruments: string[] = [];
  const submitters: WriterSubmitter[] = [];
  const lotIds: string[] = [];

  beforeAll(async () => {
    handle = await createTestDb();
    const [{ name }] = (await sqlRows<{ name: string }>(handle.db, sql`select current_database() as name`)) as [{ name: string }];
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    await upsertHerbMasterData(handle.db);
    const operator = await addMarketOrg(handle.db, 'operator');
    const members: Actor[] = [];
    for (const kind of ['grower', 'supplier', 'hospital', 'hospital']) members.push(await addMarketOrg(handle.db, kind));
    await grantNetTermsAmong(handle.db, members);
    const specs = [
      { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' },
      { form: 'raw', cut: 'none', processing: 'raw', grade: 'selected' },
      { form: 'raw', cut: 'none', processing: 'raw', grade: 'graded' },
    ] as const;
    for (const spec of specs) instruments.push((await createInstrument(handle.db, operator, { herbId: herbIdFor('黄芪'), ...spec })).id);
    for (const member of members) {
      const lots: Record<string, string> = {};
      for (const [i, spec] of specs.entries()) {
        lots[instruments[i]!] = await addMarketLot(handle.db, member, '黄芪', spec, LOT_G, '甘肃陇西');
        lotIds.push(lots[instruments[i]!]!);
      }
      submitters.push({ orgId: member.orgId!, userId: member.userId!, lots });
    }
  });
  afterAll(async () => handle?.close());

  /** Waits until the database has no session of the writer left (a dead client's open transaction is rolled back). */
  async function writerSessionsGone(appName: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const [row] = await sqlRows<{ n: number }>(handle.db, sql`select count(*)::int as n from pg_stat_activity where application_name = ${appName}`);
      if (row!.n === 0) return;
      if (Date.now() > deadline) throw new Error(`${row!.n} session(s) of ${appName} still open`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  // Bounded by counts (three kills after 20–79 answers, then 4 × 10 commands): ~12 s alone; the limit
  // leaves room for a loaded machine (each writer is also cut off after WRITER_TIMEOUT_MS).
  it('loses no acknowledged command, replays to the same book, conserves stock and carries on after each kill', { timeout: 120_000 }, async () => {
    const started = Date.now();
    const rand = seededRandom(SEED);
    const violations: string[] = [];
    const answered = new Map<string, Answered>();
    /** What the tables said after the previous writer died: each instrument's book, last seq, and the logged keys. */
    let before: { books: Map<string, BookSnapshot & { seq: number }>; keys: Map<string, string>; unanswered: number } | null = null;
    let retryPending: WriterConfig['retry'] = [];
    const totals = { acked: 0, refused: 0, unackedTail: 0, retried: 0, retryReplayed: 0, retryApplied: 0, retryRefused: 0, commands: 0, trades: 0 };
    const killPoints: number[] = [];
    let writerMs = 0;
    const timedWriter = async (...args: Parameters<typeof runWriter>) => {
      const t0 = Date.now();
      const run = await runWriter(...args);
      writerMs += Date.now() - t0;
      return run;
    };

    /** Checks (a)–(d) against the tables; answers what the next writer must serve and which keys are logged. */
    async function verify(label: string): Promise<NonNullable<typeof before>> {
      clearBookCache();
      const books = new Map<string, BookSnapshot & { seq: number }>();
      const keys = new Map<string, string>();
      const lotOfOrder = new Map<string, string>();
      const openByLot = new Map<string, number>();
      const tradeLots: { id: string; lotId: string; grams: number; buyerOrgId: string; sellerOrgId: string }[] = [];
      let unanswered = 0;
      for (const instrumentId of instruments) {
        const rows = await handle.db.select().from(marketCommand).where(eq(marketCommand.instrumentId, instrumentId)).orderBy(asc(marketCommand.seq));
        const trades = await handle.db.select().from(marketTrade).where(eq(marketTrade.instrumentId, instrumentId)).orderBy(asc(marketTrade.seq), asc(marketTrade.ordinal));
        const tradesBySeq = new Map<number, typeof trades>();
        for (const t of trades) tradesBySeq.set(t.seq, [...(tradesBySeq.get(t.seq) ?? []), t]);
        const byId = new Map(rows.map((r) => [r.id, r]));
        // (b) gapless.
        rows.forEach((r, i) => {
          if (r.seq !== i + 1) violations.push(`${label} ${instrumentId}: seq ${r.seq} at position ${i + 1}`);
        });
        // (a) every answered command is logged as answered.
        for (const a of answered.values()) {
          if (a.instrumentId !== instrumentId) continue;
          const row = byId.get(a.answer.commandId);
          if (!row) {
            violations.push(`${label} ${instrumentId}: acknowledged command ${a.answer.commandId} (seq ${a.answer.seq}) is not in the log`);
            continue;
          }
          if (row.seq !== a.answer.seq || row.orderId !== a.answer.orderId) violations.push(`${label} ${instrumentId}: ${row.id} logged as seq ${row.seq}/${row.orderId}, answered ${a.answer.seq}/${a.answer.orderId}`);
          if (!isDeepStrictEqual(row.answer, a.answer)) violations.push(`${label} ${instrumentId}: seq ${row.seq} stored answer differs from the one given`);
          const sent = commandOf(instrumentId, a.input, a.answer);
          if (!isDeepStrictEqual(restrict(row.command, sent), sent)) violations.push(`${label} ${instrumentId}: seq ${row.seq} logged command differs from the input sent`);
        }
        // (c) a fresh book fed the log in seq order (its answered entries were just matched against the
        // writer's inputs) must give every command the trades and resting quantity it was answered with.
        const replay = new MarketBook(instrumentId);
        for (const row of rows) {
          if (!answered.has(row.id)) unanswered += 1;
          const command = row.command as MatchCommand;
          let fills;
          try {
            fills = replay.apply({ seq: row.seq, orgId: row.orgId, command });
          } catch (error) {
            violations.push(`${label} ${instrumentId}: replay failed at seq ${row.seq}: ${(error as Error).message}`);
            break;
          }
          const logged = row.answer as CommandAnswer;
          if (!isDeepStrictEqual(fills, logged.trades)) violations.push(`${label} ${instrumentId}: seq ${row.seq} replays to other trades than it answered`);
          if (replay.openQty(row.orderId) !== logged.restingQtyG) violations.push(`${label} ${instrumentId}: seq ${row.seq} replays to ${replay.openQty(row.orderId)} g resting, answered ${logged.restingQtyG}`);
          const stored = (tradesBySeq.get(row.seq) ?? []).map((t) => ({
            ordinal: t.ordinal,
            buyOrderId: t.buyOrderId,
            sellOrderId: t.sellOrderId,
            buyerOrgId: t.buyerOrgId,
            sellerOrgId: t.sellerOrgId,
            qtyG: t.grams,
            fenPerKg: t.fenPerKg,
          }));
          if (!isDeepStrictEqual(stored, logged.trades)) violations.push(`${label} ${instrumentId}: seq ${row.seq} market_trade rows differ from its answer`);
          keys.set(`${row.orgId}|${row.idempotencyKey}`, row.id);
          if (row.kind === 'place' && row.lotId) lotOfOrder.set(row.orderId, row.lotId);
        }
        const rebuilt = await rebuildBook(handle.db, instrumentId);
        const expected = { ...replay.snapshot(), seq: replay.seq };
        if (!isDeepStrictEqual({ ...rebuilt.snapshot(), seq: rebuilt.seq }, expected)) violations.push(`${label} ${instrumentId}: rebuilt book differs from the replay of the answered commands`);
        const served = await bookSnapshot(handle.db, instrumentId);
        if (!isDeepStrictEqual(served, expected)) violations.push(`${label} ${instrumentId}: bookSnapshot after a cache clear differs from the replay`);
        books.set(instrumentId, expected);
        for (const row of rows) {
          const lotId = row.kind === 'place' ? row.lotId : null;
          if (lotId) openByLot.set(lotId, (openByLot.get(lotId) ?? 0) + rebuilt.openQty(row.orderId));
        }
        for (const t of trades) {
          const lotId = lotOfOrder.get(t.sellOrderId);
          if (!lotId) violations.push(`${label} ${instrumentId}: trade ${t.id} sells order ${t.sellOrderId} with no lot`);
          else tradeLots.push({ id: t.id, lotId, grams: t.grams, buyerOrgId: t.buyerOrgId, sellerOrgId: t.sellerOrgId });
        }
      }
      // (d) stock conservation per lot.
      const lots = await handle.db.select({ id: lot.id, quantityG: lot.quantityG, reservedG: lot.reservedG }).from(lot).where(inArray(lot.id, lotIds));
      const reservations = await handle.db.select().from(stockReservation).where(inArray(stockReservation.lotId, lotIds));
      const byKey = new Map(reservations.map((r) => [r.idempotencyKey, r]));
      const heldByLot = new Map<string, number>();
      for (const r of reservations) {
        if (!r.idempotencyKey.startsWith('market:')) violations.push(`${label}: reservation ${r.id} on lot ${r.lotId} is not a market fill`);
        else if (r.status === 'held') heldByLot.set(r.lotId, (heldByLot.get(r.lotId) ?? 0) + r.grams);
      }
      for (const t of tradeLots) {
        const r = byKey.get(`market:${t.id}`);
        if (!r) violations.push(`${label}: trade ${t.id} has no reservation`);
        else if (r.lotId !== t.lotId || r.grams !== t.grams || r.buyerOrgId !== t.buyerOrgId || r.sellerOrgId !== t.sellerOrgId || r.status !== 'held') {
          violations.push(`${label}: reservation of trade ${t.id} is ${r.grams} g on ${r.lotId} (${r.status}), trade is ${t.grams} g on ${t.lotId}`);
        }
      }
      if (reservations.length !== tradeLots.length) violations.push(`${label}: ${reservations.length} reservations for ${tradeLots.length} trades`);
      for (const l of lots) {
        const expectedReserved = (openByLot.get(l.id) ?? 0) + (heldByLot.get(l.id) ?? 0);
        if (l.reservedG !== expectedReserved) violations.push(`${label}: lot ${l.id} reserves ${l.reservedG} g, resting sells + fills hold ${expectedReserved} g`);
        if (l.reservedG > l.quantityG) violations.push(`${label}: lot ${l.id} reserves ${l.reservedG} g of ${l.quantityG} g`);
      }
      totals.trades = tradeLots.length;
      totals.commands = [...books.values()].reduce((s, b) => s + b.seq, 0);
      return { books, keys, unanswered };
    }

    /** Takes in one writer's lines: checks its start snapshot and resends, records its answers; answers the unanswered sends. */
    function absorb(label: string, run: WriterRun, expectDone: boolean): WriterConfig['retry'] {
      const sent = new Map<string, { w: number; instrumentId: string; input: MarketCommandInput }>();
      let snapshots = 0;
      for (const line of run.lines) {
        switch (line.t) {
          case 'snapshot': {
            snapshots += 1;
            const want = before?.books.get(line.instrumentId) ?? { bids: [], asks: [], seq: 0 };
            if (!isDeepStrictEqual(line.book, want)) violations.push(`${label} ${line.instrumentId}: the restarted writer serves ${JSON.stringify(line.book)}, the log rebuilds ${JSON.stringify(want)}`);
            break;
          }
          case 'retry': {
            totals.retried += 1;
            const org = submitters[line.w]!.orgId;
            const loggedBefore = before?.keys.get(`${org}|${line.input.idempotencyKey}`);
            if (line.answer) {
              answered.set(line.answer.commandId, { instrumentId: line.instrumentId, input: line.input, answer: line.answer });
              if (loggedBefore) {
                totals.retryReplayed += 1;
                if (line.answer.commandId !== loggedBefore) violations.push(`${label}: resent key ${line.input.idempotencyKey} was applied again (${line.answer.commandId}, logged ${loggedBefore})`);
              } else totals.retryApplied += 1;
            } else {
              totals.retryRefused += 1;
              if (loggedBefore) violations.push(`${label}: resent key ${line.input.idempotencyKey} was logged but refused (${line.code})`);
            }
            break;
          }
          case 'send':
            sent.set(`${line.w}:${line.n}`, { w: line.w, instrumentId: line.instrumentId, input: line.input });
            break;
          case 'ack': {
            totals.acked += 1;
            const s = sent.get(`${line.w}:${line.n}`);
            sent.delete(`${line.w}:${line.n}`);
            if (!s) violations.push(`${label}: answer ${line.w}:${line.n} before its send`);
            else answered.set(line.answer.commandId, { instrumentId: line.instrumentId, input: s.input, answer: line.answer });
            break;
          }
          case 'refused':
            totals.refused += 1;
            sent.delete(`${line.w}:${line.n}`);
            if (line.code !== 'CONFLICT' && line.code !== 'VALIDATION') violations.push(`${label}: refused with ${line.code}: ${line.message}`);
            break;
          case 'error':
            violations.push(`${label}: writer failed: ${line.message}`);
            break;
          default:
            break;
        }
      }
      if (snapshots !== instruments.length) violations.push(`${label}: the writer served ${snapshots} of ${instruments.length} books at start`);
      const done = run.lines.some((l) => l.t === 'done');
      if (expectDone && (!done || run.code !== 0)) violations.push(`${label}: writer ended with code ${run.code}, signal ${run.signal}, done=${done}: ${run.stderr.slice(0, 2000)}`);
      if (!expectDone && (done || run.signal !== 'SIGKILL')) violations.push(`${label}: writer was not killed mid-stream (code ${run.code}, signal ${run.signal}, done=${done}): ${run.stderr.slice(0, 2000)}`);
      return [...sent.values()];
    }

    const config = (runTag: string, perSubmitter: number, answerDelayMs: number): WriterConfig => ({
      databaseUrl,
      seed: SEED + runTag.length * 7919 + runTag.charCodeAt(runTag.length - 1),
      runTag: `${SEED}-${runTag}`,
      instruments,
      submitters,
      perSubmitter,
      answerDelayMs,
      retry: retryPending,
    });

    for (let r = 0; r < KILLED_RUNS; r += 1) {
      const label = `run ${r + 1}`;
      const acks = 20 + Math.floor(rand() * 60);
      const delayMs = Math.floor(rand() * 4);
      killPoints.push(acks);
      const appName = `market-writer-${r}`;
      const run = await timedWriter(config(`r${r}`, KILLED_PER_SUBMITTER, ANSWER_DELAY_MS), appName, { acks, delayMs });
      await writerSessionsGone(appName);
      retryPending = absorb(label, run, false);
      before = await verify(label);
      // Committed commands nobody was told about: the tail the kill cut off (earlier tails were answered by the resends).
      totals.unackedTail += before.unanswered;
    }

    const appName = 'market-writer-final';
    const finalRun = await timedWriter(config('final', FINAL_PER_SUBMITTER, 0), appName, null);
    await writerSessionsGone(appName);
    absorb('final run', finalRun, true);
    const previous = before!;
    const after = await verify('final run');
    // (e) the restarted writer's commands continue each instrument's log, and all of them were answered.
    for (const instrumentId of instruments) {
      const from = previous.books.get(instrumentId)!.seq;
      const to = after.books.get(instrumentId)!.seq;
      const answeredNow = [...answered.values()].filter((a) => a.instrumentId === instrumentId && a.answer.seq > from).map((a) => a.answer.seq);
      answeredNow.sort((x, y) => x - y);
      if (!isDeepStrictEqual(answeredNow, Array.from({ length: to - from }, (_, i) => from + i + 1))) {
        violations.push(`final run ${instrumentId}: seqs ${from + 1}..${to} were not exactly the restarted writer's answers`);
      }
    }
    const finalAnswers = finalRun.lines.filter((l) => l.t === 'ack').length;

    console.info(
      `market crash test: runs=${KILLED_RUNS + 1} kills=${KILLED_RUNS} (after ${killPoints.join('/')} answers) seed=${SEED} answered=${totals.acked} refused=${totals.refused} ` +
        `committed-unanswered=${totals.unackedTail} resent=${totals.retried} (replayed ${totals.retryReplayed}, applied ${totals.retryApplied}, refused ${totals.retryRefused}) ` +
        `log=${totals.commands} trades=${totals.trades} final-run answers=${finalAnswers} violations=${violations.length} in ${((Date.now() - started) / 1000).toFixed(1)} s (writers ${(writerMs / 1000).toFixed(1)} s)`,
    );
    expect(violations).toEqual([]);
    expect(finalAnswers).toBeGreaterThan(0);
  });
});
