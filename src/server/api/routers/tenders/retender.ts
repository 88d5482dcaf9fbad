import { retenderInput } from '../../../domains/tenders/tenders.schemas.ts';
import { retenderFailedLots } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** Re-tenders the failed lots (流标) of an opened tender as a new draft with a new schedule. */
export const retender = orgProcedure('tender:manage')
  .input(retenderInput)
  .mutation(({ ctx, input }) => retenderFailedLots(ctx.db, actorOf(ctx), input));
