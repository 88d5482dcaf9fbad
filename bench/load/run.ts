/**
 * `npm run bench:load`: the built app under load over loopback (autocannon, 64 connections) for three
 * kinds of work — catalogue search (`catalog.search`, what the catalogue page asks), order placement
 * (add to cart + checkout, a fresh idempotency key per order, one buyer organisation per connection)
 * and prescription submission (a physician signs an e-prescription, a fresh idempotency key each) —
 * each over (a) tRPC through `next start`, (b) a bare Next route handler calling the same service with
 * the same session lookup (/api/bench/…, served only with BENCAO_BENCH_ROUTES=1), and for search
 * (c) the search's own SQL replayed from a node:http server in this process, and (d) the Next floor: a
 * route handler answering a fixed body with no session or database (/api/bench/floor), the most any
 * route can do through `next start` on this machine; with PostgreSQL also (e) tRPC on node:http: the
 * tRPC search through the same route handler served by a bare node:http server (what Next's router costs).
 *
 * Builds when `.next/BUILD_ID` is missing; migrates and seeds a fresh database (a throwaway database
 * on DATABASE_URL's server, else a fresh PGlite directory) and removes it at the end. The paths of a
 * kind all warm up, then each is measured. Env: BENCH_LOAD_SECONDS (default 10), BENCH_LOAD_WARMUP_SECONDS
 * (default 3), BENCH_LOAD_KINDS (comma-separated kinds, default all: search, order placement,
 * prescription submission), BENCH_LOAD_CPU_PROFILE_DIR (the server writes a V8 CPU profile there); the server delivers no jobs unless BENCAO_RUN_JOBS=1. Prints a table and writes
 * bench/results/load.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from '../lib/report.ts';
import { freshDatabase, migrateAndSeed, type LoadDatabase } from './database.ts';
import { prepareFixtures, recordSearchStatements, type LoadFixtures } from './fixtures.ts';
import { loadKindsFromEnv, loadRatios, loadRow, loadTargetChecks, type LoadRow } from './load.core.ts';
import { startRawSqlServer } from './raw-sql.ts';
import { cannon, CATALOGUE_SEARCHES, loadScenarios, preflight, type LoadScenario } from './scenarios.ts';
import { buildIfMissing, startNext, startTrpcOnNodeHttp, type RunningServer } from './server.ts';

const CONNECTIONS = 64;
const PORT = 3131;
const ORIGIN = `http://127.0.0.1:${PORT}`;
/** The tRPC route handler on a bare node:http server (PostgreSQL only: PGlite allows one process). */
const NODE_HTTP_PORT = 3132;

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 600) throw new Error(`${name}: must be a whole number of seconds from 1 to 600`);
  return value;
}

/** The server gets the environment this process was started with; this process's own log lines stay quiet. */
const inheritedEnv = { ...process.env };
process.env.LOG_LEVEL ??= 'warn';
/** The server delivers no jobs unless asked to (as web replicas run): what one scenario enqueues would otherwise be delivered during the next ones and blur their figures. */
const runJobs = inheritedEnv.BENCAO_RUN_JOBS ?? '0';
const seconds = secondsFromEnv('BENCH_LOAD_SECONDS', 10);
const warmup = secondsFromEnv('BENCH_LOAD_WARMUP_SECONDS', 3);
const kinds = loadKindsFromEnv(process.env.BENCH_LOAD_KINDS);
const say = (line: string) => process.stderr.write(`load bench: ${line}\n`);

/** Preflight (one operation, every answer 2xx), then the warm-up run. */
async function warmUp(scenario: LoadScenario, server: RunningServer | null, origin = ORIGIN): Promise<void> {
  await preflight(origin, scenario);
  say(`${scenario.kind} over ${scenario.path}: ${warmup} s warm-up`);
  await cannon(origin, scenario, CONNECTIONS, warmup);
  await server?.settle();
}

/** The measured run; `server` (when the load goes to next start) gives its CPU time. */
async function measure(scenario: LoadScenario, server: RunningServer | null, origin = ORIGIN): Promise<LoadRow> {
  say(`${scenario.kind} over ${scenario.path}: ${seconds} s measured`);
  const cpuBefore = server?.cpuSeconds() ?? null;
  const result = await cannon(origin, scenario, CONNECTIONS, seconds);
  const cpuAfter = server?.cpuSeconds() ?? null;
  await server?.settle();
  return loadRow(scenario.kind, scenario.path, result, scenario.requestsPerOp, cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore);
}

/** Fixtures, then search's raw SQL measured from this process (before the server holds the database: PGlite allows one process). */
async function prepareAndMeasureRawSql(database: LoadDatabase): Promise<{ fixtures: LoadFixtures; raw: LoadRow | null }> {
  const open = await database.open();
  try {
    say(`preparing ${CONNECTIONS} buyer organisations, physicians' sessions, deep listings`);
    const fixtures = await prepareFixtures(open, CONNECTIONS);
    if (process.env.MEILI_URL || !kinds.includes('search')) return { fixtures, raw: null };
    const statements = await recordSearchStatements(open, CATALOGUE_SEARCHES);
    const server = await startRawSqlServer(open, statements, PORT);
    try {
      const { raw } = loadScenarios(fixtures);
      await warmUp(raw, null);
      return { fixtures, raw: await measure(raw, null) };
    } finally {
      await server.close();
    }
  } finally {
    await open.close();
  }
}

/** The tRPC search again, through the same route handler on a bare node:http server (no Next router). */
async function measureTrpcOnNodeHttp(paths: readonly LoadScenario[], env: NodeJS.ProcessEnv, logFile: string): Promise<LoadRow> {
  const trpc = paths.find((scenario) => scenario.path === 'tRPC');
  if (!trpc) throw new Error('no tRPC search scenario');
  const scenario: LoadScenario = { ...trpc, path: 'tRPC on node:http' };
  const origin = `http://127.0.0.1:${NODE_HTTP_PORT}`;
  say(`starting the tRPC route handler on node:http at ${origin}`);
  const server = await startTrpcOnNodeHttp(NODE_HTTP_PORT, env, logFile);
  try {
    await warmUp(scenario, server, origin);
    return await measure(scenario, server, origin);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  await buildIfMissing();
  const database = await freshDatabase();
  let server: RunningServer | null = null;
  const cleanUp = async () => {
    await server?.stop();
    server = null;
    await database.drop();
  };
  const interrupted = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the server and removing the database`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const rows: LoadRow[] = [];
  const logFile = join(database.workDir, 'next.log');
  try {
    say(`database: ${database.label}; migrating and seeding the demo world`);
    const appEnv: NodeJS.ProcessEnv = {
      ...database.env,
      NODE_ENV: 'production',
      BENCAO_DEMO: '1',
      BENCAO_BENCH_ROUTES: '1',
      BENCAO_RUN_JOBS: runJobs,
      PORT: String(PORT),
      APP_URL: ORIGIN,
    };
    // This process's own code (fixtures, auth cookies) must see the same database and settings as the server.
    Object.assign(process.env, { ...database.env, BENCAO_DEMO: '1', APP_URL: ORIGIN });
    await migrateAndSeed(database);
    const { fixtures, raw } = await prepareAndMeasureRawSql(database);
    say(`starting next start on ${ORIGIN}`);
    server = await startNext(PORT, { ...inheritedEnv, ...appEnv }, logFile);
    // Every path of a kind is warmed up before any is measured: the service code they share is as
    // warm (compiled, caches filled) for the second path as for the first.
    const app = loadScenarios(fixtures).app;
    for (const kind of kinds) {
      const paths = app.filter((scenario) => scenario.kind === kind);
      for (const scenario of paths) await warmUp(scenario, server);
      for (const scenario of paths) rows.push(await measure(scenario, server));
      if (kind === 'search' && raw) rows.push(raw);
      if (kind === 'search' && process.env.DATABASE_URL) rows.push(await measureTrpcOnNodeHttp(paths, { ...inheritedEnv, ...appEnv }, join(database.workDir, 'node-http.log')));
    }
  } catch (error) {
    // The server log goes with the run's directory: show its end first.
    if (existsSync(logFile)) say(`the server log ended with:\n${readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')}`);
    throw error;
  } finally {
    await cleanUp();
  }
  const ratios = loadRatios(rows);
  writeReport({
    name: 'load',
    description: [
      `The built app (next start, production, jobs ${runJobs === '1' ? 'delivered in the web process' : 'left in the outbox (BENCAO_RUN_JOBS=0)'}) under ${CONNECTIONS} connections from autocannon in this process over loopback; every path of a kind warmed up ${warmup} s, then each measured ${seconds} s.`,
      `Database: ${database.label}, seeded with the demo world. Search: catalog.search as the catalogue page asks it (${CATALOGUE_SEARCHES.length} queries in turn, limit 100);`,
      'order placement: add to cart + checkout (2 requests an order, one buyer organisation per connection, a fresh idempotency key each); prescription submission: a physician session signing a 6-herb decocted delivery prescription.',
      'bare route = a Next route handler with the same session lookup and permission check calling the same service; raw SQL = the search service\'s own statements replayed on the driver from node:http, no session; Next floor = a Next route handler answering a fixed JSON body (no session, no database); tRPC on node:http = the same tRPC route handler served by a bare node:http server (PostgreSQL only).',
      'server CPU ms/req = CPU time of the next start process over the measured run ÷ requests (database CPU not included): steadier than req/s when other work shares the machine.',
    ].join(' '),
    rows: rows.map((r) => ({ ...r })),
    ratios,
    checks: { database: database.label, connections: CONNECTIONS, 'measured s': seconds, 'warm-up s': warmup, ...loadTargetChecks(rows, ratios) },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`load bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
