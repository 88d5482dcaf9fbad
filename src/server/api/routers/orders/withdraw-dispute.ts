import { orderIdInput } from '../../../domains/orders/orders.schemas.ts';
import { withdrawDispute as withdrawDisputeService } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Buyer withdraws a dispute; the order counts as delivered. */
export const withdrawDispute = orgProcedure('order:create')
  .input(orderIdInput)
  .mutation(({ ctx, input }) => withdrawDisputeService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
