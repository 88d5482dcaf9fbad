import { z } from 'zod';
import { createOrgInput } from '../../../domains/orgs/orgs.schemas.ts';
import { createOrganisation } from '../../../domains/orgs/orgs.service.ts';
import { userProcedure } from '../../trpc.ts';

/** Creates an organisation (owner = caller), makes it the active one; it then awaits KYB review. */
export const create = userProcedure
  .input(createOrgInput)
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const result = await createOrganisation(ctx.db, { userId: ctx.user.id }, input);
    await ctx.auth.api.setActiveOrganization({ headers: ctx.headers, body: { organizationId: result.id } });
    return result;
  });
