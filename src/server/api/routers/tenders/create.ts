import { createTenderInput } from '../../../domains/tenders/tenders.schemas.ts';
import { createTender } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** An alliance officer creates a draft tender with its lots. */
export const create = orgProcedure('tender:manage')
  .input(createTenderInput)
  .mutation(({ ctx, input }) => createTender(ctx.db, actorOf(ctx), input));
