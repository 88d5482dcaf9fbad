import { rejectOfferInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { rejectOffer as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** The pharmacy rejects an offer with a reason; the prescription is re-routed. */
export const rejectOffer = rxCommand('rx:dispense')
  .input(rejectOfferInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
