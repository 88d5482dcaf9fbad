import { confirmTransferInput } from '../../../domains/orders/orders.schemas.ts';
import { confirmTransfer as confirmTransferService } from '../../../domains/orders/payment-page.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Seller confirms a bank transfer arrived (amount and bank reference): the order is paid. */
export const confirmTransfer = orgProcedure('listing:manage')
  .input(confirmTransferInput)
  .mutation(({ ctx, input }) => confirmTransferService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
