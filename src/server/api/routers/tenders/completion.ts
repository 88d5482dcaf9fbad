import { tenderRefInput } from '../../../domains/tenders/tenders.schemas.ts';
import { tenderCompletion } from '../../../domains/orders/call-off.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** Agreed vs ordered vs delivered per member, supplier and lot, with alerts for members falling behind. */
export const completion = orgProcedure('org:read')
  .input(tenderRefInput)
  .query(({ ctx, input }) => tenderCompletion(ctx.db, actorOf(ctx), input));
