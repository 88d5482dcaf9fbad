import { listInvitations, listMembers } from '../../../domains/orgs/orgs.repo.ts';
import { orgProcedure } from '../../trpc.ts';

/** Members and open invitations of the active organisation. */
export const members = orgProcedure('org:read').query(async ({ ctx }) => {
  const [people, invitations] = await Promise.all([listMembers(ctx.db, ctx.activeOrg.id), listInvitations(ctx.db, ctx.activeOrg.id)]);
  return { members: people, invitations };
});
