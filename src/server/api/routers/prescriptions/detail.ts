import { localeFromHeaders } from '../../../../lib/locale.ts';
import { rxIdInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { getPrescription } from '../../../domains/prescriptions/prescriptions.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** One prescription for the hospital, or for a pharmacy that holds or held an offer for it. */
export const detail = orgProcedure('rx:read')
  .input(rxIdInput)
  .query(({ ctx, input }) => getPrescription(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input.id, localeFromHeaders(ctx.headers)));
