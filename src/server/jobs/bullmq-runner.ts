import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import type { JobRegistry } from './define.ts';
import {
  claimRows,
  errorBackoffMs,
  inDeliveryScope,
  intervalMs,
  prepareDelivery,
  settleWithin,
  sleep,
  traceHandler,
  type ClaimedRow,
  type ErrorListener,
  type FailureListener,
  type OutboxRow,
} from './delivery.ts';
import { computeBackoffMs, DEFAULT_BACKOFF_MS, formatJobError } from './outbox.core.ts';
import type { JobRunner } from './runner.ts';

/**
 * The Redis driver (production: `REDIS_URL`, `npm run worker`). The outbox table stays the source of
 * truth; Redis only schedules and distributes.
 *
 * - Dispatcher: leases pending rows (due or future) and adds each to the BullMQ queue with
 *   `jobId` = outbox id (a second add of the same id is a no-op), `delay` = run_at − now (by the
 *   database clock), `attempts` = max_attempts and the shared exponential backoff, then marks the
 *   row `dispatched`. A crash between add and mark only causes a harmless re-add.
 * - Worker: loads the row, runs the handler, marks the row `done`; on a failed attempt records
 *   attempts + last_error, on the final one marks it `failed`. Unknown job names and payloads that no
 *   longer parse fail permanently (UnrecoverableError). BullMQ's job lock is the lease: it is renewed
 *   while the handler runs and, if the process dies, the stalled-job check redelivers.
 * - Reconciler: rows `dispatched` for a while whose Redis job is gone (Redis flushed or evicted) go
 *   back to `pending` and are dispatched again; rows whose Redis job already failed/completed are
 *   brought in line — except a job BullMQ failed for stalling too often (the workers running it kept
 *   dying): that is one failed attempt, and the row is dispatched again while attempts remain.
 *
 * PRODUCTION REDIS MUST RUN WITH `maxmemory-policy noeviction`: with any eviction policy Redis may
 * silently drop queue keys under memory pressure (BullMQ warns at start). The reconciler recovers
 * the rows, but only after `reconcileGraceMs`, and a re-dispatched row starts its attempts over.
 * Use persistence (AOF) as well so delayed jobs survive a Redis restart without reconciling.
 */
export interface BullmqRunnerOptions {
  db: Db;
  registry: JobRegistry;
  redisUrl: string;
  /** Redis key prefix of the queue (`<prefix>:outbox:*`); give tests their own. */
  prefix: string;
  pollMs: number;
  concurrency: number;
  leaseMs: number;
  shutdownGraceMs: number;
  maxBackoffMs: number;
  /** How often the reconciler runs, and how long a row must have been dispatched before it is checked. */
  reconcileMs: number;
  reconcileGraceMs: number;
  /** How often BullMQ looks for jobs whose lock lapsed (a dead worker). */
  stalledIntervalMs: number;
  onFailed: FailureListener;
  onError: ErrorListener;
}

export const QUEUE_NAME = 'outbox';
const BACKOFF_TYPE = 'outbox-exponential';
const DISPATCH_BATCH = 100;
const RECONCILE_BATCH = 200;
/** Lease a dispatcher holds on rows while it adds them to Redis. */
const DISPATCH_LEASE_MS = 30_000;
/** BullMQ's `failedReason` for a job whose lock lapsed more than `maxStalledCount` times. */
const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';

interface JobData {
  job: string;
}

export function createBullmqRunner(options: BullmqRunnerOptions): JobRunner {
  const { db, registry, pollMs, concurrency, leaseMs, shutdownGraceMs, maxBackoffMs, onFailed, onError } = options;
  const connection: ConnectionOptions = { url: options.redisUrl };
  let queue: Queue<JobData> | undefined;
  let worker: Worker<JobData> | undefined;
  let loops: AbortController | undefined;
  let loopPromises: Promise<void>[] = [];
  let reconcileCursor = '';
  const inFlight = new Set<Promise<unknown>>();

  const liveFence = (id: string) => and(eq(outboxEvent.id, id), inArray(outboxEvent.status, ['pending', 'dispatched']));

  async function processJob(job: Job<JobData>): Promise<void> {
    const id = job.id;
    if (!id) return;
    const [row] = await db.select().from(outboxEvent).where(eq(outboxEvent.id, id));
    // Gone, or already finished by an earlier delivery (at-least-once duplicates end here).
    if (!row || (row.status !== 'pending' && row.status !== 'dispatched')) return;
    const attempt = job.attemptsMade + 1;
    return inDeliveryScope(row, attempt, () => deliver(job, row, attempt));
  }

  /** One attempt of a live row: the handler, then the row's bookkeeping. */
  async function deliver(job: Job<JobData>, row: OutboxRow, attempt: number): Promise<void> {
    const maxAttempts = job.opts.attempts ?? row.maxAttempts;
    const prepared = prepareDelivery(registry, row);
    if (!prepared.ok) {
      await markFailed(row.id, row.job, prepared.error, attempt, maxAttempts);
      throw new UnrecoverableError(prepared.error);
    }
    try {
      await traceHandler(row, attempt, 'bullmq', () => prepared.definition.handler(prepared.payload, { db, eventId: row.id, attempt, now: new Date() }));
    } catch (error) {
      const message = formatJobError(error);
      if (attempt >= maxAttempts) {
        await markFailed(row.id, row.job, message, attempt, maxAttempts);
      } else {
        const retryInMs = computeBackoffMs(attempt, backoffBase(job), maxBackoffMs);
        await db
          .update(outboxEvent)
          .set({ attempts: attempt, lastError: message, runAt: sql`now() + ${intervalMs(retryInMs)}` })
          .where(liveFence(row.id));
        onFailed({ eventId: row.id, job: row.job, attempt, maxAttempts, error: message, final: false, retryInMs });
      }
      throw error instanceof Error ? error : new Error(message);
    }
    await db
      .update(outboxEvent)
      .set({ status: 'done', attempts: attempt, completedAt: sql`now()`, lockedUntil: null })
      .where(liveFence(row.id));
  }

  async function markFailed(id: string, jobName: string, error: string, attempt: number, maxAttempts: number): Promise<void> {
    const updated = await db
      .update(outboxEvent)
      .set({ status: 'failed', attempts: attempt, lastError: error, lockedUntil: null })
      .where(liveFence(id))
      .returning({ id: outboxEvent.id });
    if (updated.length > 0) onFailed({ eventId: id, job: jobName, attempt, maxAttempts, error, final: true });
  }

  function backoffBase(job: Pick<Job, 'opts'>): number {
    const backoff = job.opts.backoff;
    if (typeof backoff === 'number') return backoff;
    return backoff?.delay ?? DEFAULT_BACKOFF_MS;
  }

  async function addToQueue(q: Queue<JobData>, row: ClaimedRow): Promise<void> {
    await q.add(
      row.job,
      { job: row.job },
      {
        jobId: row.id,
        delay: row.delayMs,
        attempts: row.maxAttempts,
        backoff: { type: BACKOFF_TYPE, delay: registry.get(row.job)?.backoffMs ?? DEFAULT_BACKOFF_MS },
        // The row keeps the history; Redis only needs recent jobs.
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  /** Hands one leased pending row to Redis and marks it dispatched. */
  async function dispatch(q: Queue<JobData>, row: ClaimedRow): Promise<void> {
    const state = await q.getJobState(row.id);
    if (state === 'active') {
      // An earlier delivery is still running (e.g. retried by an operator meanwhile): try again later.
      await db.update(outboxEvent).set({ lockedUntil: null }).where(and(eq(outboxEvent.id, row.id), eq(outboxEvent.status, 'pending')));
      return;
    }
    if (state === 'completed' || state === 'failed') {
      // A finished job under this id (the row was retried): replace it, or the add would be a no-op.
      await (await q.getJob(row.id))?.remove();
    }
    if (state === 'unknown' || state === 'completed' || state === 'failed') await addToQueue(q, row);
    await db
      .update(outboxEvent)
      .set({ status: 'dispatched', dispatchedAt: sql`now()`, lockedUntil: null })
      .where(and(eq(outboxEvent.id, row.id), eq(outboxEvent.status, 'pending')));
  }

  async function dispatchOnce(q: Queue<JobData>): Promise<number> {
    // Never longer than a delivery's lease: the rows a dispatcher that died mid-batch had claimed are
    // taken over as soon as the jobs a dead worker was running (a second dispatch of a row is harmless).
    const rows = await claimRows(db, { limit: DISPATCH_BATCH, leaseMs: Math.min(DISPATCH_LEASE_MS, leaseMs), dueOnly: false, countAttempt: false });
    for (const row of rows) {
      try {
        await dispatch(q, row);
      } catch (error) {
        onError(error, `dispatch of ${row.job} ${row.id}`);
      }
    }
    return rows.length;
  }

  /** Checks a slice of the dispatched rows against Redis (a cursor walks the whole set over time). */
  async function reconcileOnce(q: Queue<JobData>): Promise<void> {
    const rows = await db
      .select({ id: outboxEvent.id, job: outboxEvent.job, maxAttempts: outboxEvent.maxAttempts, attempts: outboxEvent.attempts })
      .from(outboxEvent)
      .where(
        and(
          eq(outboxEvent.status, 'dispatched'),
          lt(outboxEvent.dispatchedAt, sql`now() - ${intervalMs(options.reconcileGraceMs)}`),
          gt(outboxEvent.id, reconcileCursor),
        ),
      )
      .orderBy(asc(outboxEvent.id))
      .limit(RECONCILE_BATCH);
    reconcileCursor = rows.length === RECONCILE_BATCH ? (rows[rows.length - 1]?.id ?? '') : '';
    for (const row of rows) {
      const state = await q.getJobState(row.id);
      const stillDispatched = and(eq(outboxEvent.id, row.id), eq(outboxEvent.status, 'dispatched'));
      if (state === 'unknown') {
        await db.update(outboxEvent).set({ status: 'pending', lockedUntil: null }).where(stillDispatched);
      } else if (state === 'failed') {
        // Failed in Redis without the worker recording it (e.g. stalled too often): record it now.
        const job = await q.getJob(row.id);
        const error = `failed in BullMQ: ${job?.failedReason ?? 'unknown reason'}`;
        const attempt = Math.max(row.attempts, job?.attemptsMade ?? 0);
        if (job?.failedReason === STALLED_TOO_OFTEN && attempt + 1 < row.maxAttempts) {
          // The workers running it died (or lost its lock) more than `maxStalledCount` times: that is one
          // failed attempt of the row, not its end — it goes back to pending and is dispatched again.
          const retried = await db
            .update(outboxEvent)
            .set({ status: 'pending', lastError: error, attempts: attempt + 1, lockedUntil: null })
            .where(stillDispatched)
            .returning({ id: outboxEvent.id });
          if (retried.length > 0) onFailed({ eventId: row.id, job: row.job, attempt: attempt + 1, maxAttempts: row.maxAttempts, error, final: false, retryInMs: 0 });
          continue;
        }
        const updated = await db
          .update(outboxEvent)
          .set({ status: 'failed', lastError: error, attempts: attempt })
          .where(stillDispatched)
          .returning({ id: outboxEvent.id });
        if (updated.length > 0) onFailed({ eventId: row.id, job: row.job, attempt, maxAttempts: row.maxAttempts, error, final: true });
      } else if (state === 'completed') {
        await db.update(outboxEvent).set({ status: 'done', completedAt: sql`now()` }).where(stillDispatched);
      }
    }
  }

  /** Runs `body` every `everyMs` (at once again while it reports a full batch); backs off on errors. */
  async function loop(name: string, everyMs: number, signal: AbortSignal, body: () => Promise<number | void>): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let busy = false;
      try {
        busy = (await body()) === DISPATCH_BATCH;
        failures = 0;
      } catch (error) {
        failures += 1;
        onError(error, name);
      }
      if (!busy) await sleep(errorBackoffMs(everyMs, failures), signal);
    }
  }

  return {
    kind: 'bullmq',
    async start() {
      if (queue) return;
      const q = new Queue<JobData>(QUEUE_NAME, { connection, prefix: options.prefix });
      q.on('error', (error) => onError(error, 'bullmq queue'));
      const w = new Worker<JobData>(
        QUEUE_NAME,
        (job) => {
          const run = processJob(job);
          inFlight.add(run);
          void run.then(
            () => inFlight.delete(run),
            () => inFlight.delete(run),
          );
          return run;
        },
        {
          connection,
          prefix: options.prefix,
          concurrency,
          lockDuration: leaseMs,
          stalledInterval: options.stalledIntervalMs,
          maxStalledCount: 2,
          autorun: true,
          settings: {
            backoffStrategy: (attempt, _type, _error, job) => computeBackoffMs(attempt, job ? backoffBase(job) : DEFAULT_BACKOFF_MS, maxBackoffMs),
          },
        },
      );
      w.on('error', (error) => onError(error, 'bullmq worker'));
      queue = q;
      worker = w;
      await Promise.all([q.waitUntilReady(), w.waitUntilReady()]);
      const controller = new AbortController();
      loops = controller;
      loopPromises = [
        loop('outbox dispatch', pollMs, controller.signal, () => dispatchOnce(q)),
        loop('outbox reconcile', options.reconcileMs, controller.signal, () => reconcileOnce(q)),
      ];
    },
    async stop() {
      loops?.abort();
      await Promise.all(loopPromises);
      loops = undefined;
      loopPromises = [];
      const w = worker;
      const q = queue;
      worker = undefined;
      queue = undefined;
      if (w) {
        // Fetch nothing new, give running handlers the grace period, then close. A forced close
        // abandons what still runs: its lock lapses and another worker redelivers it.
        await w.pause(true).catch((error: unknown) => onError(error, 'bullmq worker pause'));
        const finished = await settleWithin(inFlight, shutdownGraceMs);
        await w.close(!finished).catch((error: unknown) => onError(error, 'bullmq worker close'));
      }
      await q?.close().catch((error: unknown) => onError(error, 'bullmq queue close'));
    },
  };
}
