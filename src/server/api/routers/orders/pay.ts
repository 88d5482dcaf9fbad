import { payInput } from '../../../domains/orders/orders.schemas.ts';
import { payCheckout } from '../../../domains/orders/payment-page.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Buyer pays (or, on the test checkout page, declines) the orders of one checkout; repeats are no-ops. */
export const pay = orgProcedure('order:create')
  .input(payInput)
  .mutation(({ ctx, input }) => payCheckout(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
