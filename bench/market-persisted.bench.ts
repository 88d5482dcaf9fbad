/**
 * Spot market, persisted: accepted commands per second through the service write path with the order
 * log in PostgreSQL, side by side with the baseline measured in the same run — C concurrent loops of
 * bare single-row autocommit INSERTs of a row the size of a `market_command` row into a scratch table
 * (primary key only), each a statement prepared once per connection (`bareInsert`). Target: service path
 * ≥ 1.0× the insert rate.
 *
 * Service path: the batched writer (market.writer.ts), with C and with 64 concurrent submitters (it
 * commits what is queued together, so its rate grows with the clients sending at once), each its own
 * member organisation, each sending a seeded order
 * flow (src/server/domains/market/testing/order-flow.ts: ~15 % cancels and ~7 % amends of its own
 * resting orders — it hears of their fills from the other submitters' answers, as a client does from its
 * live feed —, the rest limit orders, half buys (funded half by card — submitted with a card
 * authorisation of their notional, as `placeOrder` hands over — half on net terms, every organisation
 * granting the others terms, or each buyer getting terms from MARKET_BENCH_TERMS_SELLERS of them) and half sells backed by the organisation's lot, 12 % IOC, prices around a
 * mid so many orders trade) for a fixed wall-clock window, on 1 instrument
 * (every command contends for the same instrument lock) and on 8 (each command on a random one).
 * Latency is per command as the submitter sees it (submit → answer, i.e. after commit).
 *
 * Also profiles one command of each shape at concurrency 1: every SQL statement it sends, from a
 * postgres.js `debug` hook (≈ round trips: the service awaits them one by one), and the client CPU per
 * op — at ~0.4–0.5 ms per statement on this driver, statement count costs client CPU as well as latency.
 *
 * Needs DATABASE_URL (creates a throwaway database on that server, dropped at the end); skipped
 * without it (PGlite is one in-process connection, so neither side would be concurrent).
 *
 * `npm run bench` then runs the 64-submitter variants again with each buyer on net terms from 8 sellers
 * (report `market-persisted-terms-8`), since the default terms (from every other member) are a worst case.
 *
 * Parameterised for other write paths: `runMarketPersistedBench({ createSubmitter, submitterCounts })`.
 * Each variant is timed in MARKET_BENCH_SLICES (default 5) windows alternating with as many of the
 * baseline, and its ratio is to the baseline of its own slices: this machine's speed drifts by tens of
 * per cent over a minute, which a single baseline window before all variants put on the ratio.
 *
 * Environment: MARKET_BENCH_SECONDS (seconds per variant and per its baseline, default 5), MARKET_BENCH_CONCURRENCY (baseline
 * loops, default 8), MARKET_BENCH_SUBMITTERS (one submitter count instead of C and 64),
 * MARKET_BENCH_TERMS_SELLERS (sellers granting each buyer net terms; default every other member).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, integer, timestamp } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { isAppError } from '../src/lib/errors.ts';
import type { Db } from '../src/server/db/client.ts';
import { migrate } from '../src/server/db/migrate.ts';
import * as schema from '../src/server/db/schema/index.ts';
import { herbIdFor, upsertHerbMasterData } from '../src/server/domains/catalog/herbs.seed.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from '../src/server/domains/catalog/products.core.ts';
import type { CommandAnswer, MarketCommandInput } from '../src/server/domains/market/market.core.ts';
import { createInstrument, submitCommand, type SubmitOptions } from '../src/server/domains/market/market.service.ts';
import { addMarketLot, addMarketOrg, grantNetTermsAmong } from '../src/server/domains/market/market.testkit.ts';
import { OrderFlow, submitOptions } from '../src/server/domains/market/testing/order-flow.ts';
import type { Actor } from '../src/server/domains/orgs/orgs.service.ts';
import { percentile, writeReport, type BenchReport, type BenchRow } from './lib/report.ts';

/** A write path under test: the service's `submitCommand`, or e.g. a batching front of it. */
export interface Submitter {
  /** `options`: what the caller hands over with the input (a card buy's authorisation, made before submitting). */
  submit(actor: Actor, instrumentId: string, input: MarketCommandInput, options: SubmitOptions): Promise<CommandAnswer>;
  close?(): Promise<void>;
}

export interface PersistedBenchOptions {
  /** Report name (bench/results/<name>.json). */
  name?: string;
  /** Label of the service-path rows. */
  label?: string;
  /** Builds the write path on the benchmark's database; default: `submitCommand` (the batched writer). */
  createSubmitter?: (db: Db) => Submitter | Promise<Submitter>;
  seconds?: number;
  /** Alternating windows each measurement's seconds are split into (see `alternating`). */
  slices?: number;
  concurrency?: number;
  instrumentCounts?: number[];
  /** Concurrent submitters of the service path (default: the baseline's loops, and 64). */
  submitterCounts?: number[];
  /** Sellers granting each buyer net terms (default: every other member). */
  termsSellersPerBuyer?: number;
  /** Profile the SQL round trips of one command of each shape (default true). */
  profile?: boolean;
}

const LOT_G = 1_000_000_000;
const WARMUP_PER_SUBMITTER = 20;
/** Command shapes the profile runs (each twice, on an instrument of its own). */
const PROFILE_SHAPES = 11;

/** A scratch table shaped like `market_command` (same columns and types, primary key only); see `bareInsert`. */
const scratch = pgTable('bench_insert_scratch', {
  id: text('id').primaryKey(),
  instrumentId: text('instrument_id').notNull(),
  seq: integer('seq').notNull(),
  kind: text('kind').notNull(),
  orderId: text('order_id').notNull(),
  command: jsonb('command').notNull(),
  answer: jsonb('answer').notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  lotId: text('lot_id'),
  orgId: text('org_id').notNull(),
  userId: text('user_id'),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
});

const sampleAnswer: CommandAnswer = {
  commandId: 'mcm_01jzq3v6m2c8k4n5p7r9s1t3v5',
  instrumentId: 'ins_01jzq3v6m2c8k4n5p7r9s1t3v5',
  seq: 123_456,
  kind: 'place',
  orderId: 'mor_01jzq3v6m2c8k4n5p7r9s1t3v5',
  trades: [
    { ordinal: 0, buyOrderId: 'mor_01jzq3v6m2c8k4n5p7r9s1t3v6', sellOrderId: 'mor_01jzq3v6m2c8k4n5p7r9s1t3v5', buyerOrgId: 'organization_01jzq3v6m2c8k4n5p7r9s1t3v7', sellerOrgId: 'organization_01jzq3v6m2c8k4n5p7r9s1t3v8', qtyG: 4300, fenPerKg: 3512 },
  ],
  restingQtyG: 2700,
  acceptedAt: new Date().toISOString(),
};
const sampleCommand = {
  type: 'limit',
  id: sampleAnswer.orderId,
  instrument: sampleAnswer.instrumentId,
  side: 'sell',
  qtyG: 7000,
  fenPerKg: 3498,
  tif: 'GTC',
  attributes: { origin: '甘肃陇西', grade: 1, certificates: [], seller: sampleAnswer.trades[0]!.sellerOrgId },
};
/** A row of the baseline's scratch table: a market_command row of a sell placed with one trade. */
const scratchRow = (w: number, i: number) => ({
  id: `mcm_${w.toString().padStart(2, '0')}${i.toString().padStart(22, '0')}`,
  instrumentId: sampleAnswer.instrumentId,
  seq: i,
  kind: 'place',
  orderId: sampleAnswer.orderId,
  command: sampleCommand,
  answer: sampleAnswer,
  idempotencyKey: `bench-w${w}-${i}`,
  lotId: 'lot_01jzq3v6m2c8k4n5p7r9s1t3v5',
  orgId: sampleAnswer.trades[0]!.sellerOrgId,
  userId: 'user_01jzq3v6m2c8k4n5p7r9s1t3v5',
  acceptedAt: new Date(),
});

/**
 * One bare INSERT of a scratch row (a table shaped like `market_command`: same columns and types, primary
 * key only), prepared once per connection, so an insert is one round trip (Bind, Execute, Sync) and its
 * commit. Through drizzle's query builder the same insert goes unprepared, which postgres.js sends in two
 * round trips (Parse and Describe, then Bind and Execute): about half this rate on this machine, which is
 * why the baseline does not use it.
 */
const bareInsert = (client: postgres.Sql, r: ReturnType<typeof scratchRow>) =>
  client`insert into bench_insert_scratch (id, instrument_id, seq, kind, order_id, command, answer, idempotency_key, lot_id, org_id, user_id, accepted_at)
    values (${r.id}, ${r.instrumentId}, ${r.seq}, ${r.kind}, ${r.orderId}, ${JSON.stringify(r.command)}::jsonb, ${JSON.stringify(r.answer)}::jsonb, ${r.idempotencyKey}, ${r.lotId}, ${r.orgId}, ${r.userId}, ${r.acceptedAt.toISOString()}::timestamptz)`;

interface Recorded {
  connection: number;
  sql: string;
  /** postgres.js sends Parse/Describe first (one more round trip) for a parameterised statement new to the connection. */
  describeFirst: boolean;
  /** performance.now() when the driver sent it. */
  at: number;
}

/** A throwaway database with a postgres.js pool of `max` connections and a statement recorder. */
async function benchDatabase(url: string, max: number) {
  const name = `bencao_b_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const recorder = { on: false, statements: [] as Recorded[], prepared: new Map<number, Set<string>>() };
  const client = postgres(dbUrl.toString(), {
    max,
    onnotice: () => {},
    connection: { application_name: 'bencao-bench' },
    debug: (connection, query, parameters, types) => {
      const signature = `${String(types)}${query}`;
      let seen = recorder.prepared.get(connection);
      if (!seen) recorder.prepared.set(connection, (seen = new Set()));
      const describeFirst = parameters.length > 0 && !seen.has(signature);
      seen.add(signature);
      if (recorder.on) recorder.statements.push({ connection, sql: query, describeFirst, at: performance.now() });
    },
  });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' }) as unknown as Db;
  await migrate({ db, kind: 'postgres', close: async () => {} });
  return {
    db,
    client,
    recorder,
    async close() {
      await client.end({ timeout: 5 });
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** One timed window as measured: its accepted ops' latencies (ms, ascending), refusals, wall time and CPU. */
interface Sample {
  latencies: number[];
  refused: number;
  seconds: number;
  /** This process's CPU (user + system), ms. */
  cpuMs: number;
  /** Every local postgres process's CPU, ms; null where it cannot be read. */
  serverCpuMs: number | null;
}

/** One or more samples summed up. */
interface Window {
  ops: number;
  refused: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** This process's CPU (user + system) per accepted op, ms: the client side's share (query building, driver, matching). */
  cpuMsPerOp: number;
  /** The PostgreSQL server's CPU (all its processes on this machine) per accepted op, ms; null where it cannot be read. */
  serverCpuMsPerOp: number | null;
}

/** CPU seconds (user + system) used so far by every `postgres` process on this machine, from /proc; null off Linux or for a remote server. */
function postgresCpuSeconds(): number | null {
  try {
    const tick = 100; // USER_HZ on Linux
    let total = 0;
    let found = false;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!name.startsWith('postgres')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14–17 of /proc/<pid>/stat (utime, stime, cutime, cstime), counted from the state field as 3.
      total += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      found = true;
    }
    return found ? total / tick : null;
  } catch {
    return null;
  }
}

/** Runs `loop(worker, deadline)` on `workers` in parallel for `seconds`; each call answers the latencies (ms) of its accepted ops and its refusals. */
async function timed(workers: number, seconds: number, loop: (worker: number, deadline: number) => Promise<{ latencies: number[]; refused: number }>): Promise<Sample> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const serverCpu = postgresCpuSeconds();
  const deadline = started + seconds * 1000;
  const results = await Promise.all(Array.from({ length: workers }, (_, w) => loop(w, deadline)));
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    latencies: results.flatMap((r) => r.latencies),
    refused: results.reduce((s, r) => s + r.refused, 0),
    seconds: elapsed,
    cpuMs: (used.user + used.system) / 1000,
    serverCpuMs: serverCpu === null ? null : ((postgresCpuSeconds() ?? serverCpu) - serverCpu) * 1000,
  };
}

/** The samples taken together: ops over their summed wall time, percentiles over all their latencies. */
function summed(samples: readonly Sample[]): Window {
  const latencies = samples.flatMap((w) => w.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((t, w) => t + w.seconds, 0);
  const ops = Math.max(1, latencies.length);
  const serverCpuMs = samples.every((w) => w.serverCpuMs !== null) ? samples.reduce((t, w) => t + w.serverCpuMs!, 0) : null;
  return {
    ops: latencies.length,
    refused: samples.reduce((t, w) => t + w.refused, 0),
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerOp: samples.reduce((t, w) => t + w.cpuMs, 0) / ops,
    serverCpuMsPerOp: serverCpuMs === null ? null : serverCpuMs / ops,
  };
}

/**
 * `seconds` of each of two measurements, taken in `slices` alternating windows (baseline first): the
 * machine's speed drifts by tens of per cent over a minute here, and alternating puts the drift on both
 * sides of the ratio alike instead of on whichever ran in the slower minute.
 */
async function alternating(slices: number, seconds: number, first: (seconds: number) => Promise<Sample>, second: (seconds: number) => Promise<Sample>): Promise<[Sample[], Sample[]]> {
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let k = 0; k < slices; k += 1) {
    a.push(await first(seconds / slices));
    b.push(await second(seconds / slices));
  }
  return [a, b];
}


/** Short, stable text of a statement for the round-trip list. */
function shortSql(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const table = /(?:from|into|update) "([a-z_]+)"/i.exec(flat)?.[1];
  const verb = flat.split(' ')[0]!.toLowerCase();
  const lock = /pg_advisory_xact_lock\((.*)\)/.exec(flat)?.[1];
  if (lock !== undefined) return lock.includes(',') ? 'select pg_advisory_xact_lock(market ns, hashtext(instrument))' : `select pg_advisory_xact_lock(${lock}) — one global lock`;
  if (!table) return flat.slice(0, 60);
  const where = /where (.*?)(?: order by| limit| returning|$)/i.exec(flat)?.[1] ?? '';
  const cols = [...where.matchAll(/"([a-z_]+)"\."([a-z_]+)"|"([a-z_]+)" (?:=|>|in)/g)].map((m) => m[2] ?? m[3]).filter(Boolean);
  const extra = flat.includes('max(') ? ' max(seq)' : flat.includes('inner join') ? ' ⋈ product' : flat.includes('on conflict') ? ' on conflict do nothing' : '';
  return `${verb} ${table}${extra}${cols.length > 0 ? ` by ${[...new Set(cols)].join(', ')}` : ''}`;
}

function specs(count: number) {
  return Array.from({ length: count }, (_, n) => {
    let i = n;
    const pick = <T,>(values: readonly T[]): T => {
      const v = values[i % values.length]!;
      i = Math.floor(i / values.length);
      return v;
    };
    return { grade: pick(PRODUCT_GRADES), form: pick(PRODUCT_FORMS), cut: pick(PRODUCT_CUTS), processing: pick(PRODUCT_PROCESSINGS) };
  });
}

export async function runMarketPersistedBench(options: PersistedBenchOptions = {}): Promise<BenchReport | null> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stdout.write('market-persisted: skipped (set DATABASE_URL to a PostgreSQL server)\n');
    return null;
  }
  const name = options.name ?? 'market-persisted';
  const label = options.label ?? 'submitCommand (batched writer)';
  const seconds = options.seconds ?? Number(process.env.MARKET_BENCH_SECONDS ?? 5);
  const slices = options.slices ?? Number(process.env.MARKET_BENCH_SLICES ?? 5);
  const concurrency = options.concurrency ?? Number(process.env.MARKET_BENCH_CONCURRENCY ?? 8);
  const instrumentCounts = options.instrumentCounts ?? [1, 8];
  // The writer commits what is queued together, so its rate grows with the clients sending at once:
  // measured with as many submitters as baseline loops, and with 64 (many buyers and sellers at once).
  const submitterCounts = options.submitterCounts ?? (process.env.MARKET_BENCH_SUBMITTERS ? [Number(process.env.MARKET_BENCH_SUBMITTERS)] : [concurrency, 64]);
  // Net-terms sellers per buyer: every other member (the default, a worst case: each net-terms buy logs them all) or a number.
  const termsSellers = options.termsSellersPerBuyer ?? (process.env.MARKET_BENCH_TERMS_SELLERS ? Number(process.env.MARKET_BENCH_TERMS_SELLERS) : undefined);
  const bench = await benchDatabase(url, concurrency + 2);
  const db = bench.db;
  const submitter = await (options.createSubmitter ?? ((d: Db): Submitter => ({ submit: (actor, instrumentId, input, submit) => submitCommand(d, actor, instrumentId, input, submit) })))(db);
  try {
    const settings = await bench.client`select current_setting('synchronous_commit') as sc, current_setting('fsync') as fsync, current_setting('server_version') as version`;
    await upsertHerbMasterData(db);
    const operator = await addMarketOrg(db, 'operator');
    const members: Actor[] = [];
    for (let i = 0; i < Math.max(concurrency, ...submitterCounts); i += 1) members.push(await addMarketOrg(db, i % 2 === 0 ? 'supplier' : 'hospital'));
    await grantNetTermsAmong(db, members, termsSellers);
    const allSpecs = specs(submitterCounts.length * instrumentCounts.reduce((s, n) => s + n, 0) + 2 * PROFILE_SHAPES);
    let nextSpec = 0;
    /** `count` new instruments; every member holds a large lot of each. */
    const newInstruments = async (count: number) => {
      const lots = members.map(() => new Map<string, string>());
      const ids: string[] = [];
      for (let k = 0; k < count; k += 1) {
        const spec = allSpecs[nextSpec++]!;
        const { id } = await createInstrument(db, operator, { herbId: herbIdFor('黄芪'), ...spec });
        ids.push(id);
        for (const [m, member] of members.entries()) lots[m]!.set(id, await addMarketLot(db, member, '黄芪', spec, LOT_G, '甘肃陇西'));
      }
      return { ids, lots };
    };

    // Baseline: bare single-row autocommit INSERTs of a market_command-sized row.
    await db.execute(
      sql.raw(
        'create table bench_insert_scratch (id text primary key, instrument_id text not null, seq integer not null, kind text not null, order_id text not null, command jsonb not null, answer jsonb not null, idempotency_key text not null, lot_id text, org_id text not null, user_id text, accepted_at timestamptz not null)',
      ),
    );
    const rowBytes = JSON.stringify(scratchRow(0, 0)).length;
    for (let w = 0; w < concurrency; w += 1) for (let i = 0; i < 5; i += 1) await bareInsert(bench.client, scratchRow(w, -1 - i)); // warm-up
    /** Rows each loop has inserted so far (keys stay unique across windows). */
    const inserted = Array.from({ length: concurrency }, () => 0);
    const baselineWindow = (windowSeconds: number) =>
      timed(concurrency, windowSeconds, async (w, deadline) => {
        const latencies: number[] = [];
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await bareInsert(bench.client, scratchRow(w, inserted[w]!++));
          latencies.push(performance.now() - t0);
        }
        return { latencies, refused: 0 };
      });
    const baselineSamples: Sample[] = [];

    const windowRow = (variant: string, instruments: number | string, workers: number, w: Window, baselinePerSecond: number): BenchRow => ({
      variant,
      instruments,
      concurrency: workers,
      seconds: Number(w.seconds.toFixed(2)),
      ops: w.ops,
      refused: w.refused,
      'ops/s': Math.round(w.perSecond),
      'p50 ms': Number(w.p50.toFixed(2)),
      'p99 ms': Number(w.p99.toFixed(2)),
      'client CPU ms/op': Number(w.cpuMsPerOp.toFixed(2)),
      'server CPU ms/op': w.serverCpuMsPerOp === null ? '—' : Number(w.serverCpuMsPerOp.toFixed(2)),
      'baseline ops/s, same slices': Math.round(baselinePerSecond),
      '÷ baseline': Number((w.perSecond / baselinePerSecond).toFixed(3)),
    });
    const rows: BenchRow[] = [];
    const ratios: Record<string, number> = {};
    const checks: Record<string, string | number | boolean> = {
      server: `PostgreSQL ${settings[0]!.version}, synchronous_commit=${settings[0]!.sc}, fsync=${settings[0]!.fsync}`,
      'baseline row (JSON bytes)': rowBytes,
    };

    for (const submitters of submitterCounts) for (const count of instrumentCounts) {
      const { ids, lots } = await newInstruments(count);
      const flows = members.map((_, m) => new OrderFlow(7919 * count + 104_729 * submitters + m, lots[m]!, `bench-${submitters}-${count}-m${m}`));
      const flowOf = new Map(members.map((member, m) => [member.orgId!, flows[m]!]));
      const refusals = new Map<string, number>();
      const one = async (m: number) => {
        const sent = flows[m]!.next();
        try {
          const answer = await submitter.submit(members[m]!, sent.instrumentId, sent.input, submitOptions(sent.input));
          flows[m]!.answered(sent, answer);
          // The resting orders it traded against leave their owners' lists, as each owner's live feed would tell it.
          for (const fill of answer.trades) {
            const [restingOrderId, owner] = fill.buyOrderId === answer.orderId ? [fill.sellOrderId, fill.sellerOrgId] : [fill.buyOrderId, fill.buyerOrgId];
            flowOf.get(owner)?.filled(sent.instrumentId, restingOrderId, fill.qtyG);
          }
          return true;
        } catch (error) {
          if (!isAppError(error)) throw error;
          const why = `${error.code} ${error.details.field ?? ''}`.trim();
          refusals.set(why, (refusals.get(why) ?? 0) + 1);
          flows[m]!.refused(sent);
          return false;
        }
      };
      await Promise.all(
        members.slice(0, submitters).map(async (_, m) => {
          for (let i = 0; i < WARMUP_PER_SUBMITTER; i += 1) await one(m);
        }),
      );
      const submitWindow = (windowSeconds: number) =>
        timed(submitters, windowSeconds, async (m, deadline) => {
          const latencies: number[] = [];
          let refused = 0;
          while (performance.now() < deadline) {
            const t0 = performance.now();
            if (await one(m)) latencies.push(performance.now() - t0);
            else refused += 1;
          }
          return { latencies, refused };
        });
      const logRows = async () => (await bench.client<{ n: number }[]>`select count(*)::int as n from market_command where instrument_id in ${bench.client(ids)}`)[0]!.n;
      const before = await logRows();
      const [paired, submitted] = await alternating(slices, seconds, baselineWindow, submitWindow);
      baselineSamples.push(...paired);
      const baseline = summed(paired);
      const window = summed(submitted);
      const logged = (await logRows()) - before;
      rows.push(windowRow(label, count, submitters, window, baseline.perSecond));
      const at = `${submitters} submitters, ${count} instrument${count === 1 ? '' : 's'}`;
      ratios[`${label}, ${at} ÷ bare INSERT (ops/s)`] = window.perSecond / baseline.perSecond;
      checks[`${at}: log rows appended in the window = accepted commands`] = logged === window.ops;
      checks[`${at}: refusals (warm-up + window; by code and field)`] = [...refusals].map(([why, n]) => `${why} ×${n}`).join(', ') || 'none';
    }

    const allBaseline = summed(baselineSamples);
    rows.unshift(windowRow('bare single-row INSERT, autocommit (baseline)', '—', concurrency, allBaseline, allBaseline.perSecond));

    let profileText = '';
    if (options.profile ?? true) {
      profileText = await profile(bench, submitter, members, async () => {
        const { ids, lots } = await newInstruments(1);
        return { id: ids[0]!, lots: [lots[0]!.get(ids[0]!)!, lots[1]!.get(ids[0]!)!] };
      }, checks);
    }

    const report: BenchReport = {
      name,
      description:
        `Accepted market commands per second through ${label}, log in PostgreSQL, ${submitterCounts.join(' and ')} concurrent submitters (one organisation each; seeded flow: ~15 % cancels, ~7 % amends of its resting orders as its live feed knows them, ` +
        `the rest limit orders, half of them lot-backed sells, half buys — funded half by card, half on net terms from ${termsSellers === undefined ? 'every other member' : `${termsSellers} sellers each`} — 12 % IOC), ${seconds} s on ${instrumentCounts.join(' and on ')} instrument(s), against ${concurrency} concurrent loops of bare single-row autocommit ` +
        `INSERTs of a market_command-sized row (${rowBytes} B as JSON) into a primary-key-only scratch table, each a statement prepared once per connection (one round trip and its commit), same run, same pool; each variant and its own ${seconds} s of baseline are measured in ${slices} alternating slices, and its ratio is to that baseline (the baseline row sums every slice). Latency = submit → answer (after commit; the trades' orders are written afterwards by the market.trade-orders job, not run here); client CPU = this Node process's user+system CPU per op; server CPU = every local postgres process's user+system CPU per op (from /proc; other work on the machine's PostgreSQL counts too). Target ≥ 1.0×.`,
      rows,
      ratios,
      checks,
    };
    writeReport(report);
    if (profileText) process.stdout.write(`${profileText}\n`);
    return report;
  } finally {
    await submitter.close?.();
    await bench.close();
  }
}

/**
 * Each command shape at concurrency 1: its setup and the command once to prepare every statement on
 * the pool's connections, then again with the command recorded — the statements it sent, in order.
 * Each is a round trip (the service awaits them one by one), except that `netTermsSellers` sends its two
 * queries per credit line together (Promise.all: pipelined on the transaction's connection).
 */
async function profile(
  bench: Awaited<ReturnType<typeof benchDatabase>>,
  submitter: Submitter,
  members: Actor[],
  /** A new instrument with the lots of members 0 and 1 on it. */
  freshInstrument: () => Promise<{ id: string; lots: [string, string] }>,
  checks: Record<string, string | number | boolean>,
): Promise<string> {
  const [a, b] = members as [Actor, Actor];
  let id = '';
  let lotOf = new Map<Actor, string>();
  /** Each run of a shape on an instrument of its own, so no order left by another shape matches. */
  const useFreshInstrument = async () => {
    const fresh = await freshInstrument();
    id = fresh.id;
    lotOf = new Map([
      [a, fresh.lots[0]],
      [b, fresh.lots[1]],
    ]);
  };
  let k = 0;
  const key = () => `profile-${k++}`;
  let funding: 'card' | 'net_terms' = 'card';
  const place = (actor: Actor, side: 'buy' | 'sell', qtyG: number, fenPerKg: number, tif: 'GTC' | 'IOC' = 'GTC') => {
    const input: MarketCommandInput =
      side === 'sell' ? { kind: 'place', idempotencyKey: key(), side, qtyG, fenPerKg, tif, lotId: lotOf.get(actor)! } : { kind: 'place', idempotencyKey: key(), side, qtyG, fenPerKg, tif, funding };
    return submitter.submit(actor, id, input, submitOptions(input));
  };
  const cancel = (actor: Actor) => submitter.submit(actor, id, { kind: 'cancel', idempotencyKey: key(), orderId: resting }, {});
  let resting = '';
  const setupResting = (actor: Actor, side: 'buy' | 'sell', fenPerKg: number) => async () => {
    resting = (await place(actor, side, 1000, fenPerKg)).orderId;
  };

  const onTerms = (run: () => Promise<unknown>) => async () => {
    funding = 'net_terms';
    try {
      await run();
    } finally {
      funding = 'card';
    }
  };
  const shapes: { shape: string; setup?: () => Promise<void>; command: () => Promise<unknown> }[] = [
    { shape: 'place buy (card), rests (no trade)', command: () => place(b, 'buy', 1000, 3000) },
    { shape: 'place buy (net terms), rests (no trade)', command: onTerms(() => place(b, 'buy', 1000, 3000)) },
    { shape: 'place sell, rests (no trade)', command: () => place(a, 'sell', 1000, 5000) },
    { shape: 'place buy (card), 1 trade (fully filled)', setup: setupResting(a, 'sell', 4000), command: () => place(b, 'buy', 1000, 4000) },
    { shape: 'place buy (net terms), 1 trade (fully filled)', setup: setupResting(a, 'sell', 4000), command: onTerms(() => place(b, 'buy', 1000, 4000)) },
    {
      shape: 'place buy (card), 2 trades with 2 sell orders',
      setup: async () => {
        await place(a, 'sell', 1000, 4100);
        await place(a, 'sell', 1000, 4100);
      },
      command: () => place(b, 'buy', 2000, 4100),
    },
    {
      shape: 'place sell, 2 trades with 2 (card) buy orders',
      setup: async () => {
        await place(b, 'buy', 1000, 2900);
        await place(b, 'buy', 1000, 2900);
      },
      command: () => place(a, 'sell', 2000, 2900),
    },
    { shape: 'place sell IOC, no trade (all released)', command: () => place(a, 'sell', 1000, 9000, 'IOC') },
    { shape: 'cancel a resting (card) buy', setup: setupResting(b, 'buy', 1000), command: () => cancel(b) },
    { shape: 'cancel a resting sell', setup: setupResting(a, 'sell', 9000), command: () => cancel(a) },
    {
      shape: 'amend a resting sell down',
      setup: setupResting(a, 'sell', 9000),
      command: () => submitter.submit(a, id, { kind: 'amend', idempotencyKey: key(), orderId: resting, qtyG: 500 }, {}),
    },
  ];
  const lines: string[] = ['## market-persisted: SQL statements per command (steady state, concurrency 1, one run each; ≈ round trips, see above)', ''];
  if (shapes.length !== PROFILE_SHAPES) throw new Error(`PROFILE_SHAPES is ${PROFILE_SHAPES}, there are ${shapes.length} shapes`);
  for (const { shape, setup, command } of shapes) {
    await useFreshInstrument();
    await setup?.();
    await command();
    await useFreshInstrument();
    await setup?.();
    bench.recorder.statements = [];
    bench.recorder.on = true;
    const t0 = performance.now();
    await command();
    const end = performance.now();
    const ms = end - t0;
    bench.recorder.on = false;
    const statements = bench.recorder.statements;
    const extra = statements.filter((s) => s.describeFirst).length;
    lines.push(`### ${shape}: ${statements.length} statements${extra > 0 ? ` (${extra} of them with a describe-first extra trip)` : ''}, ${ms.toFixed(2)} ms`);
    // Until the next statement is sent: the statement's answer plus the client's work before the next.
    const until = (n: number) => (statements[n + 1]?.at ?? end) - statements[n]!.at;
    statements.forEach((s, n) => lines.push(`${n + 1}. ${shortSql(s.sql)}${s.describeFirst ? '  [+describe]' : ''} — ${until(n).toFixed(2)} ms to the next`));
    lines.push('');
    checks[`statements: ${shape}`] = statements.length;
  }
  const rtt = await p50Ms(500, () => bench.client`select 1`);
  const commit = await p50Ms(200, (i) => bareInsert(bench.client, scratchRow(99, i)));
  const built = await p50Ms(200, (i) => bench.db.insert(scratch).values(scratchRow(98, i)));
  lines.push(
    `One round trip (select 1, p50 of 500, same pool): ${rtt.toFixed(3)} ms. One single-row autocommit INSERT alone (commit with WAL flush, p50 of 200): ${commit.toFixed(3)} ms prepared (the baseline's), ${built.toFixed(3)} ms through drizzle (unprepared: two round trips).`,
  );
  checks['one round trip p50 ms (select 1)'] = Number(rtt.toFixed(3));
  checks['one autocommit INSERT at concurrency 1, p50 ms'] = Number(commit.toFixed(3));
  checks['one autocommit INSERT through drizzle at concurrency 1, p50 ms'] = Number(built.toFixed(3));
  return lines.join('\n');
}

async function p50Ms(times: number, op: (i: number) => PromiseLike<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((x, y) => x - y);
  return percentile(samples, 50);
}

/**
 * The default run, then (unless MARKET_BENCH_TERMS_SELLERS chose one already) a second report with 64
 * submitters where each buyer has net terms from 8 sellers: the default gives every buyer terms from
 * every other member (63), a worst case in which each net-terms buy logs, funds and checks 63 lines.
 */
export default async function marketPersistedBench(): Promise<BenchReport | null> {
  const report = await runMarketPersistedBench();
  if (report === null || process.env.MARKET_BENCH_TERMS_SELLERS) return report;
  await runMarketPersistedBench({ name: 'market-persisted-terms-8', termsSellersPerBuyer: 8, submitterCounts: [64], profile: false });
  return report;
}
