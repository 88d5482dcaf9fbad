import { cancelInput } from '../../../domains/orders/orders.schemas.ts';
import { cancelOrder } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Buyer or seller cancels before shipment (the state table says when). */
export const cancel = orgProcedure('order:read')
  .input(cancelInput)
  .mutation(({ ctx, input }) => cancelOrder(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
