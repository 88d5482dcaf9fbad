/**
 * Crash safety of the whole system, with real processes on the real PostgreSQL and Redis: two web
 * replicas behind a round-robin balancer (testing/crash-web.child.ts: the app's own route handlers
 * over node:http; or, with CRASH_WEB=next, `next start` on the production build) and two BullMQ workers (testing/crash-worker.child.ts: the app's job registry),
 * all SIGKILLed at seeded random moments and restarted — most web kills wait until the replica holds a
 * committed answer it has not written yet (the replicas delay answers a little, like a reply on the
 * wire), and a worker dies just after each tender's opening time — while a driver sends a stream of
 * real requests:
 *
 *   - orders: three buyers fill their carts (one or two sellers) and check out with an idempotency key;
 *     most pay by card (the sandbox authorises in the `orders.authorize-payment` job; some are declined
 *     first and paid on the second attempt), some cancel; the sellers accept and ship (capture in the
 *     `orders.capture-payment` job), the buyers confirm delivery;
 *   - tenders: four suppliers submit sealed bids with idempotency keys to three tenders whose bid
 *     deadlines fall inside the stream; the `tenders.open` job opens each one and `tenders.finalize`
 *     awards it;
 *   - prescriptions: a physician submits 四君子汤 with an idempotency key, the hospital pharmacist
 *     approves (routed at once to the nearest pharmacy), the pharmacy rejects (re-routed), lets the offer
 *     time out (the `prescriptions.offer-timeout` job re-routes; the test moves the offer's deadline and
 *     timer to now instead of waiting 15 minutes) or accepts;
 *   - spot market: two sellers and two buyers (on net terms) place crossing limit orders with keys;
 *     matching runs in the web process (both replicas serve the one instrument), the
 *     `market.trade-orders` job turns each trade into an order. (market.crash.test.ts kills the market
 *     writer itself mid-batch; here it is one flow among the others.)
 *
 * A request whose connection is cut (or refused, or times out) is resent unchanged, with the same
 * idempotency key, until answered — a client's retry. A state change without a key (accept, ship,
 * review, …) resent after a cut may be refused because the cut attempt already committed; that counts
 * as applied when the database shows the target state.
 *
 * After the stream every process is brought back, the outbox drains, and the invariants are checked
 * from the tables: every acknowledged request has exactly one effect and nothing unacknowledged has
 * two (orders per checkout key, bids per key, prescriptions per key); one authorisation per payment
 * attempt, one capture per shipped order, every shipped order captured, every sandbox event delivered
 * once; stock conserved (each lot's reserved grams = its held reservations, each held reservation
 * backs exactly one live order line, quantities unchanged); one opening and one award per tender, the
 * award equal to a replay of its stored input over exactly the stored bids, contracts as planned; one
 * routing per offer round, one expiry per timed-out offer, one review per prescription; the market log
 * gapless, replaying to every answer given and to the book the tables rebuild, one order per trade; no
 * outbox row failed or stuck; the audit chain verifies. A 5xx answer is a violation too. It prints one line
 * `crash safety: runs=… kills=… requests=… acknowledged=… violations=…` (runs: process incarnations).
 *
 * Needs both services: skipped (with this reason) when DATABASE_URL or REDIS_URL is unset, because
 * separate processes cannot share an in-memory PGlite and the workers are BullMQ workers. CI sets both.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Queue } from 'bullmq';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRows } from './db/client.ts';
import { authSecret } from './env.ts';
import { outboxEvent, rxOffer } from './db/schema/index.ts';
import { verifyAuditChain } from './domains/audit/audit.service.ts';
import { herbIdFor, upsertHerbMasterData } from './domains/catalog/herbs.seed.ts';
import { MarketBook, type CommandAnswer } from './domains/market/market.core.ts';
import { rebuildBook } from './domains/market/market.books.ts';
import { createInstrument } from './domains/market/market.service.ts';
import { addMarketLot, addMarketOrg, grantNetTermsAmong } from './domains/market/market.testkit.ts';
import type { MatchCommand } from './domains/market/order-book.core.ts';
import { addMember, rxInput, type Member } from './domains/prescriptions/prescriptions.testkit.ts';
import { evaluateTender } from './domains/tenders/evaluation.core.ts';
import { tenderInputSchema } from './domains/tenders/evaluation.types.ts';
import { planContracts } from './domains/tenders/tenders.core.ts';
import { awardLots } from './domains/tenders/tenders.opening.ts';
import { enrolMember } from './domains/tenders/tenders.testkit.ts';
import { QUEUE_NAME } from './jobs/bullmq-runner.ts';
import { seededRandom as seeded } from '../lib/prng.ts';
import { childEntries, deleteRedisKeys, freePort, type ChildEntries, type ChildEntry, ManagedChild, nextStartEntry, sleep, startBalancer, TrpcClient, waitFor, type Balancer, type CallResult } from './testing/crash-cluster.ts';
import { addParty, addSeller, checkCheckouts, checkoutRound, keylessSteps, outboxProblems, type CheckoutRecord, type Party, type PartyKind, type Seller } from './testing/crash-orders.ts';
import { createTestApp, type TestApp } from './testing/test-app.ts';
import { lotInput, productInput } from './testing/catalog-inputs.ts';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
/** Fixed so a failure reproduces its kill schedule and request mix; CRASH_SEED picks another. */
const SEED = Number(process.env.CRASH_SEED ?? 20_250_707);
/** How long requests keep coming (kills happen during it); the run then drains and checks. */
const STREAM_MS = 30_000;
/** The web replicas wait up to this long between a commit and writing its answer, so kills also land in that window. */
const ANSWER_DELAY_MS = 150;
/**
 * The web replicas: `node-http` (the default) serves the app's route handlers from node:http, bundled
 * from the source; `next` runs `next start` on the production build, as production does (`npm test`
 * runs this test that way too, after its e2e stage has built the app). `next start` cannot hold its own
 * answers, so the balancer holds them instead (the same delay, the same kill window).
 */
const WEB_SERVER = process.env.CRASH_WEB === 'next' ? 'next' : 'node-http';
const LOT_G = 40_000;
const TENDERS = 3;
const MARKET_SPEC = { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' } as const;
const MARKET_LOT_G = 500_000;

interface BidRecord {
  tenderId: string;
  lotId: string;
  supplierOrgId: string;
  key: string;
  result: CallResult<{ bidId: string; replayed: boolean }> | null;
}

interface RxRecord {
  key: string;
  id: string | null;
  result: CallResult<{ id: string }> | null;
  reviewed: boolean;
  offers: { offerId: string; action: 'accept' | 'reject' | 'timeout'; done: boolean }[];
}

interface MarketRecord {
  orgId: string;
  key: string;
  result: CallResult<CommandAnswer> | null;
}

interface TenderPlan {
  id: string;
  lots: { id: string; ceilingFenPerKg: number }[];
  bidDeadline: number;
  openingAt: number;
}

interface KillRecord {
  child: string;
  why: string;
  atMs: number;
  /** Web: request lines the kill cut; worker: the job handlers it cut short. */
  cut: string[];
}

// Skipped without DATABASE_URL or REDIS_URL: the processes share one PostgreSQL database (an in-memory
// PGlite is private to its process) and the workers are BullMQ workers on Redis. CI sets both.
describe.skipIf(!DATABASE_URL || !REDIS_URL)(`crash safety (web: ${WEB_SERVER}): SIGKILLed web and worker processes, restarted, lose and duplicate nothing`, () => {
  let app: TestApp;
  let databaseUrl = '';
  const prefix = `bencao-crash-${randomBytes(4).toString('hex')}`;
  let dataDir = '';
  let balancer: Balancer | undefined;
  let queue: Queue | undefined;
  let entries: ChildEntries | undefined;
  const webs: ManagedChild[] = [];
  const workers: ManagedChild[] = [];
  const children = () => [...webs, ...workers];

  const sellers: Seller[] = [];
  const suppliers: Party[] = [];
  const buyers: Party[] = [];
  let alliance: Party;
  let hospital: Party & { physician: Member; pharmacist: Member };
  const pharmacies: Party[] = [];
  /** Spot market traders: the first two sell from their lot, the others buy on net terms. */
  const traders: (Party & { lotId: string | null })[] = [];
  let instrumentId = '';
  let setupMs = 0;

  beforeAll(async () => {
    const started = Date.now();
    app = await createTestApp();
    const db = app.handle.db;
    const [{ name }] = (await sqlRows<{ name: string }>(db, sql`select current_database() as name`)) as [{ name: string }];
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dataDir = mkdtempSync(path.join(tmpdir(), 'bencao-crash-'));
    queue = new Queue(QUEUE_NAME, { connection: { url: REDIS_URL! }, prefix });

    // The processes start while the test seeds the database (they only need the schema).
    const ports = [await freePort(), await freePort()];
    balancer = await startBalancer(webs, { answerDelayMs: WEB_SERVER === 'next' ? ANSWER_DELAY_MS : 0 });
    const common = { DATABASE_URL: databaseUrl, REDIS_URL: REDIS_URL!, APP_URL: `http://127.0.0.1:${balancer.port}`, BENCAO_DATA_DIR: dataDir, BENCAO_RUN_JOBS: '0', LOG_LEVEL: 'error' };
    entries = await childEntries(prefix);
    // `next start` runs in production mode, which needs the secret the test's own sessions are signed with.
    const web: { entry: ChildEntry; env: Record<string, string> } =
      WEB_SERVER === 'next' ? { entry: nextStartEntry(), env: { BETTER_AUTH_SECRET: authSecret() } } : { entry: entries.web, env: { CRASH_ANSWER_DELAY_MS: String(ANSWER_DELAY_MS) } };
    ports.forEach((port, i) => webs.push(new ManagedChild(`web${i + 1}`, web.entry, { ...common, ...web.env, PORT: String(port) }, port)));
    for (let i = 0; i < 2; i += 1) workers.push(new ManagedChild(`worker${i + 1}`, entries.worker, { ...common, CRASH_QUEUE_PREFIX: prefix }));
    const booting = Promise.all(children().map((c) => c.start()));
    booting.catch(() => undefined);

    await upsertHerbMasterData(db);
    // Approved organisations written directly (the seeding is not under test), each with its licence and
    // an API key its requests carry; only the hospital's physician and pharmacist sign in (prescriptions
    // need a person), which keeps password hashing out of a two-core budget.
    const orgOf = (kind: PartyKind, at?: { lat: number; lng: number }) => addParty(app, kind, at);
    const seller = (i: number) => addSeller(app, `CR-${i}`, LOT_G);
    // Three pharmacies 1 km apart, each with stock for every routed prescription (routing reads stock; nobody dispenses here).
    const pharmacy = async (i: number): Promise<Party> => {
      const p = await orgOf('pharmacy', { lat: 30.272 + i * 0.01, lng: 120.15 });
      await p.api.prescriptions.setCapability({ decoction: true, dailyCapacity: 100_000, opensAtMin: 0, closesAtMin: 0, serviceRadiusKm: 30, active: true });
      for (const herb of ['人参', '白术', '茯苓', '甘草']) {
        const product = await p.api.catalog.createProduct({ ...productInput, herbId: herbIdFor(herb), origin: '安徽亳州', daoDi: false });
        await p.api.catalog.createLot({ ...lotInput(`RX-${i}-${randomBytes(3).toString('hex')}`, 100_000), productId: product.id });
      }
      return p;
    };
    const hospitalWithStaff = async (): Promise<typeof hospital> => {
      const h = await orgOf('hospital');
      return { ...h, physician: await addMember(app, h.id, 'physician'), pharmacist: await addMember(app, h.id, 'pharmacist') };
    };
    // The spot market: an instrument, two sellers with a lot each, two buyers on net terms with everyone.
    const market = async () => {
      const operator = await addMarketOrg(db, 'operator');
      instrumentId = (await createInstrument(db, operator, { herbId: herbIdFor('黄芪'), ...MARKET_SPEC })).id;
      const orgs = await Promise.all((['grower', 'supplier', 'hospital', 'hospital'] as const).map((kind) => orgOf(kind)));
      await grantNetTermsAmong(db, orgs.map((o) => ({ orgId: o.id, userId: o.userId })));
      for (const [i, o] of orgs.entries()) {
        const lotId = i < 2 ? await addMarketLot(db, { orgId: o.id, userId: o.userId }, '黄芪', MARKET_SPEC, MARKET_LOT_G, '甘肃陇西') : null;
        traders.push({ ...o, lotId });
      }
    };
    const made = await Promise.all([
      Promise.all([0, 1, 2].map((i) => seller(i))),
      orgOf('supplier'),
      Promise.all((['hospital', 'hospital', 'pharmacy'] as const).map((kind) => orgOf(kind))),
      orgOf('alliance'),
      hospitalWithStaff(),
      Promise.all([0, 1, 2].map((i) => pharmacy(i))),
      market(),
    ]);
    sellers.push(...made[0]);
    suppliers.push(...sellers, made[1]);
    buyers.push(...made[2]);
    alliance = made[3];
    hospital = made[4];
    pharmacies.push(...made[5]);
    for (const b of buyers) await enrolMember(alliance, b);
    await booting;
    setupMs = Date.now() - started;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(children().map((c) => c.stop()));
    await balancer?.close();
    await queue?.close();
    if (REDIS_URL) await deleteRedisKeys(REDIS_URL, prefix);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    entries?.cleanup();
    await app?.close();
  });

  // Bounded by time: a 30 s stream (plus the rounds in progress), the drain (jobs retried after an
  // outage back off at most 8 s) and the checks — about 40 s after a 10–15 s setup on two cores. The
  // limit leaves room for a loaded machine.
  it('loses and duplicates no order, payment, capture, bid, opening, routing or outbox delivery; conserves stock; keeps the audit chain', { timeout: 240_000 }, async () => {
    const db = app.handle.db;
    const started = Date.now();
    const violations: string[] = [];
    const notes: string[] = [];
    const checkouts: CheckoutRecord[] = [];
    const bids: BidRecord[] = [];
    const rxs: RxRecord[] = [];
    const marketOrders: MarketRecord[] = [];
    const kills: KillRecord[] = [];
    const restarts: Promise<void>[] = [];
    /** Resent keyed requests answered from their cut attempt's commit (checkouts, bids). */
    let replayed = 0;

    // ---- tenders whose bid deadlines fall inside the stream ----------------------------------------
    const t0 = Date.now();
    const tenders: TenderPlan[] = [];
    const lotsInput = [
      { herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', qualityTier: 'A', ceilingFenPerKg: 12_000, deliveryRegions: ['330106'] },
      { herbName: '当归', spec: '饮片 · 切片 · 生 · 选货', qualityTier: 'A', ceilingFenPerKg: 20_000, deliveryRegions: ['330106'] },
    ];
    for (let i = 0; i < TENDERS; i += 1) {
      // Deadlines 10, 18 and 26 s in (at least 6 s after this tender is set up, for a slow machine).
      const bidDeadline = Math.max(t0 + (10 + i * 8) * 1000, Date.now() + 6000);
      const openingAt = bidDeadline + 400;
      const created = await alliance.api.tenders.create({
        title: `崩溃演练招标 ${i + 1}`,
        method: 'vbp_price',
        demandDeadline: new Date(bidDeadline),
        bidDeadline: new Date(bidDeadline),
        openingAt: new Date(openingAt),
        publicityEndsAt: new Date(openingAt + 1500),
        lots: lotsInput,
      });
      const detail = await alliance.api.tenders.get({ id: created.id });
      const lots = detail.lots.map((l) => ({ id: l.id, ceilingFenPerKg: l.ceilingFenPerKg }));
      await alliance.api.tenders.openDemand({ id: created.id });
      for (const b of buyers.slice(0, 2)) await b.api.tenders.reportDemand({ tenderId: created.id, lots: lots.map((l) => ({ lotId: l.id, grams: 500_000 })) });
      await alliance.api.tenders.publish({ id: created.id });
      for (const s of suppliers) await s.api.tenders.register({ tenderId: created.id, lots: lots.map((l) => ({ lotId: l.id, capacityG: 100_000_000 })) });
      for (const s of suppliers) await alliance.api.tenders.qualify({ tenderId: created.id, supplierOrgId: s.id, qualified: true, reason: '资质齐全' });
      tenders.push({ id: created.id, lots, bidDeadline, openingAt });
    }

    const streamStart = Date.now();
    const streamEnd = streamStart + STREAM_MS;
    const client = new TrpcClient(balancer!.port, () => streamEnd + 45_000);

    // ---- helpers ------------------------------------------------------------------------------------
    /**
     * How long a flow waits for a job's effect before it moves on: until shortly after the stream (the
     * drain then waits for everything, and the checks judge the end state). A job can be held up for
     * good reasons — retry backoff after an outage, the 30 s lease of a dispatcher killed mid-dispatch.
     */
    const patience = () => Math.max(1000, streamEnd + 3000 - Date.now());
    /** A flow's round in progress when the stream ends stops at its next step (the checks judge whatever state it left). */
    const streaming = () => Date.now() < streamEnd;


    /** A keyless state change: answered, or refused after a cut attempt that (the database shows) already applied it. */
    const steps = keylessSteps(client, violations);
    const step = steps.step;

    const orderRows = (ids: string[]) =>
      sqlRows<{ id: string; status: string; payment_attempt: number; seller_org_id: string }>(db, sql`select id, status, payment_attempt, seller_org_id from "order" where id in ${ids}`);
    const statusIn = (id: string, statuses: string[]) => async () => {
      const [row] = await orderRows([id]);
      return row !== undefined && statuses.includes(row.status);
    };

    async function killAndRestart(target: ManagedChild, why: string, rand: () => number): Promise<void> {
      if (!target.up) return;
      const cut = target.port !== null ? balancer!.inFlight(target.port) : target.runningJobs();
      await target.kill();
      kills.push({ child: target.name, why, atMs: Date.now() - streamStart, cut });
      const delay = Math.floor(rand() * 600);
      restarts.push(
        (async () => {
          await sleep(delay);
          try {
            await target.start();
          } catch (error) {
            violations.push(`restart of ${target.name} failed: ${(error as Error).message}`);
          }
        })(),
      );
    }

    // ---- the killer --------------------------------------------------------------------------------
    async function killer(): Promise<void> {
      const rand = seeded(SEED);
      for (;;) {
        await sleep(1200 + Math.floor(rand() * 2000));
        if (Date.now() >= streamEnd) return;
        const up = children().filter((c) => c.up);
        if (up.length === 0) continue;
        const target = up[Math.floor(rand() * up.length)]!;
        // The last live process of its kind goes down only now and then (a full outage of the web tier or
        // of the workers): otherwise the other replica carries on, as in production.
        const lastOfKind = up.filter((c) => (c.port === null) === (target.port === null)).length === 1;
        if (lastOfKind && rand() < 0.7) continue;
        // Most web kills wait for a request whose transaction committed and whose answer is not
        // written yet: the client's resend must then be answered from that commit, not applied again.
        if (target.port !== null && rand() < 0.6) {
          const answering = await target.nextAnswer(2000);
          if (answering) await killAndRestart(target, `answering ${answering.replace(/^\/api\/(trpc\/)?/, '').replace(/\/pi_\w+/, '/:id')}`, rand);
          continue;
        }
        await killAndRestart(target, 'random', rand);
      }
    }

    /** A worker killed just after each tender's opening time, while the opening job is likely running. */
    async function openingKills(): Promise<void> {
      const rand = seeded(SEED + 1);
      for (const t of tenders) {
        const at = t.openingAt + 30 + Math.floor(rand() * 150);
        await sleep(Math.max(0, at - Date.now()));
        const up = workers.filter((w) => w.up);
        if (up.length > 0) await killAndRestart(up[Math.floor(rand() * up.length)]!, `opening of tender ${tenders.indexOf(t) + 1}`, rand);
      }
    }

    // ---- orders ------------------------------------------------------------------------------------
    async function orderLoop(b: number): Promise<void> {
      const rand = seeded(SEED * 31 + b);
      const buyer = buyers[b]!;
      for (let round = 0; Date.now() < streamEnd; round += 1) {
        const placed = await checkoutRound(client, buyer, sellers, rand, `crash-chk-${SEED}-${b}-${round}`, checkouts, violations);
        if (!placed) continue;
        const { rec, ids } = placed;
        const key = rec.key;
        if (placed.replayed) replayed += 1;
        const choice = rand();
        if (choice < 0.12) {
          for (const id of ids) await step('orders.cancel', { id, reason: '改单' }, buyer.headers, statusIn(id, ['cancelled']));
          rec.cancelled = true;
          continue;
        }
        const attemptsAtLeast = (n: number) => async () => (await orderRows(ids)).every((o) => o.payment_attempt >= n);
        if (choice < 0.25) {
          // The first card is declined; the buyer pays again with another.
          if (!(await step('orders.pay', { checkoutKey: key, outcome: 'decline' }, buyer.headers, attemptsAtLeast(1)))) continue;
          if (!(await waitFor(async () => (await orderRows(ids)).every((o) => o.status === 'payment_failed'), patience()))) {
            notes.push(`checkout ${key}: decline not applied during the stream`);
            continue;
          }
          const before = Math.max(...(await orderRows(ids)).map((o) => o.payment_attempt));
          if (!(await step('orders.pay', { checkoutKey: key, outcome: 'confirm' }, buyer.headers, attemptsAtLeast(before + 1)))) continue;
        } else if (!(await step('orders.pay', { checkoutKey: key, outcome: 'confirm' }, buyer.headers, attemptsAtLeast(1)))) continue;
        rec.payAcked = true;
        if (!(await waitFor(async () => (await orderRows(ids)).every((o) => o.status === 'paid'), patience()))) {
          notes.push(`checkout ${key}: not paid during the stream`);
          continue;
        }
        for (const row of await orderRows(ids)) {
          if (!streaming()) break;
          const seller = sellers.find((s) => s.id === row.seller_org_id)!;
          if (!(await step('orders.accept', { id: row.id }, seller.headers, statusIn(row.id, ['accepted', 'shipped', 'delivered', 'completed'])))) continue;
          if (!(await step('orders.ship', { id: row.id }, seller.headers, statusIn(row.id, ['shipped', 'delivered', 'completed'])))) continue;
          rec.shipped.add(row.id);
          if (rand() < 0.6) await step('orders.confirmDelivery', { id: row.id }, buyer.headers, statusIn(row.id, ['delivered', 'completed']));
        }
      }
    }

    // ---- tender bids -------------------------------------------------------------------------------
    async function bidLoop(s: number): Promise<void> {
      const rand = seeded(SEED * 37 + s);
      const supplier = suppliers[s]!;
      for (let n = 0; ; n += 1) {
        const now = Date.now();
        const open = tenders.filter((t) => now < t.bidDeadline - 300);
        if (open.length === 0 || now >= streamEnd) return;
        const t = open[Math.floor(rand() * open.length)]!;
        const lot = t.lots[Math.floor(rand() * t.lots.length)]!;
        const rec: BidRecord = { tenderId: t.id, lotId: lot.id, supplierOrgId: supplier.id, key: `crash-bid-${SEED}-${s}-${n}`, result: null };
        bids.push(rec);
        rec.result = await client.call<{ bidId: string; replayed: boolean }>('tenders.submitBid', { tenderId: t.id, lotId: lot.id, fenPerKg: Math.floor(lot.ceilingFenPerKg * (0.45 + rand() * 0.5)), idempotencyKey: rec.key }, supplier.headers);
        if (rec.result.ok && rec.result.data.replayed) replayed += 1;
        // A bid resent after the deadline is refused when its cut attempt had not committed: a correct answer.
        if (!rec.result.ok && !(rec.result.appCode === 'PRECONDITION_FAILED' && Date.now() >= t.bidDeadline)) {
          violations.push(`bid ${rec.key}: ${rec.result.code}/${rec.result.appCode ?? '-'} ${rec.result.message}`);
        }
        await sleep(200 + Math.floor(rand() * 500));
      }
    }

    // ---- prescriptions -----------------------------------------------------------------------------
    const offerOf = async (rxId: string, round: number) =>
      (await sqlRows<{ id: string; status: string; pharmacy_org_id: string }>(db, sql`select id, status, pharmacy_org_id from rx_offer where prescription_id = ${rxId} and round = ${round}`))[0];
    const offerStatus = async (offerId: string) => (await sqlRows<{ status: string }>(db, sql`select status from rx_offer where id = ${offerId}`))[0]?.status;

    /**
     * Lets an offer time out now instead of in 15 minutes: its deadline and its timer (the outbox row,
     * or the BullMQ delayed job it became) move to now; the `prescriptions.offer-timeout` job then runs
     * in a worker as it would at the deadline. Resolves when that outbox row is done.
     */
    async function expireOfferNow(offerId: string): Promise<boolean> {
      await db.update(rxOffer).set({ expiresAt: sql`now()` }).where(and(eq(rxOffer.id, offerId), eq(rxOffer.status, 'offered')));
      const dedupeKey = `prescriptions.offer-timeout:${offerId}`;
      await db.update(outboxEvent).set({ runAt: sql`now()` }).where(and(eq(outboxEvent.dedupeKey, dedupeKey), eq(outboxEvent.status, 'pending')));
      return waitFor(async () => {
        const [row] = await db.select({ id: outboxEvent.id, status: outboxEvent.status }).from(outboxEvent).where(eq(outboxEvent.dedupeKey, dedupeKey));
        if (!row) return false;
        if (row.status === 'done' || row.status === 'failed') return true;
        if (row.status === 'dispatched') {
          try {
            const job = await queue!.getJob(row.id);
            if (job && (await job.getState()) === 'delayed') await job.promote();
          } catch {
            // Promoted meanwhile, or Redis busy: look again.
          }
        }
        return false;
      }, patience());
    }

    async function rxLoop(l: number): Promise<void> {
      const rand = seeded(SEED * 41 + l);
      for (let round = 0; Date.now() < streamEnd; round += 1) {
        const rec: RxRecord = { key: `crash-rx-${SEED}-${l}-${round}`, id: null, result: null, reviewed: false, offers: [] };
        rxs.push(rec);
        const res = await client.call<{ id: string }>('prescriptions.create', rxInput({ idempotencyKey: rec.key }), hospital.physician.headers);
        rec.result = res;
        if (!res.ok) {
          violations.push(`prescription ${rec.key}: ${res.code}/${res.appCode ?? '-'} ${res.message}`);
          continue;
        }
        const id = res.data.id;
        rec.id = id;
        const reviewed = async () => (await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from rx_review where prescription_id = ${id}`))[0]!.n > 0;
        if (!(await step('prescriptions.review', { id, decision: 'approved' }, hospital.pharmacist.headers, reviewed))) continue;
        rec.reviewed = true;
        for (let k = 1; k <= pharmacies.length && streaming(); k += 1) {
          let offer: Awaited<ReturnType<typeof offerOf>>;
          if (!(await waitFor(async () => (offer = await offerOf(id, k)) !== undefined, patience()))) {
            notes.push(`prescription ${rec.key}: no offer of round ${k} during the stream`);
            break;
          }
          const pharmacy = pharmacies.find((p) => p.id === offer!.pharmacy_org_id)!;
          const pick = rand();
          const action = k === pharmacies.length || pick >= 0.65 ? 'accept' : pick < 0.35 ? 'reject' : 'timeout';
          const entry = { offerId: offer!.id, action, done: false } as RxRecord['offers'][number];
          rec.offers.push(entry);
          if (action === 'accept') {
            entry.done = await step('prescriptions.acceptOffer', { offerId: entry.offerId }, pharmacy.headers, async () => (await offerStatus(entry.offerId)) === 'accepted');
            break;
          }
          if (action === 'reject') entry.done = await step('prescriptions.rejectOffer', { offerId: entry.offerId, reason: '该批饮片待检' }, pharmacy.headers, async () => (await offerStatus(entry.offerId)) === 'rejected');
          else {
            entry.done = await expireOfferNow(entry.offerId);
            if (!entry.done) notes.push(`offer ${entry.offerId}: timeout job not done during the stream`);
          }
          if (!entry.done) break;
        }
      }
    }

    // ---- spot market --------------------------------------------------------------------------------
    /** Limit orders around one price, so sells and buys cross: matching in the web process, trades → orders in a job. */
    async function marketLoop(t: number): Promise<void> {
      const rand = seeded(SEED * 43 + t);
      const trader = traders[t]!;
      for (let n = 0; Date.now() < streamEnd; n += 1) {
        const rec: MarketRecord = { orgId: trader.id, key: `crash-mkt-${SEED}-${t}-${n}`, result: null };
        marketOrders.push(rec);
        const side = trader.lotId ? 'sell' : 'buy';
        const input = {
          instrumentId,
          idempotencyKey: rec.key,
          side,
          qtyG: 1000 * (1 + Math.floor(rand() * 5)),
          fenPerKg: 6000 + 100 * Math.floor(rand() * 8),
          tif: 'GTC',
          ...(trader.lotId ? { lotId: trader.lotId } : { funding: 'net_terms' }),
        };
        rec.result = await client.call<CommandAnswer>('market.place', input, trader.headers);
        if (!rec.result.ok) violations.push(`market order ${rec.key}: ${rec.result.code}/${rec.result.appCode ?? '-'} ${rec.result.message}`);
        await sleep(300 + Math.floor(rand() * 500));
      }
    }

    // ---- the stream --------------------------------------------------------------------------------
    await Promise.all([killer(), openingKills(), ...buyers.map((_, b) => orderLoop(b)), ...suppliers.map((_, s) => bidLoop(s)), rxLoop(0), rxLoop(1), ...traders.map((_, t) => marketLoop(t))]);
    const streamMs = Date.now() - streamStart;
    await Promise.all(restarts);
    for (const c of children()) if (!c.up) await c.start();

    // ---- drain: every job due by now delivered, every tender awarded --------------------------------
    const drainStart = Date.now();
    const drained = await waitFor(async () => {
      // Due now, or a retry due soon (the workers back off at most 8 s): later rows are timers (payment windows, offer timeouts, expiries).
      const [due] = await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_event where status in ('pending', 'dispatched') and run_at <= now() + interval '10 seconds'`);
      const [open] = await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from tender where id in ${tenders.map((t) => t.id)} and status <> 'awarded'`);
      return due!.n === 0 && open!.n === 0;
    }, 90_000, 250);
    const drainMs = Date.now() - drainStart;
    if (!drained) violations.push('the outbox did not drain within 90 s after the stream');
    await Promise.all(children().map((c) => c.stop()));

    // ---- invariants --------------------------------------------------------------------------------
    const checksStart = Date.now();
    // Outbox: nothing failed, nothing due left behind; no worker gave up on a delivery.
    violations.push(...(await outboxProblems(db)));
    const workerLines = workers.flatMap((w) => w.lines);
    for (const l of workerLines.filter((x) => x.t === 'failed' && x.final === true)) violations.push(`${String(l.child)}: ${String(l.job)} ${String(l.eventId)} gave up: ${String(l.error)}`);
    const retriedAttempts = workerLines.filter((x) => x.t === 'failed' && x.final !== true).length;

    // Orders, payments and stock (crash-orders.ts).
    const { orders, reservations, captured } = await checkCheckouts(db, checkouts, sellers.map((sl) => sl.lotId), LOT_G, violations);

    // Tenders: one opening, one award equal to the replay of its input over exactly the stored bids, contracts as planned.
    const storedBids = await sqlRows<{ id: string; tender_id: string; supplier_org_id: string; idempotency_key: string }>(db, sql`select id, tender_id, supplier_org_id, idempotency_key from tender_bid`);
    const sentBids = new Set(bids.map((b) => `${b.tenderId}|${b.supplierOrgId}|${b.key}`));
    for (const b of storedBids) if (!sentBids.has(`${b.tender_id}|${b.supplier_org_id}|${b.idempotency_key}`)) violations.push(`bid ${b.id} with key ${b.idempotency_key} was never sent`);
    for (const b of bids) {
      const row = storedBids.find((x) => x.tender_id === b.tenderId && x.supplier_org_id === b.supplierOrgId && x.idempotency_key === b.key);
      if (b.result?.ok && row?.id !== b.result.data.bidId) violations.push(`bid ${b.key}: answered ${b.result.data.bidId}, stored ${row?.id ?? 'nothing'}`);
      if (b.result && !b.result.ok && b.result.code !== 'UNANSWERED' && row) violations.push(`bid ${b.key}: refused (${b.result.appCode ?? b.result.code}) but stored as ${row.id}`);
    }
    for (const t of tenders) {
      const label = `tender ${tenders.indexOf(t) + 1}`;
      const [row] = await sqlRows<{ status: string }>(db, sql`select status from tender where id = ${t.id}`);
      if (row?.status !== 'awarded') violations.push(`${label}: ${row?.status ?? 'missing'}, not awarded`);
      const awards = await sqlRows<{ sha256: string; input_json: string; canonical_json: string; excluded: { bidId: string }[] }>(db, sql`select sha256, input_json, canonical_json, excluded from tender_award where tender_id = ${t.id}`);
      if (awards.length !== 1) {
        violations.push(`${label}: ${awards.length} awards`);
        continue;
      }
      const award = awards[0]!;
      const input = tenderInputSchema.parse(JSON.parse(award.input_json));
      if (evaluateTender(input).sha256 !== award.sha256) violations.push(`${label}: the award does not replay from its stored input`);
      const inAward = [...input.bids.map((b) => b.id), ...award.excluded.map((e) => e.bidId)].sort();
      const stored = storedBids.filter((b) => b.tender_id === t.id).map((b) => b.id).sort();
      if (JSON.stringify(inAward) !== JSON.stringify(stored)) violations.push(`${label}: the opening saw ${inAward.length} bids, ${stored.length} are stored`);
      const [opened] = await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where entity_type = 'tender' and entity_id = ${t.id} and action = 'tender.status_changed' and data->>'to' = 'opened'`);
      if (opened!.n !== 1) violations.push(`${label}: opened ${opened!.n} times`);
      const plans = planContracts(awardLots({ canonicalJson: award.canonical_json })).map((p) => `${p.lotId}|${p.supplierId}|${p.agreedG}`).sort();
      const contracts = (await sqlRows<{ k: string }>(db, sql`select lot_id || '|' || supplier_org_id || '|' || agreed_g as k from framework_contract where tender_id = ${t.id}`)).map((r) => r.k).sort();
      if (JSON.stringify(plans) !== JSON.stringify(contracts)) violations.push(`${label}: contracts ${contracts.length}, planned ${plans.length}`);
    }

    // Prescriptions: one per key, one review, offer rounds 1..n each routed once, each timeout applied once.
    const storedRx = await sqlRows<{ id: string; idempotency_key: string; status: string; pharmacy_org_id: string | null }>(db, sql`select id, idempotency_key, status, pharmacy_org_id from prescription where hospital_org_id = ${hospital.id}`);
    const sentRx = new Set(rxs.map((r) => r.key));
    for (const r of storedRx) if (!sentRx.has(r.idempotency_key)) violations.push(`prescription ${r.id} with key ${r.idempotency_key} was never sent`);
    let offersMade = 0;
    let timedOut = 0;
    for (const rec of rxs) {
      const row = storedRx.find((r) => r.idempotency_key === rec.key);
      if (rec.result?.ok && row?.id !== rec.result.data.id) violations.push(`prescription ${rec.key}: answered ${rec.result.data.id}, stored ${row?.id ?? 'nothing'}`);
      if (!row) continue;
      const offers = await sqlRows<{ id: string; round: number; status: string; pharmacy_org_id: string }>(db, sql`select id, round, status, pharmacy_org_id from rx_offer where prescription_id = ${row.id} order by round`);
      const rxEvents = await sqlRows<{ to_status: string; note: string | null; offer_id: string | null }>(db, sql`select to_status, note, data->>'offerId' as offer_id from rx_event where prescription_id = ${row.id}`);
      const [reviews] = await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from rx_review where prescription_id = ${row.id}`);
      offersMade += offers.length;
      if (reviews!.n > 1 || (rec.reviewed && reviews!.n !== 1)) violations.push(`prescription ${row.id}: ${reviews!.n} reviews`);
      if (JSON.stringify(offers.map((o) => o.round)) !== JSON.stringify(offers.map((_, i) => i + 1))) violations.push(`prescription ${row.id}: offer rounds ${offers.map((o) => o.round).join(',')}`);
      if (offers.filter((o) => o.status === 'offered').length > 1) violations.push(`prescription ${row.id}: more than one open offer`);
      for (const o of offers) {
        const routed = rxEvents.filter((e) => e.to_status === 'routed' && e.note !== 'offer_expired' && e.note !== 'offer_rejected' && e.offer_id === o.id).length;
        if (routed !== 1) violations.push(`prescription ${row.id}: offer ${o.id} (round ${o.round}) routed ${routed} times`);
        const expired = rxEvents.filter((e) => e.note === 'offer_expired' && e.offer_id === o.id).length;
        if (expired !== (o.status === 'expired' ? 1 : 0)) violations.push(`prescription ${row.id}: offer ${o.id} is ${o.status} with ${expired} expiry events`);
        const rejected = rxEvents.filter((e) => e.note === 'offer_rejected' && e.offer_id === o.id).length;
        if (rejected !== (o.status === 'rejected' ? 1 : 0)) violations.push(`prescription ${row.id}: offer ${o.id} is ${o.status} with ${rejected} rejection events`);
        const [timers] = await sqlRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_event where dedupe_key = ${`prescriptions.offer-timeout:${o.id}`}`);
        if (timers!.n !== 1) violations.push(`offer ${o.id}: ${timers!.n} timeout timers`);
        if (o.status === 'expired') timedOut += 1;
      }
      for (const a of rec.offers) {
        const o = offers.find((x) => x.id === a.offerId);
        const want = a.action === 'accept' ? 'accepted' : a.action === 'reject' ? 'rejected' : 'expired';
        if (a.done && o?.status !== want) violations.push(`offer ${a.offerId}: ${a.action} was applied, the offer is ${o?.status ?? 'missing'}`);
        if (a.done && a.action === 'accept' && (row.status !== 'accepted' || row.pharmacy_org_id !== o?.pharmacy_org_id)) violations.push(`prescription ${row.id}: accepted by ${o?.pharmacy_org_id ?? '?'}, is ${row.status} at ${row.pharmacy_org_id ?? 'nobody'}`);
      }
    }

    // Market: every answered order is logged as answered; the log replays to every answer and to the
    // book the tables rebuild; each trade became exactly one order holding its reservation; stock conserved.
    const commands = await sqlRows<{ id: string; seq: number; org_id: string; idempotency_key: string; order_id: string; kind: string; lot_id: string | null; command: unknown; answer: CommandAnswer }>(
      db,
      sql`select id, seq, org_id, idempotency_key, order_id, kind, lot_id, command, answer from market_command where instrument_id = ${instrumentId} order by seq`,
    );
    commands.forEach((c, i) => {
      if (c.seq !== i + 1) violations.push(`market log: seq ${c.seq} at position ${i + 1}`);
    });
    const sentMarket = new Set(marketOrders.map((m) => `${m.orgId}|${m.key}`));
    for (const c of commands) if (!sentMarket.has(`${c.org_id}|${c.idempotency_key}`)) violations.push(`market command ${c.id} with key ${c.idempotency_key} was never sent`);
    for (const m of marketOrders) {
      const row = commands.find((c) => c.org_id === m.orgId && c.idempotency_key === m.key);
      if (m.result?.ok && (!row || row.id !== m.result.data.commandId || !isDeepStrictEqual(row.answer, m.result.data))) violations.push(`market order ${m.key}: answered seq ${m.result.data.seq}, logged ${row ? `seq ${row.seq} with another answer` : 'nothing'}`);
      if (m.result && !m.result.ok && m.result.code !== 'UNANSWERED' && row) violations.push(`market order ${m.key}: refused but logged as seq ${row.seq}`);
    }
    const replay = new MarketBook(instrumentId);
    for (const c of commands) {
      let fills;
      try {
        fills = replay.apply({ seq: c.seq, orgId: c.org_id, command: c.command as MatchCommand });
      } catch (error) {
        violations.push(`market log: replay failed at seq ${c.seq}: ${(error as Error).message}`);
        break;
      }
      if (!isDeepStrictEqual(fills, c.answer.trades) || replay.openQty(c.order_id) !== c.answer.restingQtyG) violations.push(`market log: seq ${c.seq} replays to other trades or resting grams than it answered`);
    }
    const rebuilt = await rebuildBook(db, instrumentId);
    if (!isDeepStrictEqual({ ...rebuilt.snapshot(), seq: rebuilt.seq }, { ...replay.snapshot(), seq: replay.seq })) violations.push('market: the book rebuilt from the tables differs from the replay of the log');
    const trades = await sqlRows<{ id: string; order_id: string | null; grams: number; buyer_org_id: string }>(db, sql`select id, order_id, grams, buyer_org_id from market_trade where instrument_id = ${instrumentId}`);
    const marketOrderRows = orders.filter((o) => o.source === 'market');
    for (const t of trades) {
      const made = marketOrderRows.filter((o) => o.checkout_key === t.id);
      if (made.length !== 1 || t.order_id !== made[0]!.id) violations.push(`trade ${t.id}: ${made.length} orders (linked ${t.order_id ?? 'none'})`);
    }
    if (marketOrderRows.length !== trades.length) violations.push(`${marketOrderRows.length} market orders for ${trades.length} trades`);
    const marketLots = await sqlRows<{ id: string; quantity_g: number; reserved_g: number }>(db, sql`select id, quantity_g, reserved_g from lot where id in ${traders.flatMap((t) => (t.lotId ? [t.lotId] : []))}`);
    for (const l of marketLots) {
      const resting = commands.filter((c) => c.kind === 'place' && c.lot_id === l.id).reduce((n, c) => n + rebuilt.openQty(c.order_id), 0);
      const held = reservations.filter((r) => r.lot_id === l.id && r.status === 'held').reduce((n, r) => n + r.grams, 0);
      if (l.reserved_g !== resting + held || l.quantity_g !== MARKET_LOT_G) violations.push(`market lot ${l.id}: reserved ${l.reserved_g} g, resting sells ${resting} g + trade reservations ${held} g; quantity ${l.quantity_g} g`);
    }

    // Audit: the chain verifies, and every order and prescription event has its one audit entry.
    const chain = await verifyAuditChain(db);
    if (!chain.ok) violations.push(`audit chain broken at seq ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}`);
    const [pairs] = await sqlRows<{ order_events: number; order_audit: number; rx_events: number; rx_audit: number }>(
      db,
      sql`select (select count(*)::int from order_event) as order_events,
                 (select count(*)::int from audit_log where entity_type = 'order') as order_audit,
                 (select count(*)::int from rx_event) as rx_events,
                 (select count(*)::int from audit_log where entity_type = 'prescription' and action not like 'rx.refused.%') as rx_audit`,
    );
    if (pairs!.order_events !== pairs!.order_audit) violations.push(`${pairs!.order_events} order events, ${pairs!.order_audit} order audit entries`);
    if (pairs!.rx_events !== pairs!.rx_audit) violations.push(`${pairs!.rx_events} prescription events, ${pairs!.rx_audit} prescription audit entries`);

    // The client: no 5xx, nothing left unanswered once the processes were back.
    for (const e of client.stats.serverErrors) violations.push(`server error: ${e}`);
    if (client.stats.serverErrors.length > 0) for (const l of webs.flatMap((w) => w.lines).filter((x) => x.t === 'log')) violations.push(`${String(l.child)} logged: ${JSON.stringify(l).slice(0, 3000)}`);
    if (client.stats.unanswered > 0) violations.push(`${client.stats.unanswered} request(s) never answered`);

    const webKills = kills.filter((k) => k.child.startsWith('web'));
    const afterCommit = webKills.filter((k) => k.why.startsWith('answering ')).map((k) => k.why.slice('answering '.length));
    const workerKills = kills.filter((k) => k.child.startsWith('worker'));
    const cutRequests = webKills.reduce((n, k) => n + k.cut.filter(Boolean).length, 0);
    const requestsCut = new Map<string, number>();
    for (const k of webKills) {
      for (const line of k.cut) {
        if (!line) continue;
        const what = line.replace(/^\w+ \/api\/(trpc\/)?/, '').replace(/\/pi_\w+/, '/:id');
        requestsCut.set(what, (requestsCut.get(what) ?? 0) + 1);
      }
    }
    const jobsHit = new Map<string, number>();
    for (const k of workerKills) for (const j of k.cut) jobsHit.set(j, (jobsHit.get(j) ?? 0) + 1);
    const runs = children().reduce((n, c) => n + c.starts, 0);
    const startsMs = children().flatMap((c) => c.startMs);
    const startAvgMs = startsMs.reduce((n, ms) => n + ms, 0) / Math.max(1, startsMs.length);
    const s = client.stats;
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const counts = (m: Map<string, number>) => [...m].map(([what, n]) => `${what}×${n}`).join(' ') || 'none';
    console.info(
      [
        `crash safety: runs=${runs} kills=${kills.length} requests=${s.requests} acknowledged=${s.acknowledged} violations=${violations.length} (seed ${SEED}, web ${WEB_SERVER === 'next' ? 'next start' : 'node:http'}, ${seconds(Date.now() - started + setupMs)} s)`,
        `  kills: web ${webKills.length} (${afterCommit.length} holding a committed answer: ${afterCommit.join(' ') || 'none'}), cutting ${cutRequests} requests: ${counts(requestsCut)}; worker ${workerKills.length}, cutting jobs: ${counts(jobsHit)}`,
        `  requests: refused=${s.refused} resent=${s.resends} (answered from the cut attempt's commit: replayed ${replayed}, refused as already applied ${steps.appliedByCutAttempt})`,
        `  effects: checkouts=${checkouts.length} orders=${orders.length} captured=${captured} market-commands=${commands.length} trades=${trades.length} bids=${storedBids.length} tenders=${tenders.length} prescriptions=${storedRx.length} offers=${offersMade} timed-out=${timedOut} job-retries=${retriedAttempts} audit-rows=${chain.rows}`,
        `  time: setup ${seconds(setupMs)} s, stream ${seconds(streamMs)} s, drain ${seconds(drainMs)} s, checks ${seconds(Date.now() - checksStart)} s; a restart takes ${startAvgMs.toFixed(0)} ms on average`,
        ...(notes.length ? [`  notes: ${notes.join('; ')}`] : []),
        ...violations.map((v) => `  violation: ${v}`),
      ].join('\n'),
    );
    expect(violations).toEqual([]);
    expect(kills.length).toBeGreaterThanOrEqual(3);
    expect(checkouts.some((c) => c.result?.ok)).toBe(true);
  });
});
