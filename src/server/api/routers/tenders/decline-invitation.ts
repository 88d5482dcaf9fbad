import { invitationIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { declineInvitation as declineInvitationService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The invited hospital or pharmacy declines an alliance's invitation: it never counts as a member. */
export const declineInvitation = orgProcedure('tender:demand')
  .input(invitationIdInput)
  .mutation(({ ctx, input }) => declineInvitationService(ctx.db, actorOf(ctx), input));
