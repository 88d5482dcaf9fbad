import { removeCartItemInput } from '../../../domains/orders/orders.schemas.ts';
import { removeCartItem as removeCartItemService } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const removeCartItem = orgProcedure('order:create')
  .input(removeCartItemInput)
  .mutation(({ ctx, input }) => removeCartItemService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
