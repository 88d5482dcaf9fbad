import { refundInput } from '../../../domains/orders/orders.schemas.ts';
import { refundOrder } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Seller refunds captured money (all that is left, or `amountFen`); the payments call runs in a job. */
export const refund = orgProcedure('listing:manage')
  .input(refundInput)
  .mutation(({ ctx, input }) => refundOrder(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
