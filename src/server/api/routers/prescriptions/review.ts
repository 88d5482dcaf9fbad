import { reviewInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { reviewPrescription as run } from '../../../domains/prescriptions/prescriptions.service.ts';
import { rxCommand } from './procedure.ts';

/** 审方: approve (routed at once) or reject with a reason; pharmacists of the hospital only. */
export const review = rxCommand('rx:review')
  .input(reviewInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
