import { z } from 'zod';
import { AppError } from '../../../../lib/errors.ts';
import { msg } from '../../../../lib/messages.ts';
import { appendAudit } from '../../../domains/audit/audit.service.ts';
import { discardJob as discard, jobCounts, listJobs, retryJob as retry, type OutboxJob } from '../../../jobs/admin.ts';
import { OUTBOX_STATUSES } from '../../../jobs/outbox.core.ts';
import { orgProcedure, type OrgContext } from '../../trpc.ts';

/**
 * The operator's view of the outbox (platform-internal, not scoped to an organisation): counts per
 * status, the newest jobs, and retry / discard of failed ones. Times are ISO-8601 strings so the
 * answer has the same shape in-process and over HTTP.
 */
export interface JobView {
  id: string;
  job: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  dedupeKey: string | null;
  runAt: string;
  createdAt: string;
  completedAt: string | null;
}

function toView(row: OutboxJob): JobView {
  return {
    id: row.id,
    job: row.job,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    dedupeKey: row.dedupeKey,
    runAt: row.runAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt ? row.completedAt.toISOString() : null,
  };
}

/** The admin functions speak English to operators' scripts; the UI gets translated messages. */
function translated(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  if (error.code === 'NOT_FOUND') return new AppError('NOT_FOUND', msg('jobs.notFound'), { ...error.details, field: 'id' });
  if (error.code === 'INVALID_TRANSITION') {
    return new AppError('INVALID_TRANSITION', msg('jobs.notFailed', { status: String(error.details.from ?? '?') }), { ...error.details, field: 'id' });
  }
  if (error.code === 'CONFLICT') return new AppError('CONFLICT', msg('jobs.changed'), { ...error.details, field: 'id' });
  return error;
}

export const jobs = orgProcedure('jobs:manage')
  .input(
    z.object({
      status: z.enum(OUTBOX_STATUSES).optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
  )
  .query(async ({ ctx, input }) => {
    const [counts, rows] = await Promise.all([jobCounts(ctx.db), listJobs(ctx.db, { status: input.status, limit: input.limit })]);
    return { counts, jobs: rows.map(toView) };
  });

const byId = z.object({ id: z.string().trim().min(1).max(64) });

async function operatorAction(ctx: OrgContext, id: string, action: 'job.retried' | 'job.discarded', note?: string): Promise<JobView> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = action === 'job.retried' ? await retry(tx, id) : await discard(tx, id, { note });
      await appendAudit(tx, {
        actorUserId: ctx.user?.id ?? null,
        actorOrgId: ctx.activeOrg.id,
        orgId: null,
        action,
        entityType: 'outbox_event',
        entityId: id,
        data: { job: row.job, from: 'failed', to: row.status, ...(note ? { note } : {}) },
      });
      return toView(row);
    });
  } catch (error) {
    throw translated(error);
  }
}

/** failed → pending: runs again now with attempts starting over. */
export const retryJob = orgProcedure('jobs:manage')
  .input(byId)
  .mutation(({ ctx, input }) => operatorAction(ctx, input.id, 'job.retried'));

/** failed → done without running it (the side effect is not needed or was done by hand). */
export const discardJob = orgProcedure('jobs:manage')
  .input(byId.extend({ note: z.string().trim().max(500).optional() }))
  .mutation(({ ctx, input }) => operatorAction(ctx, input.id, 'job.discarded', input.note || undefined));
