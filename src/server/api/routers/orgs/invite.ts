import { inviteMemberInput } from '../../../domains/orgs/orgs.schemas.ts';
import { inviteMember } from '../../../domains/orgs/orgs.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Invites someone by email; answers the invitation link (also sent by email). */
export const invite = orgProcedure('member:invite')
  .input(inviteMemberInput)
  .mutation(async ({ ctx, input }) => {
    return inviteMember(ctx.db, { userId: ctx.user!.id, orgId: ctx.activeOrg.id, kind: ctx.activeOrg.kind }, input);
  });
