import { z } from 'zod';
import { getHerb } from '../../../domains/catalog/herbs.service.ts';
import { publicProcedure } from '../../trpc.ts';
import { herbViewSchema } from './search.ts';

const partnerSchema = z.object({ name: z.string(), id: z.string().nullable() });

export const herbDetailSchema = herbViewSchema.extend({
  base: partnerSchema.nullable(),
  incompatibilities: z.array(
    z.object({
      ruleId: z.string(),
      kind: z.enum(['18fan', '19wei']),
      label: z.string(),
      source: z.string(),
      partners: z.array(partnerSchema),
    }),
  ),
});

/** One herb with all its facts (public). Unknown id → NOT_FOUND naming `id`. */
export const get = publicProcedure
  .input(z.object({ id: z.string().trim().min(1).max(64) }))
  .output(herbDetailSchema)
  .query(({ ctx, input }) => getHerb(ctx.db, input.id));
