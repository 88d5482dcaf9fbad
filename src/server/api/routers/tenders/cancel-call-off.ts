import { callOffIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { cancelCallOff as cancelCallOffService } from '../../../domains/orders/call-off.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The member cancels a call-off order not delivered yet. */
export const cancelCallOff = orgProcedure('order:create')
  .input(callOffIdInput)
  .mutation(({ ctx, input }) => cancelCallOffService(ctx.db, actorOf(ctx), input));
