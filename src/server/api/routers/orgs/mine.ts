import { listMembershipsOfUser } from '../../../domains/orgs/orgs.repo.ts';
import { userProcedure } from '../../trpc.ts';

/** The organisations the signed-in user belongs to (for the organisation switcher). */
export const mine = userProcedure.query(async ({ ctx }) => {
  const rows = await listMembershipsOfUser(ctx.db, ctx.user.id);
  return { activeOrgId: ctx.activeOrg?.id ?? null, orgs: rows };
});
