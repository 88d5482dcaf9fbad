import { setListingStatusInput } from '../../../domains/catalog/products.schemas.ts';
import { setListingStatus as setListingStatusService } from '../../../domains/catalog/listings.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Activates, pauses or closes one of the caller's listings (transition table in listings.core.ts). */
export const setListingStatus = orgProcedure('listing:manage')
  .input(setListingStatusInput)
  .mutation(({ ctx, input }) => setListingStatusService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
