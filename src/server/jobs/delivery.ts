import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { and, asc, eq, getTableColumns, gt, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { sqlRows, type Db } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import { logger, withLogScope } from '../observability/request-scope.ts';
import { linksTo, tracer } from '../observability/tracing.ts';
import type { AnyJobDefinition, JobRegistry } from './define.ts';
import { payloadError } from './outbox.core.ts';

/** Shared pieces of both drivers: claiming rows, resolving definitions, failure reports. */

export type OutboxRow = typeof outboxEvent.$inferSelect;

/** What `onFailed` receives for every failed delivery (retried or final). */
export interface JobFailure {
  eventId: string;
  job: string;
  attempt: number;
  maxAttempts: number;
  /** The text stored in `last_error`. */
  error: string;
  /** true when the row is now `failed` (no more automatic attempts). */
  final: boolean;
  /** When the next attempt is due, for a non-final failure. */
  retryInMs?: number;
}

export type FailureListener = (failure: JobFailure) => void;
/** Infrastructure errors (database or Redis unreachable, a lost lease): the loops keep going. */
export type ErrorListener = (error: unknown, where: string) => void;

/** Logs every failed attempt; inside a delivery scope the line carries the job's request id. */
export const defaultOnFailed: FailureListener = (f) => {
  const fields = { job: f.job, eventId: f.eventId, attempt: f.attempt, maxAttempts: f.maxAttempts, error: f.error };
  if (f.final) logger().error(fields, 'job failed for good');
  else logger().warn({ ...fields, retryInMs: f.retryInMs ?? 0 }, 'job attempt failed, will retry');
};

export const defaultOnError: ErrorListener = (error, where) => {
  logger().error({ where, error: describeError(error) }, 'job runner error');
};

/** The outbox row fields a delivery is observed by. */
export type DeliveredRow = Pick<OutboxRow, 'id' | 'job' | 'requestId' | 'traceparent'>;

/**
 * Runs one delivery attempt (`body`: handler and bookkeeping) in a log scope carrying the enqueuing
 * request's id, the job name, the event id and the attempt, so every line logged meanwhile (by the
 * runner, `onFailed`, the handler) has them.
 */
export function inDeliveryScope<T>(row: DeliveredRow, attempt: number, body: () => Promise<T>): Promise<T> {
  return withLogScope({ requestId: row.requestId, job: row.job, eventId: row.id, attempt }, body);
}

/**
 * Calls the handler of one attempt inside a `job <name>` span (a new trace, linked to the enqueuing
 * request's span when the row carries a traceparent), so the handler's statements are its children.
 * Logs the success with its duration; a failure is rethrown (the runner records and reports it).
 */
export function traceHandler(row: DeliveredRow, attempt: number, runner: 'inline' | 'bullmq', handler: () => Promise<void>): Promise<void> {
  const attributes = {
    'messaging.system': 'bencao.outbox',
    'job.name': row.job,
    'job.event_id': row.id,
    'job.attempt': attempt,
    'job.runner': runner,
    ...(row.requestId ? { 'bencao.request_id': row.requestId } : {}),
  };
  return tracer().startActiveSpan(`job ${row.job}`, { kind: SpanKind.CONSUMER, root: true, links: linksTo(row.traceparent), attributes }, async (span) => {
    const started = performance.now();
    try {
      await handler();
      logger().info({ durationMs: Math.round((performance.now() - started) * 10) / 10 }, 'job delivered');
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** One line: the message (first line only) and its cause's, without the query text or stack. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = (e: Error) => `${e.name}: ${e.message.split('\n')[0] ?? ''}`;
  return error.cause instanceof Error ? `${first(error)} (cause: ${first(error.cause)})` : first(error);
}

/** Delay before the next loop turn after `failures` consecutive errors: doubles from `baseMs`, at most 30 s. */
export function errorBackoffMs(baseMs: number, failures: number): number {
  return failures === 0 ? baseMs : Math.min(30_000, Math.max(baseMs, 250) * 2 ** Math.min(failures - 1, 10));
}

/** `ms` as an SQL interval, bound as a double so both drivers type the parameter. */
export function intervalMs(ms: number): SQL {
  return sql`(${Math.max(0, Math.round(ms))}::double precision * interval '1 millisecond')`;
}

export type Prepared =
  | { ok: true; definition: AnyJobDefinition; payload: unknown }
  | { ok: false; error: string };

/** Finds the row's definition and parses its payload; either failure is permanent (no retry helps). */
export function prepareDelivery(registry: JobRegistry, row: Pick<OutboxRow, 'job' | 'payload'>): Prepared {
  const definition = registry.get(row.job);
  if (!definition) return { ok: false, error: `unknown job "${row.job}": no definition in this runner's registry` };
  const parsed = definition.payload.safeParse(row.payload);
  if (!parsed.success) return { ok: false, error: payloadError(row.job, parsed.error).message };
  return { ok: true, definition, payload: parsed.data };
}

export interface ClaimOptions {
  limit: number;
  /** Lease written to `locked_until`; while it lasts no other runner claims the row. */
  leaseMs: number;
  /** Only rows whose run_at has come (inline delivery); false → future rows too (BullMQ dispatch). */
  dueOnly: boolean;
  /** Count the claim as a delivery attempt (inline) or not (dispatch). */
  countAttempt: boolean;
  /** Only rows due at or before this instant (drainOnce: "currently due"). */
  dueBefore?: Date;
}

export type ClaimedRow = OutboxRow & { delayMs: number };

/**
 * Atomically leases up to `limit` pending rows nobody holds (`FOR UPDATE SKIP LOCKED`, so concurrent
 * runners never claim the same row) and returns them with the ms left until their run_at.
 */
export async function claimRows(db: Db, options: ClaimOptions): Promise<ClaimedRow[]> {
  const conditions: SQL[] = [
    eq(outboxEvent.status, 'pending'),
    or(isNull(outboxEvent.lockedUntil), lt(outboxEvent.lockedUntil, sql`now()`)) as SQL,
  ];
  if (options.dueOnly) conditions.push(lte(outboxEvent.runAt, sql`now()`));
  if (options.dueBefore) conditions.push(lte(outboxEvent.runAt, options.dueBefore));
  const candidates = db
    .select({ id: outboxEvent.id })
    .from(outboxEvent)
    .where(and(...conditions))
    .orderBy(asc(outboxEvent.runAt), asc(outboxEvent.id))
    .limit(options.limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(outboxEvent)
    .set({
      lockedUntil: sql`now() + ${intervalMs(options.leaseMs)}`,
      ...(options.countAttempt ? { attempts: sql`${outboxEvent.attempts} + 1` } : {}),
    })
    .where(inArray(outboxEvent.id, candidates))
    .returning({
      ...getTableColumns(outboxEvent),
      delayMs: sql<number>`greatest(0, extract(epoch from (${outboxEvent.runAt} - now())) * 1000)::double precision`,
    });
  return rows
    .map((r) => ({ ...r, delayMs: Math.round(Number(r.delayMs)) }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || (a.id < b.id ? -1 : 1));
}

/**
 * Ends every live lease: those rows may be claimed again at once. Only for a database no other runner
 * can reach — the embedded PGlite, which one process opens — where a lease found at start belongs to an
 * earlier run of this process, stopped or killed mid-delivery, and would otherwise hold its row for the
 * rest of the lease. The attempt it counted stays counted. Answers how many rows it released.
 */
export async function releaseLeases(db: Db): Promise<number> {
  const released = await db
    .update(outboxEvent)
    .set({ lockedUntil: null })
    .where(and(eq(outboxEvent.status, 'pending'), gt(outboxEvent.lockedUntil, sql`now()`)))
    .returning({ id: outboxEvent.id });
  return released.length;
}

/**
 * The database clock, so "currently due" is judged by the same clock as run_at. Rounded up to the
 * millisecond: `now()` has microseconds and a JS Date does not, so a row written a few microseconds
 * before this read must not look later than it.
 */
export async function databaseNow(db: Db): Promise<Date> {
  const [row] = await sqlRows<{ ms: unknown }>(db, sql`select ceil(extract(epoch from now()) * 1000)::float8 as ms`);
  const date = new Date(Number(row?.ms));
  if (Number.isNaN(date.getTime())) throw new Error('could not read now() from the database');
  return date;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits for `promises` to settle, at most `ms`; true when they all settled in time. */
export async function settleWithin(promises: Iterable<Promise<unknown>>, ms: number): Promise<boolean> {
  const list = [...promises];
  if (list.length === 0) return true;
  if (ms <= 0) return false;
  const all = Promise.allSettled(list).then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
