import { rejectInput } from '../../../domains/orders/orders.schemas.ts';
import { rejectOrder } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const reject = orgProcedure('listing:manage')
  .input(rejectInput)
  .mutation(({ ctx, input }) => rejectOrder(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
