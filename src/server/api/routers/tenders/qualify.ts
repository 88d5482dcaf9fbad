import { qualifyInput } from '../../../domains/tenders/tenders.schemas.ts';
import { qualifySupplier } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The alliance marks a registered supplier qualified or not, with a reason. */
export const qualify = orgProcedure('tender:manage')
  .input(qualifyInput)
  .mutation(({ ctx, input }) => qualifySupplier(ctx.db, actorOf(ctx), input));
