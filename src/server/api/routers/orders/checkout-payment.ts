import { checkoutKeyInput } from '../../../domains/orders/orders.schemas.ts';
import { checkoutPayment as checkoutPaymentView } from '../../../domains/orders/payment-page.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The orders of one checkout and their payment state (the checkout page polls it). */
export const checkoutPayment = orgProcedure('order:read')
  .input(checkoutKeyInput)
  .query(({ ctx, input }) => checkoutPaymentView(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input.checkoutKey));
