import { callOffIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { deliverCallOff as deliverCallOffService } from '../../../domains/orders/call-off.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The supplier records the delivery of a call-off order. */
export const deliverCallOff = orgProcedure('listing:manage')
  .input(callOffIdInput)
  .mutation(({ ctx, input }) => deliverCallOffService(ctx.db, actorOf(ctx), input));
