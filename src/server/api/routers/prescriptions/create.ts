import { z } from 'zod';
import { AppError } from '../../../../lib/errors.ts';
import { localeFromHeaders } from '../../../../lib/locale.ts';
import { RX_STATUSES } from '../../../domains/prescriptions/prescriptions.core.ts';
import { createPrescriptionInput, rxIdempotencyKey } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { createPrescription } from '../../../domains/prescriptions/prescriptions.service.ts';
import { SCREENING_CODES, SEVERITIES } from '../../../domains/prescriptions/screening.core.ts';
import { rxCommand } from './procedure.ts';

/** The `Idempotency-Key` header (REST), checked like the body's key: 8–100 characters. */
export function idempotencyHeader(headers: Headers): string | null {
  const raw = headers.get('idempotency-key');
  if (raw === null) return null;
  if (!rxIdempotencyKey.safeParse(raw).success) throw new AppError('VALIDATION', 'Idempotency-Key: must be 8 to 100 characters', { field: 'Idempotency-Key' });
  return raw.trim();
}

export const rxFlagOutput = z.object({
  code: z.enum(SCREENING_CODES),
  severity: z.enum(SEVERITIES),
  herbs: z.array(z.string()),
  message: z.string(),
  suggestions: z.array(z.string()).optional(),
});

/**
 * `POST /api/v1/prescriptions` (CONTRACTS.md): a physician (UI) or the hospital system (API key,
 * `physicianEmail` names the signer) submits a TCM prescription. The `Idempotency-Key` header (or
 * `idempotencyKey`) makes a retry answer the first result. Screening flags in the caller's language.
 */
export const create = rxCommand('rx:sign')
  .meta({ openapi: { method: 'POST', path: '/prescriptions', tags: ['prescriptions'], summary: 'Submit an e-prescription (开具处方)', protect: true } })
  .input(createPrescriptionInput)
  .output(z.object({ id: z.string(), status: z.enum(RX_STATUSES), flags: z.array(rxFlagOutput) }))
  .mutation(async ({ ctx, input }) => {
    const result = await createPrescription(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input, {
      idempotencyKey: idempotencyHeader(ctx.headers),
      locale: localeFromHeaders(ctx.headers),
      source: ctx.user ? 'ui' : 'api',
      // A signed-in physician (the form) gives the delivery address; a hospital system may leave it to the pharmacy.
      requireDeliveryAddress: Boolean(ctx.user),
    });
    return { id: result.id, status: result.status, flags: result.flags as z.infer<typeof rxFlagOutput>[] };
  });
