import { tenderIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { cancelTender } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** Cancels a tender that has not been opened. */
export const cancel = orgProcedure('tender:manage')
  .input(tenderIdInput)
  .mutation(({ ctx, input }) => cancelTender(ctx.db, actorOf(ctx), input));
