import { tenderIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { publishTender } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** demand collection → published: rules frozen, bidding open, opening timer set. */
export const publish = orgProcedure('tender:manage')
  .input(tenderIdInput)
  .mutation(({ ctx, input }) => publishTender(ctx.db, actorOf(ctx), input));
