import { rxIdInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { confirmDelivered as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** Delivery confirmed → completed. */
export const confirmDelivered = rxCommand('rx:dispense')
  .input(rxIdInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
