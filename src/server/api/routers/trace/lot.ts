import { z } from 'zod';
import { PROCESSING_STEPS, QUALITY_KEYS } from '../../../domains/catalog/trace.core.ts';
import { traceLot } from '../../../domains/catalog/trace.service.ts';
import { publicProcedure } from '../../trpc.ts';

const limitSchema = z.object({ kind: z.enum(['max', 'min']), value: z.string(), marker: z.string().optional() }).nullable();

export const lotTraceOutput = z.object({
  lotId: z.string(),
  batchNo: z.string(),
  herb: z.object({ name: z.string(), latin: z.string() }),
  product: z.object({ name: z.string(), form: z.string(), cut: z.string(), processing: z.string(), grade: z.string(), origin: z.string(), daoDi: z.boolean() }),
  productionDate: z.string(),
  expiryDate: z.string(),
  quality: z.array(z.object({ key: z.enum(QUALITY_KEYS), value: z.string().nullable(), unit: z.enum(['%', 'mg/kg']), limit: limitSchema, meets: z.boolean().nullable() })),
  missing: z.array(z.enum(QUALITY_KEYS)),
  reportAttached: z.boolean(),
  grower: z.object({ base: z.string().nullable(), harvestDate: z.string().nullable() }),
  processingSteps: z.array(z.enum(PROCESSING_STEPS)),
  seller: z.object({ name: z.string(), kind: z.string().nullable(), regionCode: z.string().nullable(), region: z.string().nullable() }),
});

/** Public lot trace (no sign-in): the chain grower → processing → seller, without private data. */
export const lot = publicProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/trace/lots/{id}',
      tags: ['catalog'],
      summary: 'Public trace of one lot (批次追溯)',
      description: 'Herb, product spec, batch number, dates, quality values with Chinese Pharmacopoeia limits where clear, grower base and harvest, processing steps, seller organisation and region. No people, prices or buyers.',
    },
  })
  .input(z.object({ id: z.string().trim().min(1).max(64) }))
  .output(lotTraceOutput)
  .query(({ ctx, input }) => traceLot(ctx.db, input.id));
