import { z } from 'zod';
import { lotDocuments } from '../../../domains/catalog/trace.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The documents attached to one of the caller's lots (file names for the seller; never public). */
export const documents = orgProcedure('listing:manage')
  .input(z.object({ lotId: z.string().trim().min(1).max(64) }))
  .query(({ ctx, input }) => lotDocuments(ctx.db, ctx.activeOrg.id, input.lotId));
