import { z } from 'zod';
import { getListing } from '../../../domains/catalog/listings.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** One listing: on the market for everyone, in any status for its seller; otherwise NOT_FOUND on `id`. */
export const listing = orgProcedure('catalog:read')
  .input(z.object({ id: z.string().trim().min(1).max(64) }))
  .query(({ ctx, input }) => getListing(ctx.db, ctx.activeOrg.id, input.id));
