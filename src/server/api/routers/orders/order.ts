import { orderIdInput } from '../../../domains/orders/orders.schemas.ts';
import { getOrder } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** One order with lines, refunds and timeline; another organisation's order is NOT_FOUND on `id`. */
export const order = orgProcedure('order:read')
  .input(orderIdInput)
  .query(({ ctx, input }) => getOrder(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input.id));
