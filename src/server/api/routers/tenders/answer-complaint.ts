import { answerComplaintInput } from '../../../domains/tenders/tenders.schemas.ts';
import { answerComplaint as answerComplaintService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The alliance answers a complaint. */
export const answerComplaint = orgProcedure('tender:manage')
  .input(answerComplaintInput)
  .mutation(({ ctx, input }) => answerComplaintService(ctx.db, actorOf(ctx), input));
