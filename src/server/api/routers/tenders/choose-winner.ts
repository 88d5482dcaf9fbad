import { contractIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { chooseWinner as chooseWinnerService } from '../../../domains/orders/call-off.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** A member chooses a winner (framework contract) for its share of one lot. */
export const chooseWinner = orgProcedure('tender:demand')
  .input(contractIdInput)
  .mutation(({ ctx, input }) => chooseWinnerService(ctx.db, actorOf(ctx), input));
