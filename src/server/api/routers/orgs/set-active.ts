import { z } from 'zod';
import { requireMembership } from '../../../domains/orgs/orgs.service.ts';
import { userProcedure } from '../../trpc.ts';

export const setActive = userProcedure.input(z.object({ orgId: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
  await requireMembership(ctx.db, input.orgId, ctx.user.id);
  await ctx.auth.api.setActiveOrganization({ headers: ctx.headers, body: { organizationId: input.orgId } });
  return { orgId: input.orgId };
});
