import { setCreditLineInput } from '../../../domains/orders/orders.schemas.ts';
import { setCreditLine as setCreditLineService } from '../../../domains/orders/credit.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Seller grants or changes a buyer organisation's credit limit and payment term. */
export const setCreditLine = orgProcedure('listing:manage')
  .input(setCreditLineInput)
  .mutation(({ ctx, input }) => setCreditLineService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
