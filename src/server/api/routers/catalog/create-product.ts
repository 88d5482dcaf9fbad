import { createProductInput } from '../../../domains/catalog/products.schemas.ts';
import { createProduct as createProductService } from '../../../domains/catalog/products.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** A product (herb × form × spec × origin) of the caller's organisation. Unknown herb → NOT_FOUND on `herbId`. */
export const createProduct = orgProcedure('listing:manage')
  .input(createProductInput)
  .mutation(({ ctx, input }) => createProductService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
