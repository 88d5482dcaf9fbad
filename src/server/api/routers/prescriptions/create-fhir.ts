import { z } from 'zod';
import { AppError, isAppError } from '../../../../lib/errors.ts';
import { localeFromHeaders } from '../../../../lib/locale.ts';
import { RX_STATUSES } from '../../../domains/prescriptions/prescriptions.core.ts';
import { bundleToPrescription, fhirBundleInput, fhirField } from '../../../domains/prescriptions/fhir.core.ts';
import { createPrescriptionInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { audited, createPrescription } from '../../../domains/prescriptions/prescriptions.service.ts';
import { rxCommand } from './procedure.ts';
import { idempotencyHeader, rxFlagOutput } from './create.ts';

/**
 * `POST /api/v1/prescriptions/fhir`: the same intake from a FHIR R4 Bundle (Patient, Practitioner,
 * one MedicationRequest per herb; mapping in fhir.core.ts). Refusals name the FHIR path; unmapped
 * herbs are refused with suggestions. `Idempotency-Key` honoured.
 */
export const createFhir = rxCommand('rx:sign')
  .meta({ openapi: { method: 'POST', path: '/prescriptions/fhir', tags: ['prescriptions'], summary: 'Submit an e-prescription as a FHIR R4 Bundle', protect: true } })
  .input(fhirBundleInput)
  .output(z.object({ id: z.string(), status: z.enum(RX_STATUSES), flags: z.array(rxFlagOutput) }))
  .mutation(async ({ ctx, input }) => {
    const actor = { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id };
    const { input: body, itemPaths } = await audited(ctx.db, actor, 'create_fhir', null, async () => bundleToPrescription(input));
    const parsed = createPrescriptionInput.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = fhirField(issue.path.join('.'), itemPaths) ?? 'entry';
      throw new AppError('VALIDATION', `${field}: ${issue.message}`, { field });
    }
    try {
      const result = await createPrescription(ctx.db, actor, parsed.data, { idempotencyKey: idempotencyHeader(ctx.headers), locale: localeFromHeaders(ctx.headers), source: 'api' });
      return { id: result.id, status: result.status, flags: result.flags as z.infer<typeof rxFlagOutput>[] };
    } catch (error) {
      if (isAppError(error) && error.field?.startsWith('items.')) throw new AppError(error.code, error.message, { ...error.details, field: fhirField(error.field, itemPaths) });
      throw error;
    }
  });
