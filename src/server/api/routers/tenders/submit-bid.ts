import { submitBidInput } from '../../../domains/tenders/tenders.schemas.ts';
import { submitBid as submitBidService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** A qualified supplier submits or replaces a sealed bid; answers a receipt with the commitment hash. */
export const submitBid = orgProcedure('tender:bid')
  .input(submitBidInput)
  .mutation(({ ctx, input }) => submitBidService(ctx.db, actorOf(ctx), input));
