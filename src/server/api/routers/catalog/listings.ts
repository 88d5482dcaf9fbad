import { z } from 'zod';
import { activeListings } from '../../../domains/catalog/listings.service.ts';
import { PRODUCT_GRADES } from '../../../domains/catalog/products.core.ts';
import { orgProcedure } from '../../trpc.ts';

/** Active listings of all sellers (market view for any organisation that may read the catalogue). */
export const listings = orgProcedure('catalog:read')
  .input(z.object({ grade: z.enum(PRODUCT_GRADES).optional(), herbId: z.string().trim().min(1).max(64).optional() }).default({}))
  .query(({ ctx, input }) => activeListings(ctx.db, input));
