import { addLicenceInput } from '../../../domains/orgs/orgs.schemas.ts';
import { addLicence as addLicenceService } from '../../../domains/orgs/orgs.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const addLicence = orgProcedure('licence:manage')
  .input(addLicenceInput)
  .mutation(({ ctx, input }) => addLicenceService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
