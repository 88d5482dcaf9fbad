import { pickupInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { confirmPickup as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** The patient collected the medicine with the pickup code. */
export const confirmPickup = rxCommand('rx:dispense')
  .input(pickupInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
