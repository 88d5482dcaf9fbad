import { myListings as myListingsService } from '../../../domains/catalog/listings.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The caller's organisation's listings in every status. */
export const myListings = orgProcedure('listing:manage').query(({ ctx }) => myListingsService(ctx.db, ctx.activeOrg.id));
