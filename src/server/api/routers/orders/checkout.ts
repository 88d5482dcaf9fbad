import { checkoutInput } from '../../../domains/orders/orders.schemas.ts';
import { checkout as checkoutService } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Cart → one order per seller (stock reserved, payment authorised by a job). Same key → first result. */
export const checkout = orgProcedure('order:create')
  .input(checkoutInput)
  .mutation(({ ctx, input }) => checkoutService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
