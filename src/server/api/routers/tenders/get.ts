import { tenderIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { getTender } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** One tender as the caller's organisation may see it (officer, member or supplier view); otherwise NOT_FOUND on `id`. */
export const get = orgProcedure('org:read')
  .input(tenderIdInput)
  .query(({ ctx, input }) => getTender(ctx.db, actorOf(ctx), input));
