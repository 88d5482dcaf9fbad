import { updateListingInput } from '../../../domains/catalog/products.schemas.ts';
import { updateListing as updateListingService } from '../../../domains/catalog/listings.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Changes price, tiers, minimum order, regions or lead time of one of the caller's listings. */
export const updateListing = orgProcedure('listing:manage')
  .input(updateListingInput)
  .mutation(({ ctx, input }) => updateListingService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
