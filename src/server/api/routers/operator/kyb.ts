import { z } from 'zod';
import { kybDecisionInput } from '../../../domains/orgs/orgs.schemas.ts';
import { listOrgsByKyb } from '../../../domains/orgs/orgs.repo.ts';
import { decideKyb as decide } from '../../../domains/orgs/orgs.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** KYB review queue for platform operators. */
export const kybQueue = orgProcedure('kyb:review')
  .input(z.object({ status: z.enum(['pending', 'approved', 'rejected']).default('pending') }))
  .query(({ ctx, input }) => listOrgsByKyb(ctx.db, input.status));

export const decideKyb = orgProcedure('kyb:review')
  .input(kybDecisionInput)
  .mutation(async ({ ctx, input }) => {
    await decide(ctx.db, { userId: ctx.user!.id, orgId: ctx.activeOrg.id }, input);
    return { orgId: input.orgId, kybStatus: input.decision };
  });
