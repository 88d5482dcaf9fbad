import { complaintInput } from '../../../domains/tenders/tenders.schemas.ts';
import { fileComplaint as fileComplaintService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** A registered supplier or an alliance member files a complaint during the publicity window. */
export const fileComplaint = orgProcedure('org:read')
  .input(complaintInput)
  .mutation(({ ctx, input }) => fileComplaintService(ctx.db, actorOf(ctx), input));
