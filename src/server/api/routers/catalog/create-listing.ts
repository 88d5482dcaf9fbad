import { createListingInput } from '../../../domains/catalog/products.schemas.ts';
import { createListing as createListingService } from '../../../domains/catalog/listings.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** A draft listing on one of the caller's lots (another organisation's lot → NOT_FOUND on `lotId`). */
export const createListing = orgProcedure('listing:manage')
  .input(createListingInput)
  .mutation(({ ctx, input }) => createListingService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
