import { placeCallOffInput } from '../../../domains/tenders/tenders.schemas.ts';
import { placeCallOff as placeCallOffService } from '../../../domains/orders/call-off.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/**
 * A member calls off grams at the contract price: an order to the winner, to pay on the checkout page
 * (or on net terms). The same idempotency key answers the first call-off and its order.
 */
export const placeCallOff = orgProcedure('order:create')
  .input(placeCallOffInput)
  .mutation(({ ctx, input }) => placeCallOffService(ctx.db, actorOf(ctx), input));
