import { z } from 'zod';
import { listAudit } from '../../../domains/audit/audit.repo.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const auditLog = orgProcedure('audit:read')
  .input(
    z.object({
      orgId: z.string().max(64).optional(),
      entityType: z.string().max(64).optional(),
      entityId: z.string().max(64).optional(),
      action: z.string().max(64).optional(),
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
  )
  .query(({ ctx, input }) => listAudit(ctx.db, input));

export const verifyAudit = orgProcedure('audit:read').mutation(({ ctx }) => verifyAuditChain(ctx.db));
