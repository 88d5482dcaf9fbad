import { workQueue as workQueueService } from '../../../domains/dashboard/work-queue.service.ts';
import { orgProcedure } from '../../trpc.ts';

/**
 * "Waiting for you": the work queues the caller's role and organisation kind give them, each with its
 * count in the active organisation and the page where the work is done.
 */
export const workQueue = orgProcedure('org:read').query(async ({ ctx }) => ({
  items: await workQueueService(ctx.db, { orgId: ctx.activeOrg.id, kind: ctx.activeOrg.kind, permissions: ctx.permissions }),
}));
