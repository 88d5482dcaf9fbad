import { z } from 'zod';
import { attachLotDocument, LOT_DOCUMENT_KINDS } from '../../../domains/catalog/trace.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Attaches an uploaded document (from POST /api/uploads) to one of the caller's lots, e.g. its quality report. */
export const attachDocument = orgProcedure('listing:manage')
  .input(z.object({ lotId: z.string().trim().min(1).max(64), uploadId: z.string().trim().min(1).max(64), kind: z.enum(LOT_DOCUMENT_KINDS).default('quality_report') }))
  .mutation(({ ctx, input }) => attachLotDocument(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
