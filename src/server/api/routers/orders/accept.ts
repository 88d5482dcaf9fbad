import { acceptInput } from '../../../domains/orders/orders.schemas.ts';
import { acceptOrder } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Seller accepts a paid order; a tender call-off names the lot it ships from (`lotId`). */
export const accept = orgProcedure('listing:manage')
  .input(acceptInput)
  .mutation(({ ctx, input }) => acceptOrder(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
