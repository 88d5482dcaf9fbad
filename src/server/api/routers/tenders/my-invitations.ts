import { myInvitations as myInvitationsService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** Alliance invitations waiting for the caller's organisation to accept or decline them. */
export const myInvitations = orgProcedure('tender:demand').query(({ ctx }) => myInvitationsService(ctx.db, actorOf(ctx)));
