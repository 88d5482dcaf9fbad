import { shipOrderInput } from '../../../domains/orders/orders.schemas.ts';
import { shipOrder } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const ship = orgProcedure('listing:manage')
  .input(shipOrderInput)
  .mutation(({ ctx, input }) => shipOrder(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
