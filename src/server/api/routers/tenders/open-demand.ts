import { tenderIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { openDemandCollection } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** draft → demand collection. */
export const openDemand = orgProcedure('tender:manage')
  .input(tenderIdInput)
  .mutation(({ ctx, input }) => openDemandCollection(ctx.db, actorOf(ctx), input));
