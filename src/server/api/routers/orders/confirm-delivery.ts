import { orderIdInput } from '../../../domains/orders/orders.schemas.ts';
import { confirmDelivery as confirmDeliveryService } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const confirmDelivery = orgProcedure('order:create')
  .input(orderIdInput)
  .mutation(({ ctx, input }) => confirmDeliveryService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
