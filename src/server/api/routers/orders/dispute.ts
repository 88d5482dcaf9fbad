import { disputeInput } from '../../../domains/orders/orders.schemas.ts';
import { openDispute } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Buyer disputes a shipped or delivered order, with a reason. */
export const dispute = orgProcedure('order:create')
  .input(disputeInput)
  .mutation(({ ctx, input }) => openDispute(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
