import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { DbOrTx } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import { currentRequestId } from '../observability/request-scope.ts';
import { currentTraceparent } from '../observability/tracing.ts';
import type { AnyJobDefinition, JobDefinition } from './define.ts';
import { DEFAULT_MAX_ATTEMPTS, payloadError } from './outbox.core.ts';

export interface EnqueueOptions {
  /** Deliver at (not before) this instant. */
  runAt?: Date;
  /** Deliver this many ms after the enqueuing transaction's `now()`. Ignored when `runAt` is given. */
  delayMs?: number;
  /**
   * Idempotency key for the enqueue itself: while a row with this key exists (in any status, forever),
   * a second enqueue writes nothing and returns the first row's id. Namespace it: `orders.paid:ord_…`.
   */
  dedupeKey?: string;
  /** Overrides the job's maxAttempts for this row. */
  maxAttempts?: number;
}

/**
 * Writes an outbox row for `job` in the caller's transaction and returns its id (`evt_…`).
 *
 * Call it with the `tx` of the domain change so both commit or neither does:
 * ```ts
 * await db.transaction(async (tx) => {
 *   await tx.update(order).set({ status: 'paid' }).where(eq(order.id, id));
 *   await enqueue(tx, capturePayment, { orderId: id }, { dedupeKey: `orders.capture:${id}` });
 * });
 * ```
 * The payload is validated with the job's schema first (AppError VALIDATION naming the field, nothing
 * written); the parsed value (defaults applied) is stored as jsonb. The current request id and span
 * (when tracing) are stored with it, so each delivery's log lines and span point back to the request.
 */
export async function enqueue<S extends z.ZodType>(
  db: DbOrTx,
  job: JobDefinition<S>,
  payload: z.input<S>,
  options: EnqueueOptions = {},
): Promise<string> {
  const parsed = job.payload.safeParse(payload);
  if (!parsed.success) throw payloadError(job.name, parsed.error);
  const maxAttempts = options.maxAttempts ?? job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new AppError('VALIDATION', 'maxAttempts must be a positive integer', { field: 'maxAttempts' });
  }
  if (options.runAt && Number.isNaN(options.runAt.getTime())) {
    throw new AppError('VALIDATION', 'runAt is not a valid date', { field: 'runAt' });
  }
  if (options.delayMs !== undefined && (!Number.isFinite(options.delayMs) || options.delayMs < 0)) {
    throw new AppError('VALIDATION', 'delayMs must be a non-negative number', { field: 'delayMs' });
  }
  if (options.dedupeKey !== undefined && options.dedupeKey.trim() === '') {
    throw new AppError('VALIDATION', 'dedupeKey must not be empty', { field: 'dedupeKey' });
  }

  const runAt = options.runAt
    ? options.runAt
    : options.delayMs
      ? sql`now() + (${Math.round(options.delayMs)}::double precision * interval '1 millisecond')`
      : undefined;
  const id = newId('outbox');
  const values = {
    id,
    job: job.name,
    payload: parsed.data as unknown,
    dedupeKey: options.dedupeKey ?? null,
    maxAttempts,
    requestId: currentRequestId(),
    traceparent: currentTraceparent(),
    ...(runAt ? { runAt } : {}),
  };

  if (options.dedupeKey === undefined) {
    await db.insert(outboxEvent).values(values);
    return id;
  }
  const inserted = await db
    .insert(outboxEvent)
    .values(values)
    .onConflictDoNothing({ target: outboxEvent.dedupeKey })
    .returning({ id: outboxEvent.id });
  if (inserted[0]) return inserted[0].id;
  const [existing] = await db
    .select({ id: outboxEvent.id, job: outboxEvent.job })
    .from(outboxEvent)
    .where(eq(outboxEvent.dedupeKey, options.dedupeKey));
  if (!existing) {
    // The conflicting row vanished between the two statements (only a manual delete does that).
    throw new AppError('CONFLICT', `dedupeKey ${options.dedupeKey} conflicted but no row holds it; retry`, { field: 'dedupeKey' });
  }
  if (existing.job !== job.name) {
    throw new AppError('CONFLICT', `dedupeKey ${options.dedupeKey} is already used by job ${existing.job}`, {
      field: 'dedupeKey',
      existingId: existing.id,
    });
  }
  return existing.id;
}

/** One row for `enqueueMany`. */
export interface OutboxEntry {
  job: AnyJobDefinition;
  payload: unknown;
  options?: Pick<EnqueueOptions, 'runAt' | 'dedupeKey' | 'maxAttempts'>;
}

/** Outbox rows (column names as in the table) for entries, their payloads checked like `enqueue`'s. */
export function outboxRows(entries: readonly OutboxEntry[]) {
  return entries.map(({ job, payload, options = {} }) => {
    const parsed = job.payload.safeParse(payload);
    if (!parsed.success) throw payloadError(job.name, parsed.error);
    return {
      id: newId('outbox'),
      job: job.name,
      payload: parsed.data as unknown,
      dedupe_key: options.dedupeKey ?? null,
      max_attempts: options.maxAttempts ?? job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_at: (options.runAt ?? new Date()).toISOString(),
    };
  });
}
