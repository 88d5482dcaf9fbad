import { and, desc, eq, sql } from 'drizzle-orm';
import { AppError } from '../../lib/errors.ts';
import type { DbOrTx } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import { assertTransition, isOutboxStatus, OUTBOX_STATUSES, type OutboxStatus } from './outbox.core.ts';

/**
 * Operator functions over the outbox (admin UI, `bencao jobs …`). The outbox is platform-internal:
 * callers must check the operator permission before calling these; nothing here is org-scoped.
 */

export type OutboxJob = typeof outboxEvent.$inferSelect;

export interface ListJobsOptions {
  status?: OutboxStatus | string;
  /** Only this job name. */
  job?: string;
  /** 1–500, default 50. */
  limit?: number;
}

/** Newest first. */
export async function listJobs(db: DbOrTx, options: ListJobsOptions = {}): Promise<OutboxJob[]> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new AppError('VALIDATION', 'limit must be an integer from 1 to 500', { field: 'limit' });
  }
  if (options.status !== undefined && !isOutboxStatus(options.status)) {
    throw new AppError('VALIDATION', `status must be one of ${OUTBOX_STATUSES.join(', ')}`, { field: 'status' });
  }
  return db
    .select()
    .from(outboxEvent)
    .where(
      and(
        options.status ? eq(outboxEvent.status, options.status) : undefined,
        options.job ? eq(outboxEvent.job, options.job) : undefined,
      ),
    )
    .orderBy(desc(outboxEvent.createdAt), desc(outboxEvent.id))
    .limit(limit);
}

/** Rows per status; every status present, zero when none. */
export async function jobCounts(db: DbOrTx): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .select({ status: outboxEvent.status, n: sql<number>`count(*)::int` })
    .from(outboxEvent)
    .groupBy(outboxEvent.status);
  const counts: Record<OutboxStatus, number> = { pending: 0, dispatched: 0, done: 0, failed: 0 };
  for (const row of rows) if (isOutboxStatus(row.status)) counts[row.status] = Number(row.n);
  return counts;
}

/** Rows per job name and status (the operator's queue depths). */
export async function jobCountsByName(db: DbOrTx): Promise<{ job: string; status: string; n: number }[]> {
  const rows = await db
    .select({ job: outboxEvent.job, status: outboxEvent.status, n: sql<number>`count(*)::int` })
    .from(outboxEvent)
    .groupBy(outboxEvent.job, outboxEvent.status);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** When the longest-waiting pending row was due (null when none is due): how far delivery lags. */
export async function oldestDuePending(db: DbOrTx): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | string | null>`min(${outboxEvent.runAt})` })
    .from(outboxEvent)
    .where(and(eq(outboxEvent.status, 'pending'), sql`${outboxEvent.runAt} <= now()`));
  return row?.at ? new Date(row.at) : null;
}

export async function getJob(db: DbOrTx, id: string): Promise<OutboxJob> {
  const [row] = await db.select().from(outboxEvent).where(eq(outboxEvent.id, id));
  if (!row) throw new AppError('NOT_FOUND', `no outbox event ${id}`, { field: 'id' });
  return row;
}

/** Operator actions apply to failed rows only (a running or finished row is the runner's business). */
const OPERATOR_ACTIONS = {
  retry: { from: 'failed', to: 'pending' },
  discard: { from: 'failed', to: 'done' },
} as const satisfies Record<string, { from: OutboxStatus; to: OutboxStatus }>;

/** Throws the right error for a row that did not match a conditional transition. */
async function refuse(db: DbOrTx, id: string, action: keyof typeof OPERATOR_ACTIONS): Promise<never> {
  const row = await getJob(db, id);
  const rule = OPERATOR_ACTIONS[action];
  if (row.status !== rule.from) {
    throw new AppError('INVALID_TRANSITION', `outbox event ${id} is ${row.status}; only ${rule.from} events can be ${action === 'retry' ? 'retried' : 'discarded'}`, {
      id,
      from: row.status,
      to: rule.to,
    });
  }
  assertTransition(id, row.status, rule.to);
  // It was failed, so the conditional update should have matched: it changed under us.
  throw new AppError('CONFLICT', `outbox event ${id} changed concurrently; try again`, { id });
}

/**
 * failed → pending: attempts start over and it runs now. last_error is kept until it succeeds or
 * fails again. Both drivers pick it up (BullMQ replaces its old failed job).
 */
export async function retryJob(db: DbOrTx, id: string): Promise<OutboxJob> {
  const [row] = await db
    .update(outboxEvent)
    .set({ status: 'pending', attempts: 0, runAt: sql`now()`, lockedUntil: null, dispatchedAt: null, completedAt: null })
    .where(and(eq(outboxEvent.id, id), eq(outboxEvent.status, 'failed')))
    .returning();
  return row ?? refuse(db, id, 'retry');
}

/**
 * failed → done without running it: the operator decided the side effect is not needed (or was done
 * by hand). last_error is kept, with a note appended.
 */
export async function discardJob(db: DbOrTx, id: string, options: { note?: string } = {}): Promise<OutboxJob> {
  const note = `[discarded by an operator${options.note ? `: ${options.note}` : ''}]`;
  const [row] = await db
    .update(outboxEvent)
    .set({
      status: 'done',
      completedAt: sql`now()`,
      lockedUntil: null,
      lastError: sql`case when ${outboxEvent.lastError} is null then ${note}::text else ${outboxEvent.lastError} || chr(10) || ${note}::text end`,
    })
    .where(and(eq(outboxEvent.id, id), eq(outboxEvent.status, 'failed')))
    .returning();
  return row ?? refuse(db, id, 'discard');
}
