import { z } from 'zod';
import { localeFromHeaders } from '../../../../lib/locale.ts';
import { SCREENING_CODES, SEVERITIES, screenPrescription } from '../../../domains/prescriptions/screening.core.ts';
import { rxScreenInputSchema } from '../../../domains/prescriptions/screening.types.ts';
import { authedProcedure } from '../../trpc.ts';

const flagOutput = z.object({
  code: z.enum(SCREENING_CODES),
  severity: z.enum(SEVERITIES),
  herbs: z.array(z.string()),
  message: z.string(),
  suggestions: z.array(z.string()).optional(),
});

/**
 * `POST /api/v1/prescriptions/screen` (CONTRACTS.md): the same pure screening as `bencao rx-screen`;
 * messages in the caller's language (Accept-Language, zh by default).
 */
export const screen = authedProcedure
  .meta({ openapi: { method: 'POST', path: '/prescriptions/screen', tags: ['prescriptions'], summary: 'Safety screening of one TCM prescription', protect: true } })
  .input(rxScreenInputSchema)
  .output(z.object({ flags: z.array(flagOutput) }))
  .mutation(({ ctx, input }) => {
    const { flags } = screenPrescription(input, { locale: localeFromHeaders(ctx.headers) });
    return {
      flags: flags.map(({ code, severity, herbs, message, suggestions }) =>
        code === 'UNKNOWN_HERB' ? { code, severity, herbs: [...herbs], message, suggestions: [...(suggestions ?? [])] } : { code, severity, herbs: [...herbs], message },
      ),
    };
  });
