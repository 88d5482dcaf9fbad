import { updateTenderInput } from '../../../domains/tenders/tenders.schemas.ts';
import { updateTender } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** Edits the rules of a draft or demand-collecting tender; refused once published. */
export const update = orgProcedure('tender:manage')
  .input(updateTenderInput)
  .mutation(({ ctx, input }) => updateTender(ctx.db, actorOf(ctx), input));
