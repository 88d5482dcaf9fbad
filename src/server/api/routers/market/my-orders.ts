import { listInput } from '../../../domains/market/market.schemas.ts';
import { myOrders as myOrdersService } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The caller's organisation's orders, newest first, with filled and open grams. */
export const myOrders = orgProcedure('market:trade')
  .input(listInput)
  .query(({ ctx, input }) => myOrdersService(ctx.db, ctx.activeOrg.id, input.limit));
