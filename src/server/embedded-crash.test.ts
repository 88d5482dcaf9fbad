/**
 * Crash safety of the embedded default, as `npm run demo` runs it: one `next start` on the production
 * build, its database a PGlite directory (BENCAO_DATA_DIR) and its jobs the in-process runner — no
 * DATABASE_URL, no REDIS_URL. A seeded killer SIGKILLs it every 1.5–3.5 s, most often while it holds a
 * committed answer not yet sent (a balancer in front holds answers a little, as in crash-safety.test.ts),
 * and starts it again, while three buyers fill their carts, check out by card with idempotency keys and
 * pay, and the sellers accept and ship; the server's own runner authorises and captures through the
 * payments sandbox it serves, and delivers the sandbox's events to its webhook. A request whose
 * connection is cut is resent unchanged.
 *
 * PGlite lets one process open the directory: the test seeds it before the server first starts, watches
 * the outbox drain over HTTP (the operator's jobs view, as a signed-in operator), and reads the tables
 * only after the server is gone. Then (crash-orders.ts, as for PostgreSQL): exactly the checkouts' orders,
 * each paid-for order authorised and each shipped one captured, one sandbox intent per attempt and one
 * capture per captured order, every payment event delivered once, stock conserved, no outbox row failed
 * or stuck, the audit chain verifying, and one audit entry per order event. It prints one line
 * `embedded crash safety: runs=… kills=… requests=… acknowledged=… violations=…`.
 *
 * Needs the production build: it runs with CRASH_WEB=next (`npm run test:crash-next`, after the e2e
 * stage has built the app) and is skipped, with this reason, otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../lib/prng.ts';
import { sqlRows } from './db/client.ts';
import { verifyAuditChain } from './domains/audit/audit.service.ts';
import { upsertHerbMasterData } from './domains/catalog/herbs.seed.ts';
import { authSecret } from './env.ts';
import { freePort, ManagedChild, nextStartEntry, sleep, startBalancer, TrpcClient, waitFor, type Balancer } from './testing/crash-cluster.ts';
import { addParty, addSeller, checkCheckouts, checkoutRound, keylessSteps, outboxProblems, type CheckoutRecord, type Party, type Seller } from './testing/crash-orders.ts';
import { createTestApp } from './testing/test-app.ts';
import { openTestDataDir } from './testing/test-db.ts';

const RUN = process.env.CRASH_WEB === 'next';
/** Fixed so a failure reproduces its kill schedule and request mix; CRASH_SEED picks another. */
const SEED = Number(process.env.CRASH_SEED ?? 20_261_206);
/** How long requests keep coming (kills happen during it); the run then drains and checks. */
const STREAM_MS = 30_000;
/** The balancer holds each answer up to this long, so kills also land between a commit and its answer. */
const ANSWER_DELAY_MS = 150;
const LOT_G = 40_000;
/** Jobs due once the stream ends are delivered within this (a restart releases a killed run's leases; retries back off). */
const DRAIN_MS = 120_000;

type OrderView = { id: string; status: string; paymentAttempt: number; sellerOrgId: string };
type JobsView = { jobs: { job: string; status: string; runAt: string }[] };

describe.skipIf(!RUN)('embedded crash safety (PGlite, in-process jobs, next start): a SIGKILLed server, restarted, loses and duplicates nothing', () => {
  let dataDir = '';
  let balancer: Balancer | undefined;
  let web: ManagedChild | undefined;
  const webs: ManagedChild[] = [];
  const sellers: Seller[] = [];
  const buyers: Party[] = [];
  let operatorHeaders: Headers;
  let setupMs = 0;

  beforeAll(async () => {
    const started = Date.now();
    dataDir = mkdtempSync(path.join(tmpdir(), 'bencao-embedded-crash-'));
    const app = await createTestApp({ dataDir });
    try {
      await upsertHerbMasterData(app.handle.db);
      for (const i of [0, 1]) sellers.push(await addSeller(app, `EC-${i}`, LOT_G));
      for (const kind of ['hospital', 'hospital', 'pharmacy'] as const) buyers.push(await addParty(app, kind));
      // The operator signs in (an operator organisation's members may not hold API keys).
      const user = await app.signUp(`operator-${Date.now().toString(36)}@example.cn`);
      await app.makeOperator(user.userId);
      operatorHeaders = user.headers;
    } finally {
      await app.close();
    }
    const port = await freePort();
    balancer = await startBalancer(webs, { answerDelayMs: ANSWER_DELAY_MS });
    web = new ManagedChild(
      'web',
      nextStartEntry(),
      {
        PORT: String(port),
        BENCAO_DATA_DIR: dataDir,
        // The embedded defaults, whatever this process was given.
        DATABASE_URL: '',
        REDIS_URL: '',
        BENCAO_RUN_JOBS: '1',
        APP_URL: `http://127.0.0.1:${balancer.port}`,
        BETTER_AUTH_SECRET: authSecret(),
        LOG_LEVEL: 'error',
      },
      port,
    );
    webs.push(web);
    await web.start();
    setupMs = Date.now() - started;
  }, 180_000);

  afterAll(async () => {
    await web?.stop();
    await balancer?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses and duplicates no order, payment or capture; conserves stock; keeps the audit chain', { timeout: 300_000 }, async () => {
    const started = Date.now();
    const server = web!;
    const violations: string[] = [];
    const notes: string[] = [];
    const checkouts: CheckoutRecord[] = [];
    const kills: string[] = [];
    let replayed = 0;
    const streamEnd = Date.now() + STREAM_MS;
    const client = new TrpcClient(balancer!.port, () => streamEnd + DRAIN_MS);
    const steps = keylessSteps(client, violations);
    const streaming = () => Date.now() < streamEnd;
    /** How long a flow waits for a job's effect: until shortly after the stream (the checks judge the end state). */
    const patience = () => Math.max(1000, streamEnd + 3000 - Date.now());


    // The database is the server's while it runs: the flows read orders over HTTP, as their parties.
    const readOrder = async (party: Party, id: string) => {
      const res = await client.call<OrderView>('orders.order', { id }, party.headers, 'query');
      return res.ok ? res.data : null;
    };
    const every = (party: Party, ids: readonly string[], test: (o: OrderView) => boolean) => async () => {
      for (const id of ids) {
        const o = await readOrder(party, id);
        if (!o || !test(o)) return false;
      }
      return true;
    };

    async function killer(): Promise<void> {
      const rand = seeded(SEED);
      for (;;) {
        await sleep(1500 + Math.floor(rand() * 2000));
        if (!streaming()) return;
        if (!server.up) continue;
        // Most kills wait for an answer whose transaction committed and which the client has not received.
        const why = rand() < 0.6 ? await server.nextAnswer(2000) : 'random';
        if (why === null) continue;
        const cut = balancer!.inFlight(server.port!).length;
        await server.kill();
        kills.push(`${why.replace(/^\/api\/(trpc\/)?/, '').replace(/\/pi_\w+/, '/:id')} (${cut} cut)`);
        await sleep(Math.floor(rand() * 600));
        try {
          await server.start();
        } catch (error) {
          violations.push(`restart failed: ${(error as Error).message}`);
          return;
        }
      }
    }

    async function orderLoop(b: number): Promise<void> {
      const rand = seeded(SEED * 31 + b);
      const buyer = buyers[b]!;
      for (let round = 0; streaming(); round += 1) {
        const placed = await checkoutRound(client, buyer, sellers, rand, `embedded-chk-${SEED}-${b}-${round}`, checkouts, violations);
        if (!placed) continue;
        const { rec, ids } = placed;
        const key = rec.key;
        if (placed.replayed) replayed += 1;
        if (!(await steps.step('orders.pay', { checkoutKey: key, outcome: 'confirm' }, buyer.headers, every(buyer, ids, (o) => o.paymentAttempt >= 1)))) continue;
        rec.payAcked = true;
        if (!(await waitFor(every(buyer, ids, (o) => o.status === 'paid'), patience()))) {
          notes.push(`checkout ${key}: not paid during the stream`);
          continue;
        }
        for (const id of ids) {
          if (!streaming()) break;
          const order = await readOrder(buyer, id);
          const seller = sellers.find((s) => s.id === order?.sellerOrgId);
          if (!seller) continue;
          const reached = (statuses: string[]) => every(seller, [id], (o) => statuses.includes(o.status));
          if (!(await steps.step('orders.accept', { id }, seller.headers, reached(['accepted', 'shipped', 'delivered', 'completed'])))) continue;
          if (!(await steps.step('orders.ship', { id }, seller.headers, reached(['shipped', 'delivered', 'completed'])))) continue;
          rec.shipped.add(id);
        }
      }
    }

    await Promise.all([killer(), ...buyers.map((_, b) => orderLoop(b))]);
    const streamMs = Date.now() - started;
    if (!server.up) await server.start();

    // ---- drain: the server's runner delivers every job due by now (the operator's jobs view, over HTTP) --
    const drainStart = Date.now();
    const due = async (status: 'pending' | 'dispatched') => {
      const res = await client.call<JobsView>('operator.jobs', { status, limit: 200 }, operatorHeaders, 'query');
      if (!res.ok) throw new Error(`operator.jobs: ${res.code} ${res.message}`);
      // Later rows are timers (payment windows, expiries).
      return res.data.jobs.filter((j) => Date.parse(j.runAt) <= Date.now() + 10_000).length;
    };
    const drained = await waitFor(async () => (await due('pending')) + (await due('dispatched')) === 0, DRAIN_MS, 500);
    const drainMs = Date.now() - drainStart;
    if (!drained) violations.push(`the outbox did not drain within ${DRAIN_MS / 1000} s after the stream`);
    await server.stop();

    // ---- invariants, from the directory the server left -------------------------------------------
    const checksStart = Date.now();
    const handle = await openTestDataDir(dataDir);
    try {
      const db = handle.db;
      violations.push(...(await outboxProblems(db)));
      const { orders, captured } = await checkCheckouts(db, checkouts, sellers.map((s) => s.lotId), LOT_G, violations);
      const chain = await verifyAuditChain(db);
      if (!chain.ok) violations.push(`audit chain broken at seq ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}`);
      const [pairs] = await sqlRows<{ events: number; audit: number }>(
        db,
        sql`select (select count(*)::int from order_event) as events, (select count(*)::int from audit_log where entity_type = 'order') as audit`,
      );
      if (pairs!.events !== pairs!.audit) violations.push(`${pairs!.events} order events, ${pairs!.audit} order audit entries`);
      for (const e of client.stats.serverErrors) violations.push(`server error: ${e}`);
      if (client.stats.serverErrors.length > 0) for (const l of server.lines.filter((x) => x.t === 'log')) violations.push(`web logged: ${JSON.stringify(l).slice(0, 3000)}`);
      if (client.stats.unanswered > 0) violations.push(`${client.stats.unanswered} request(s) never answered`);

      const s = client.stats;
      const seconds = (ms: number) => (ms / 1000).toFixed(1);
      const startAvgMs = server.startMs.reduce((n, ms) => n + ms, 0) / Math.max(1, server.startMs.length);
      console.info(
        [
          `embedded crash safety: runs=${server.starts} kills=${kills.length} requests=${s.requests} acknowledged=${s.acknowledged} violations=${violations.length} (seed ${SEED}, ${seconds(Date.now() - started + setupMs)} s)`,
          `  kills: ${kills.join(', ') || 'none'}`,
          `  requests: refused=${s.refused} resent=${s.resends} (answered from the cut attempt's commit: replayed ${replayed}, refused as already applied ${steps.appliedByCutAttempt})`,
          `  effects: checkouts=${checkouts.length} orders=${orders.length} captured=${captured} shipped=${checkouts.reduce((n, c) => n + c.shipped.size, 0)} audit-rows=${chain.rows}`,
          `  time: setup ${seconds(setupMs)} s, stream ${seconds(streamMs)} s, drain ${seconds(drainMs)} s, checks ${seconds(Date.now() - checksStart)} s; a restart takes ${startAvgMs.toFixed(0)} ms on average`,
          ...(notes.length ? [`  notes: ${notes.join('; ')}`] : []),
          ...violations.map((v) => `  violation: ${v}`),
        ].join('\n'),
      );
    } finally {
      await handle.close();
    }
    expect(violations).toEqual([]);
    expect(kills.length).toBeGreaterThanOrEqual(3);
    expect(checkouts.some((c) => c.result?.ok)).toBe(true);
  });
});
