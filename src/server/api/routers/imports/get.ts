import { z } from 'zod';
import { localeFromHeaders } from '../../../../lib/locale.ts';
import { getImport } from '../../../domains/catalog/import.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** One import with progress and its first row errors (the page polls this while it runs). */
export const get = orgProcedure('listing:manage')
  .input(z.object({ id: z.string().trim().min(1).max(64) }))
  .query(({ ctx, input }) => getImport(ctx.db, ctx.activeOrg.id, input.id, localeFromHeaders(ctx.headers)));
