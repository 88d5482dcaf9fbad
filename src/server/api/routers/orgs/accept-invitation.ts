import { z } from 'zod';
import { acceptInvitation as accept } from '../../../domains/orgs/orgs.service.ts';
import { userProcedure } from '../../trpc.ts';

export const acceptInvitation = userProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
  const result = await accept(ctx.db, { userId: ctx.user.id, email: ctx.user.email }, input.id);
  await ctx.auth.api.setActiveOrganization({ headers: ctx.headers, body: { organizationId: result.orgId } });
  return result;
});
