import { registerSupplierInput } from '../../../domains/tenders/tenders.schemas.ts';
import { registerSupplier } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** A supplier registers for a published tender with its capacity per lot. */
export const register = orgProcedure('tender:bid')
  .input(registerSupplierInput)
  .mutation(({ ctx, input }) => registerSupplier(ctx.db, actorOf(ctx), input));
