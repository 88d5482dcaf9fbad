import { invitationIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { acceptInvitation as acceptInvitationService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The invited hospital or pharmacy accepts an alliance's invitation: from now on it is a member. */
export const acceptInvitation = orgProcedure('tender:demand')
  .input(invitationIdInput)
  .mutation(({ ctx, input }) => acceptInvitationService(ctx.db, actorOf(ctx), input));
