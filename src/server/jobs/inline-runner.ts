import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import type { JobRegistry } from './define.ts';
import {
  claimRows,
  databaseNow,
  errorBackoffMs,
  inDeliveryScope,
  intervalMs,
  prepareDelivery,
  settleWithin,
  traceHandler,
  type ClaimedRow,
  type ErrorListener,
  type FailureListener,
} from './delivery.ts';
import { computeBackoffMs, DEFAULT_BACKOFF_MS, formatJobError } from './outbox.core.ts';
import type { JobRunner } from './runner.ts';

/**
 * The in-process driver (embedded default, no Redis): the outbox table is the queue.
 *
 * A poll loop claims due rows (`status = 'pending' and run_at <= now()` and no live lease) with
 * `FOR UPDATE SKIP LOCKED`, writing a lease to `locked_until` and counting the attempt. While the
 * handler runs the lease is renewed; if the process dies the lease lapses and the row is due again
 * (redelivery: at-least-once). Every write after the handler is fenced on `attempts`, so a late
 * finisher whose lease was taken over changes nothing. Delays and retries are just rows with a later
 * run_at, so they survive restarts. Several processes may run this driver on one PostgreSQL database.
 */
export interface InlineRunnerOptions {
  db: Db;
  registry: JobRegistry;
  pollMs: number;
  concurrency: number;
  leaseMs: number;
  shutdownGraceMs: number;
  maxBackoffMs: number;
  onFailed: FailureListener;
  onError: ErrorListener;
}

interface Delivery {
  promise: Promise<void>;
  /** Stop renewing the lease and stay quiet: the row will be redelivered when the lease lapses. */
  abandon(): void;
}

export function createInlineRunner(options: InlineRunnerOptions): JobRunner {
  const { db, registry, pollMs, concurrency, leaseMs, shutdownGraceMs, maxBackoffMs, onFailed, onError } = options;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticking: Promise<void> | undefined;
  let wakeRequested = false;
  /** Consecutive poll errors (database unreachable): the loop backs off instead of spamming. */
  let pollFailures = 0;
  const inFlight = new Map<string, Delivery>();

  function deliver(row: ClaimedRow): Delivery {
    let abandoned = false;
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    const report: ErrorListener = (error, where) => {
      if (!abandoned) onError(error, where);
    };
    // Our claim is identified by (id, attempts): a later claim by anyone bumps attempts.
    const fence = and(eq(outboxEvent.id, row.id), eq(outboxEvent.status, 'pending'), eq(outboxEvent.attempts, row.attempts));

    async function fail(error: string, attempts: number): Promise<void> {
      const updated = await db
        .update(outboxEvent)
        .set({ status: 'failed', lastError: error, lockedUntil: null, attempts })
        .where(fence)
        .returning({ id: outboxEvent.id });
      if (updated.length > 0) {
        onFailed({ eventId: row.id, job: row.job, attempt: attempts, maxAttempts: row.maxAttempts, error, final: true });
      }
    }

    async function run(): Promise<void> {
      if (row.attempts > row.maxAttempts) {
        await fail('lease expired during the final attempt (the runner stopped or crashed mid-handler)', row.maxAttempts);
        return;
      }
      const prepared = prepareDelivery(registry, row);
      if (!prepared.ok) {
        await fail(prepared.error, row.attempts);
        return;
      }
      heartbeat = setInterval(
        () => {
          db.update(outboxEvent)
            .set({ lockedUntil: sql`now() + ${intervalMs(leaseMs)}` })
            .where(fence)
            .then(
              () => undefined,
              (error: unknown) => report(error, `lease renewal of ${row.id}`),
            );
        },
        Math.max(10, Math.floor(leaseMs / 3)),
      );
      let failure: { error: unknown } | undefined;
      try {
        await traceHandler(row, row.attempts, 'inline', () => prepared.definition.handler(prepared.payload, { db, eventId: row.id, attempt: row.attempts, now: new Date() }));
      } catch (error) {
        failure = { error };
      } finally {
        clearInterval(heartbeat);
      }
      if (!failure) {
        await db.update(outboxEvent).set({ status: 'done', completedAt: sql`now()`, lockedUntil: null }).where(fence);
        return;
      }
      const message = formatJobError(failure.error);
      if (row.attempts >= row.maxAttempts) {
        await fail(message, row.attempts);
        return;
      }
      const retryInMs = computeBackoffMs(row.attempts, prepared.definition.backoffMs ?? DEFAULT_BACKOFF_MS, maxBackoffMs);
      const updated = await db
        .update(outboxEvent)
        .set({ runAt: sql`now() + ${intervalMs(retryInMs)}`, lastError: message, lockedUntil: null })
        .where(fence)
        .returning({ id: outboxEvent.id });
      if (updated.length > 0) {
        onFailed({ eventId: row.id, job: row.job, attempt: row.attempts, maxAttempts: row.maxAttempts, error: message, final: false, retryInMs });
      }
    }

    const promise = inDeliveryScope(row, row.attempts, () => run().catch((error: unknown) => report(error, `delivery of ${row.job} ${row.id}`)));
    return {
      promise,
      abandon() {
        abandoned = true;
        clearInterval(heartbeat);
      },
    };
  }

  function launch(row: ClaimedRow): Delivery {
    const key = `${row.id}#${row.attempts}`;
    const delivery = deliver(row);
    inFlight.set(key, delivery);
    void delivery.promise.finally(() => {
      inFlight.delete(key);
      if (running) wake();
    });
    return delivery;
  }

  function schedule(ms: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
  }

  function wake(): void {
    if (ticking) wakeRequested = true;
    else schedule(0);
  }

  async function tick(): Promise<void> {
    if (!running || ticking) return;
    wakeRequested = false;
    ticking = (async () => {
      try {
        const capacity = concurrency - inFlight.size;
        if (capacity <= 0) return;
        const rows = await claimRows(db, { limit: capacity, leaseMs, dueOnly: true, countAttempt: true });
        for (const row of rows) launch(row);
        pollFailures = 0;
      } catch (error) {
        pollFailures += 1;
        onError(error, 'outbox poll');
      }
    })();
    await ticking;
    ticking = undefined;
    schedule(wakeRequested && pollFailures === 0 ? 0 : errorBackoffMs(pollMs, pollFailures));
  }

  return {
    kind: 'inline',
    async start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await ticking;
      const deliveries = [...inFlight.values()];
      const finished = await settleWithin(
        deliveries.map((d) => d.promise),
        shutdownGraceMs,
      );
      if (!finished) for (const d of inFlight.values()) d.abandon();
    },
    async drainOnce() {
      const dueBefore = await databaseNow(db);
      let count = 0;
      for (;;) {
        const rows = await claimRows(db, { limit: concurrency, leaseMs, dueOnly: true, countAttempt: true, dueBefore });
        if (rows.length === 0) return count;
        await Promise.all(rows.map((row) => launch(row).promise));
        count += rows.length;
      }
    },
  };
}
