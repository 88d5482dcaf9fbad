import { orderIdInput } from '../../../domains/orders/orders.schemas.ts';
import { acceptOrder } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const accept = orgProcedure('listing:manage')
  .input(orderIdInput)
  .mutation(({ ctx, input }) => acceptOrder(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
