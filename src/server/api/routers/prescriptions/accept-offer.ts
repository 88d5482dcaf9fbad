import { offerIdInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { acceptOffer as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** The pharmacy accepts an open offer (refused once timed out). */
export const acceptOffer = rxCommand('rx:dispense')
  .input(offerIdInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
