import { reportDemandInput } from '../../../domains/tenders/tenders.schemas.ts';
import { reportDemand as reportDemandService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** A member reports its demand per lot (grams), until the demand deadline. */
export const reportDemand = orgProcedure('tender:demand')
  .input(reportDemandInput)
  .mutation(({ ctx, input }) => reportDemandService(ctx.db, actorOf(ctx), input));
