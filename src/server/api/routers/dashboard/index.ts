import { createTRPCRouter } from '../../trpc.ts';
import { workQueue } from './work-queue.ts';

export const dashboardRouter = createTRPCRouter({ workQueue });
