import { appHealthDeps, checkSystemHealth } from '../../../observability/health.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Adapter health (database, job runner and Redis, search, payments, carriers) and queue depths. */
export const systemHealth = orgProcedure('jobs:manage').query(({ ctx }) => checkSystemHealth(appHealthDeps(ctx.db)));
