import { markInvoicePaidInput } from '../../../domains/orders/orders.schemas.ts';
import { markInvoicePaid as markInvoicePaidService } from '../../../domains/orders/credit.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Seller records that a net-terms invoice was paid (bank reference). */
export const markInvoicePaid = orgProcedure('listing:manage')
  .input(markInvoicePaidInput)
  .mutation(({ ctx, input }) => markInvoicePaidService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
