import { createTRPCRouter } from '../../trpc.ts';
import { advanceTenderClock } from './advance-tender-clock.ts';
import { auditLog, verifyAudit } from './audit.ts';
import { decideKyb, kybQueue } from './kyb.ts';
import { discardJob, jobs, retryJob } from './jobs.ts';
import { systemHealth } from './system-health.ts';
import { tenderClock } from './tender-clock.ts';

export const operatorRouter = createTRPCRouter({ kybQueue, decideKyb, auditLog, verifyAudit, jobs, retryJob, discardJob, tenderClock, advanceTenderClock, systemHealth });
