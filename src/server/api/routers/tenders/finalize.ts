import { tenderIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { finalizeTender } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** Final award after the publicity window (all complaints answered): framework contracts. */
export const finalize = orgProcedure('tender:manage')
  .input(tenderIdInput)
  .mutation(({ ctx, input }) => finalizeTender(ctx.db, actorOf(ctx), input));
