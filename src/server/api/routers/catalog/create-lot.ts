import { createLotInput } from '../../../domains/catalog/products.schemas.ts';
import { createLot as createLotService } from '../../../domains/catalog/products.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** A lot of one of the caller's products; batch numbers are unique per seller. */
export const createLot = orgProcedure('listing:manage')
  .input(createLotInput)
  .mutation(({ ctx, input }) => createLotService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
