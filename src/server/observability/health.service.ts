import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { gt, max, sql } from 'drizzle-orm';
import { sqlRows, type Db } from '../db/client.ts';
import { carrierWebhookDelivery } from '../db/schema/shipments.ts';
import { env, type Env } from '../env.ts';
import { appCarriers, type Carriers } from '../integrations/carriers/carriers.ts';
import { appPaymentsConfig } from '../integrations/payments/payments.ts';
import type { PaymentsConfig } from '../integrations/payments/payments.config.ts';
import { createStripeClient } from '../integrations/payments/stripe.adapter.ts';
import { createSearchIndex } from '../integrations/search/search.ts';
import { jobCountsByName, oldestDuePending } from '../jobs/admin.ts';
import { QUEUE_NAME } from '../jobs/bullmq-runner.ts';
import { DEFAULT_QUEUE_PREFIX } from '../jobs/runner.ts';
import {
  outboxDepths,
  overallStatus,
  paymentsKeyMode,
  probeDown,
  probeOf,
  runnerStatus,
  SLOW_AFTER_MS,
  type OutboxDepths,
  type OverallStatus,
  type PaymentsKeyMode,
  type Probe,
  type ProbeStatus,
} from './health.core.ts';
import { redactText } from './redact.core.ts';

/**
 * The operator's view of the platform's adapters: each one probed with a cheap real request (a query,
 * a Redis PING, a search stats call, a payments list call), its latency and why it is down, plus the
 * queue depths (outbox per job and status; BullMQ's own counts when Redis is used) and the carriers'
 * latest accepted webhooks. No secret is part of the answer: only the kind of payments key.
 * Platform-internal: callers check the operator permission.
 */
export interface HealthDeps {
  db: Db;
  env: Pick<Env, 'DATABASE_URL' | 'REDIS_URL' | 'MEILI_URL' | 'MEILI_KEY' | 'BENCAO_RUN_JOBS'>;
  payments: { config: PaymentsConfig; ping(timeoutMs: number): Promise<void> };
  carriers: Pick<Carriers, 'codes' | 'config' | 'get'>;
  /** BullMQ key prefix of the outbox queue. */
  queuePrefix: string;
  /** Each probe gives up after this long. Default 3 s. */
  timeoutMs?: number;
}

export const BULLMQ_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
export type BullmqCounts = Record<(typeof BULLMQ_STATES)[number], number>;

/** Carrier webhooks are looked up this far back (through the received_at index). */
export const CARRIER_WEBHOOK_WINDOW_DAYS = 7;

export interface SystemHealth {
  status: OverallStatus;
  /** ISO-8601. */
  checkedAt: string;
  database: Probe & { driver: 'postgres' | 'pglite'; serverVersion: string | null };
  jobs: {
    /** Down with its Redis; slow when Redis is slow or due jobs wait longer than RUNNER_LAG_SLOW_MS. */
    status: ProbeStatus;
    runner: 'inline' | 'bullmq';
    /** Whether this web process runs jobs (BENCAO_RUN_JOBS=1) or leaves them to `npm run worker` processes. */
    inWebProcess: boolean;
    redis: (Probe & { host: string }) | null;
    outbox: (OutboxDepths & { oldestDueAt: string | null }) | null;
    /** BullMQ's counts for the outbox queue; null on the inline runner or when Redis is down. */
    bullmq: BullmqCounts | null;
  };
  search: Probe & { adapter: 'postgres' | 'meilisearch'; documents: number | null };
  payments: Probe & { adapter: 'sandbox' | 'stripe'; keyMode: PaymentsKeyMode; webhookSecret: boolean; endpoint: string };
  carriers: {
    windowDays: number;
    toleranceSeconds: number;
    /** `simulated`: played by the platform; `offered`: shippers may choose it (the simulated one only in demo mode). */
    adapters: { code: string; simulated: boolean; offered: boolean; lastWebhookAt: string | null }[];
  };
}

type Timed<T> = { ok: true; value: T; ms: number } | { ok: false; error: string; ms: number };

/** Runs `probe`, timing it; a failure or a timeout becomes a one-line, masked error. */
async function timed<T>(timeoutMs: number, probe: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const value = await Promise.race([probe(), timeout]);
    return { ok: true, value, ms: performance.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: redactText(message.split('\n')[0] ?? '').slice(0, 300), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

const probeFrom = (result: Timed<unknown>, slowAfterMs: number): Probe => (result.ok ? probeOf(result.ms, slowAfterMs) : probeDown(result.error));

async function databaseVersion(db: Db): Promise<string | null> {
  const [row] = await sqlRows<{ version: string }>(db, sql`select current_setting('server_version') as version`);
  return row?.version ?? null;
}

async function outboxQueue(db: Db): Promise<OutboxDepths & { oldestDueAt: string | null }> {
  const [rows, oldest] = await Promise.all([jobCountsByName(db), oldestDuePending(db)]);
  return { ...outboxDepths(rows), oldestDueAt: oldest ? oldest.toISOString() : null };
}

async function lastCarrierWebhooks(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .select({ carrier: carrierWebhookDelivery.carrier, at: max(carrierWebhookDelivery.receivedAt) })
    .from(carrierWebhookDelivery)
    .where(gt(carrierWebhookDelivery.receivedAt, sql`now() - (${CARRIER_WEBHOOK_WINDOW_DAYS} * interval '1 day')`))
    .groupBy(carrierWebhookDelivery.carrier);
  return new Map(rows.flatMap((r) => (r.at ? [[r.carrier, new Date(r.at).toISOString()] as const] : [])));
}

/** Redis PING (and BullMQ's counts of the outbox queue) on a short-lived connection that never retries. */
async function redisHealth(url: string, prefix: string, timeoutMs: number): Promise<{ probe: Probe & { host: string }; counts: BullmqCounts | null }> {
  const host = new URL(url).host;
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  // Connection errors are reported through the probe.
  redis.on('error', () => undefined);
  try {
    const connected = await timed(timeoutMs, () => redis.connect());
    if (!connected.ok) return { probe: { ...probeDown(connected.error), host }, counts: null };
    const ping = await timed(timeoutMs, () => redis.ping());
    if (!ping.ok) return { probe: { ...probeDown(ping.error), host }, counts: null };
    const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
    try {
      const counts = await timed(timeoutMs, () => queue.getJobCounts(...BULLMQ_STATES));
      const value = counts.ok ? (Object.fromEntries(BULLMQ_STATES.map((s) => [s, counts.value[s] ?? 0])) as BullmqCounts) : null;
      return { probe: { ...probeOf(ping.ms, SLOW_AFTER_MS.redis), host }, counts: value };
    } finally {
      await queue.close().catch(() => undefined);
    }
  } finally {
    redis.disconnect();
  }
}

export async function checkSystemHealth(deps: HealthDeps): Promise<SystemHealth> {
  const timeoutMs = deps.timeoutMs ?? 3_000;
  const { db } = deps;
  const search = createSearchIndex(deps.env, db);
  const redisUrl = deps.env.REDIS_URL;
  const [dbVersion, outbox, redis, searchStats, paymentsPing, carrierWebhooks] = await Promise.all([
    timed(timeoutMs, () => databaseVersion(db)),
    timed(timeoutMs, () => outboxQueue(db)),
    redisUrl ? redisHealth(redisUrl, deps.queuePrefix, timeoutMs) : Promise.resolve(null),
    timed(timeoutMs, () => search.stats()).finally(() => search.close?.()),
    timed(timeoutMs, () => deps.payments.ping(timeoutMs)),
    timed(timeoutMs, () => lastCarrierWebhooks(db)),
  ]);

  const database = { ...probeFrom(dbVersion, SLOW_AFTER_MS.database), driver: deps.env.DATABASE_URL ? ('postgres' as const) : ('pglite' as const), serverVersion: dbVersion.ok ? dbVersion.value : null };
  const searchHealth = { ...probeFrom(searchStats, SLOW_AFTER_MS.search), adapter: search.kind, documents: searchStats.ok ? searchStats.value.documents : null };
  const { config } = deps.payments;
  const payments = {
    ...probeFrom(paymentsPing, SLOW_AFTER_MS.payments),
    adapter: config.kind,
    keyMode: paymentsKeyMode(config.secretKey),
    webhookSecret: config.webhookSecret !== null,
    endpoint: config.apiBase ?? 'https://api.stripe.com',
  };
  const lastWebhooks = carrierWebhooks.ok ? carrierWebhooks.value : new Map<string, string>();
  const outboxValue = outbox.ok ? outbox.value : null;
  const oldestDueAt = outboxValue?.oldestDueAt ? new Date(outboxValue.oldestDueAt) : null;
  const runner = runnerStatus({ redis: redis?.probe ?? null, oldestDueAt, now: new Date() });
  return {
    status: overallStatus({ database: database.status, others: [runner, searchHealth.status, payments.status], failedJobs: outboxValue?.totals.failed ?? 0 }),
    checkedAt: new Date().toISOString(),
    database,
    jobs: {
      status: runner,
      runner: redisUrl ? 'bullmq' : 'inline',
      inWebProcess: deps.env.BENCAO_RUN_JOBS === '1',
      redis: redis?.probe ?? null,
      outbox: outboxValue,
      bullmq: redis?.counts ?? null,
    },
    search: searchHealth,
    payments,
    carriers: {
      windowDays: CARRIER_WEBHOOK_WINDOW_DAYS,
      toleranceSeconds: deps.carriers.config.toleranceSeconds,
      adapters: deps.carriers.codes.map((code) => {
        const simulated = deps.carriers.get(code)?.simulated ?? false;
        return { code, simulated, offered: !simulated || deps.carriers.config.simulatedAvailable, lastWebhookAt: lastWebhooks.get(code) ?? null };
      }),
    },
  };
}

/** The web process's adapters, as configured by the environment, over `db`. */
export function appHealthDeps(db: Db): HealthDeps {
  const config = appPaymentsConfig();
  return {
    db,
    env: env(),
    payments: {
      config,
      async ping(timeoutMs) {
        await createStripeClient(config, { maxNetworkRetries: 0, timeoutMs }).refunds.list({ limit: 1 });
      },
    },
    carriers: appCarriers(),
    queuePrefix: DEFAULT_QUEUE_PREFIX,
  };
}
