import { myOrdersInput } from '../../../domains/orders/orders.schemas.ts';
import { myOrders as myOrdersService } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Orders the caller's organisation placed (`side: 'buyer'`) or received (`side: 'seller'`). */
export const myOrders = orgProcedure('order:read')
  .input(myOrdersInput)
  .query(({ ctx, input }) => myOrdersService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
