import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { Auth } from '../auth/auth.ts';
import { sqlRows, type DbHandle } from '../db/client.ts';
import { herb, order, shipment } from '../db/schema/index.ts';
import { upsertHerbMasterData } from '../domains/catalog/herbs.seed.ts';
import { resetEnvCache } from '../env.ts';
import { shipOrder, TEST_CARRIER_SECRETS, testCarriers } from '../domains/delivery/shipments.testkit.ts';
import { createInstrument } from '../domains/market/market.service.ts';
import { addMember, rxInput } from '../domains/prescriptions/prescriptions.testkit.ts';
import { storeUpload } from '../domains/uploads/uploads.service.ts';
import { listingInput, lotInput, productInput } from './catalog-inputs.ts';
import { preview, type JsonSchema, type Verdict } from './hostile-input.core.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { createTestOrg, type TestOrgKind } from './test-orgs.ts';

/**
 * The world the fuzz suites attack: a fresh database, one approved organisation of every kind with a
 * signed-in owner and an API key, a physician and a pharmacist, a platform operator, and real
 * resources of theirs (product, lot, listing, order, shipment, prescription, tender, instrument,
 * upload) whose ids the generated inputs use, so hostile values reach the services and not only the
 * schemas. The route handlers under src/app/api read their services from here while it is open.
 */
export interface FuzzCaller {
  label: string;
  headers: Headers;
  apiKey: boolean;
}

export interface FuzzWorld {
  app: TestApp;
  dataDir: string;
  callers: FuzzCaller[];
  /** Real ids of the world's resources, by the property names inputs carry them in. */
  ids: Record<string, string[]>;
  /** The seller's lot (for labels) and the instrument (for the OHLC export). */
  lotId: string;
  instrumentId: string;
  trackingNumber: string;
  close(): Promise<void>;
}

const servicesGlobal = globalThis as unknown as { __bencaoServices?: Promise<{ handle: DbHandle; auth: Auth }> };

export async function createFuzzWorld(): Promise<FuzzWorld> {
  Object.assign(process.env, TEST_CARRIER_SECRETS, { LOG_LEVEL: 'silent' });
  const app = await createTestApp();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bencao-fuzz-'));
  const previousServices = servicesGlobal.__bencaoServices;
  servicesGlobal.__bencaoServices = Promise.resolve({ handle: app.handle, auth: app.auth });
  // Uploads land in this world's own data directory (env() is cached: parse it again).
  const previousDataDir = process.env.BENCAO_DATA_DIR;
  process.env.BENCAO_DATA_DIR = dataDir;
  resetEnvCache();
  const db = app.handle.db;
  await upsertHerbMasterData(db);

  const callers: FuzzCaller[] = [];
  const orgs: Partial<Record<TestOrgKind, Awaited<ReturnType<typeof createTestOrg>>>> = {};
  for (const kind of ['supplier', 'pharmacy', 'hospital', 'alliance', 'grower'] as TestOrgKind[]) {
    const org = await createTestOrg(app, kind, { tag: `fuzz-${kind}` });
    orgs[kind] = org;
    callers.push({ label: `${kind}/owner`, headers: org.headers, apiKey: false });
  }
  const hospital = orgs.hospital!;
  const physician = await addMember(app, hospital.id, 'physician');
  const pharmacist = await addMember(app, orgs.pharmacy!.id, 'pharmacist');
  callers.push({ label: 'hospital/physician', headers: physician.headers, apiKey: false });
  callers.push({ label: 'pharmacy/pharmacist', headers: pharmacist.headers, apiKey: false });
  const op = await app.signUp(`fuzz-op-${randomBytes(3).toString('hex')}@example.cn`);
  const opOrg = await app.makeOperator(op.userId);
  callers.push({ label: 'operator/operator_admin', headers: op.headers, apiKey: false });
  const loner = await app.signUp(`fuzz-loner-${randomBytes(3).toString('hex')}@example.cn`);
  callers.push({ label: 'user without organisation', headers: loner.headers, apiKey: false });
  for (const [kind, org] of Object.entries(orgs)) {
    const { key } = await app.auth.api.createApiKey({ body: { name: 'fuzz', organizationId: org.id, userId: org.ownerUserId } });
    callers.push({ label: `${kind}/api-key`, headers: new Headers({ authorization: `Bearer ${key}` }), apiKey: true });
  }

  const supplier = orgs.supplier!;
  const instrumentId = (await createInstrument(db, { userId: op.userId, orgId: opOrg }, { herbId: productInput.herbId, form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected' })).id;
  const productId = (await supplier.api.catalog.createProduct(productInput)).id;
  const lotId = (await supplier.api.catalog.createLot({ ...lotInput(`FUZZ-${randomBytes(4).toString('hex')}`, 500_000), productId })).id;
  const listingId = (await supplier.api.catalog.createListing(listingInput(lotId))).id;
  await supplier.api.catalog.setListingStatus({ id: listingId, status: 'active' });
  const cartLineId = (await hospital.api.orders.addToCart({ listingId, grams: 2000 })).id;
  const shipped = await shipOrder(db, testCarriers(), supplier.id, hospital.id);
  const [shipRow] = await db.select({ orderId: shipment.orderId, trackingNumber: shipment.trackingNumber }).from(shipment).where(eq(shipment.id, shipped.id));
  const [orderRow] = await db.select({ checkoutKey: order.checkoutKey }).from(order).where(eq(order.id, shipRow!.orderId!));
  const rxId = (await physician.api.prescriptions.create(rxInput({ idempotencyKey: `FUZZ-RX-${randomBytes(6).toString('hex')}` }))).id;
  const day = (n: number) => new Date(Date.now() + n * 86_400_000);
  const tenderId = (
    await orgs.alliance!.api.tenders.create({
      title: '模糊测试招标',
      method: 'vbp_price',
      weights: null,
      demandDeadline: day(2),
      bidDeadline: day(5),
      openingAt: day(5.1),
      publicityEndsAt: day(8),
      lots: [{ herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', qualityTier: 'A', ceilingFenPerKg: 12_000, deliveryRegions: ['330106'] }],
    })
  ).id;
  const uploadId = (await storeUpload(db, dataDir, { userId: supplier.ownerUserId, orgId: supplier.id }, { name: 'report.pdf', bytes: new TextEncoder().encode('%PDF-1.7\n%%EOF\n') })).id;
  const herbIds = (await db.select({ id: herb.id }).from(herb).limit(5)).map((r) => r.id);

  const ids: Record<string, string[]> = {
    herbId: herbIds,
    productId: [productId],
    lotId: [lotId],
    listingId: [listingId],
    instrumentId: [instrumentId],
    orderId: [shipRow!.orderId!],
    shipmentId: [shipped.id],
    tenderId: [tenderId],
    uploadId: [uploadId],
    documentId: [uploadId],
    orgId: [hospital.id, supplier.id],
    memberOrgId: [hospital.id],
    buyerOrgId: [hospital.id],
    supplierOrgId: [supplier.id],
    checkoutKey: [orderRow!.checkoutKey],
    id: [productId, lotId, listingId, cartLineId, shipRow!.orderId!, shipped.id, rxId, tenderId, uploadId, instrumentId, hospital.id],
  };

  return {
    app,
    dataDir,
    callers,
    ids,
    lotId,
    instrumentId,
    trackingNumber: shipRow!.trackingNumber!,
    async close() {
      servicesGlobal.__bencaoServices = previousServices;
      if (previousDataDir === undefined) delete process.env.BENCAO_DATA_DIR;
      else process.env.BENCAO_DATA_DIR = previousDataDir;
      resetEnvCache();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The world's callers, those most likely to get deep into a procedure first (a hospital's physician
 * for prescriptions, an alliance for tenders…), so that inputs the schema accepts reach the services.
 */
export function callersFor(procedure: string, callers: FuzzCaller[]): FuzzCaller[] {
  const first: Record<string, string[]> = {
    prescriptions: ['hospital/physician', 'pharmacy/pharmacist', 'hospital/api-key', 'pharmacy/owner'],
    tenders: ['alliance/owner', 'alliance/api-key', 'supplier/owner'],
    orders: ['hospital/owner', 'supplier/owner'],
    operator: ['operator/operator_admin'],
    orgs: ['hospital/owner', 'hospital/api-key'],
  };
  const preferred = first[procedure.split('.')[0]!] ?? [];
  const rank = (c: FuzzCaller) => (preferred.includes(c.label) ? preferred.indexOf(c.label) : preferred.length);
  return [...callers].sort((a, b) => rank(a) - rank(b));
}

/** Real ids for `…Id` / `id` string properties half of the time (the rest derived from the schema). */
export function idHints(world: FuzzWorld) {
  return {
    stringFor: (key: string, _schema: JsonSchema) => {
      const pool = world.ids[key] ?? (/Id$/.test(key) ? world.ids.id : undefined);
      return pool?.length ? fc.oneof(fc.constantFrom(...pool), fc.stringMatching(/^[a-z]{2,4}_[0-9a-z]{26}$/)) : undefined;
    },
  };
}

// ── The database fingerprint ──────────────────────────────────────────────────────────────────────

/** The fingerprint query of a database's tables (listed once: a table dropped later fails the query loudly). */
const fingerprintQueries = new WeakMap<DbHandle, string>();

/**
 * Row counts and a content hash of every table. Volatile bookkeeping is left out: sessions and API
 * keys change on every authenticated request (last use, request counts), and an audit entry recording
 * a refused prescription command is the trace DOMAIN rules ask for, not a change.
 */
export async function dbFingerprint(handle: DbHandle): Promise<Record<string, string>> {
  let query = fingerprintQueries.get(handle);
  if (!query) {
    const tables = await sqlRows<{ name: string }>(handle.db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
    query = fingerprintQuery(tables.map((t) => t.name));
    fingerprintQueries.set(handle, query);
  }
  const rows = await sqlRows<{ t: string; f: string }>(handle.db, sql.raw(query));
  return Object.fromEntries(rows.map((r) => [r.t, r.f]));
}

function fingerprintQuery(tables: string[]): string {
  const countOnly = new Set(['session', 'apikey']);
  const parts = tables.map((name) => {
    const ident = `"${name.replace(/"/g, '""')}"`;
    const literal = `'${name.replace(/'/g, "''")}'`;
    if (countOnly.has(name)) return `select ${literal} as t, count(*)::text as f from ${ident}`;
    const where = name === 'audit_log' ? ` where x.action not like 'rx.refused.%'` : '';
    // An order-independent sum of row hashes: as sensitive to an updated row as to an added one, and cheap.
    return `select ${literal} as t, count(*)::text || ':' || coalesce(sum(hashtext(x::text)::bigint), 0)::text as f from ${ident} x${where}`;
  });
  return parts.join(' union all ');
}

/**
 * Tracks the database across a fuzz run: `after(refused)` fingerprints it after a request and
 * answers a problem when a refused request changed anything (an accepted one may write).
 */
export function createDbTracker(handle: DbHandle) {
  let last: Record<string, string> | null = null;
  const tracker = {
    ms: 0,
    async fingerprint() {
      const started = performance.now();
      const now = await dbFingerprint(handle);
      tracker.ms += performance.now() - started;
      return now;
    },
    async start() {
      last = await tracker.fingerprint();
    },
    async after(refused: boolean): Promise<string[]> {
      const now = await tracker.fingerprint();
      const changed = last ? changedTables(last, now) : [];
      last = now;
      return refused && changed.length ? [`refused, yet changed ${changed.join(', ')}`] : [];
    },
  };
  return tracker;
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]).sort();
}

// ── Judging an answer ─────────────────────────────────────────────────────────────────────────────

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
}

/**
 * Reads a response fully; an event stream (a subscription) only until its first event after
 * `connected` (an error arrives so) or a short quiet spell, then it is cancelled.
 */
export async function readAnswer(res: Response): Promise<Answer> {
  const contentType = res.headers.get('content-type') ?? '';
  let text = '';
  if (contentType.includes('text/event-stream') && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    const quiet = () => new Promise<{ done: true; value: undefined }>((resolve) => setTimeout(() => resolve({ done: true, value: undefined }), 300));
    for (let i = 0; i < 8; i++) {
      const chunk = await Promise.race([reader.read(), quiet()]);
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      // A complete event after `connected` (an error, or data): enough to judge.
      if (/^data: .*\n\n/m.test(text.replace(/^event: connected\ndata: .*\n/m, ''))) break;
    }
    await reader.cancel().catch(() => {});
  } else {
    text = await res.text();
  }
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, contentType, text, json };
}

const STACK_TRACE = /\n\s+at |\.tsx?:\d+|node_modules|\/src\//;

/** Problems with an error answer's message: missing, generic, or leaking internals. */
export function messageProblems(message: unknown): string[] {
  if (typeof message !== 'string' || message.trim() === '') return ['no error message'];
  if (STACK_TRACE.test(message)) return [`the message leaks a stack trace or source path: ${preview(message)}`];
  return [];
}

/**
 * Problems with a REST-style error answer (CONTRACTS.md: `{"error":{"code","message","field"}}`):
 * a 5xx, a body that is not that JSON, a missing or leaking message.
 */
export function restErrorProblems(answer: Answer): string[] {
  if (answer.status >= 500) return [`answered ${answer.status} ${preview(answer.text, 200)}`];
  if (answer.status < 400) return [];
  const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object') return [`a ${answer.status} without a JSON error body: ${preview(answer.text, 200)}`];
  return [...(typeof error.code === 'string' && error.code ? [] : ['the error has no code']), ...messageProblems(error.message)];
}

/** The field a REST-style error answer names, if any. */
export const restErrorField = (answer: Answer): unknown => (answer.json as { error?: { field?: unknown } } | null)?.error?.field;

/**
 * Whether `field` (what the answer named) fits the verdict: one of the refused paths, or (for a
 * refusal of a mutated value) the mutated path itself, a parent or a child of it.
 */
export function fieldFits(field: unknown, verdict: Verdict, mutatedPath: string | null): boolean {
  if (verdict.ok || verdict.reason === 'json') return true;
  if (typeof field !== 'string' || field === '') return false;
  if (verdict.fields.includes(field)) return true;
  if (mutatedPath === null) return false;
  return field === mutatedPath || field.startsWith(`${mutatedPath}.`) || mutatedPath.startsWith(`${field}.`);
}

/**
 * Generated runs per endpoint: `fallback` (bounded, for CI time), or FUZZ_RUNS=<n> for a deeper run.
 */
export function fuzzRuns(fallback: number): number {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** The seed of a fuzz run: fixed, so a run is reproducible; FUZZ_SEED=<n> replays another, FUZZ_SEED=random explores. */
export function fuzzSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv === 'random') return Math.floor(Math.random() * 2 ** 31);
  return fromEnv ? Number(fromEnv) : 20_260_301;
}

/** The failure list for the assertion message (the first 60); FUZZ_REPORT=<file> writes all of them there. */
export function failureReport(suite: string, seed: number, failures: string[]): string {
  if (process.env.FUZZ_REPORT && failures.length) appendFileSync(process.env.FUZZ_REPORT, `${suite} (seed ${seed})\n${failures.join('\n')}\n`);
  return `${suite}: ${failures.length} failure(s) with seed ${seed} (replay with FUZZ_SEED=${seed}):\n${failures.slice(0, 60).join('\n')}`;
}
