import { updateCartItemInput } from '../../../domains/orders/orders.schemas.ts';
import { updateCartItem as updateCartItemService } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const updateCartItem = orgProcedure('order:create')
  .input(updateCartItemInput)
  .mutation(({ ctx, input }) => updateCartItemService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
