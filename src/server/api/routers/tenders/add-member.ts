import { addMemberInput } from '../../../domains/tenders/tenders.schemas.ts';
import { inviteMember } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/**
 * The alliance invites a hospital or pharmacy to become its member. The answer is the invitation
 * (status `invited`); the organisation counts as a member only once it accepts.
 */
export const addMember = orgProcedure('tender:manage')
  .input(addMemberInput)
  .mutation(({ ctx, input }) => inviteMember(ctx.db, actorOf(ctx), input));
