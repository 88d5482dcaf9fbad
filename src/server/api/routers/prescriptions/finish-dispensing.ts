import { finishStepInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { finishDispensing as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** All items dispensed and checked → decocting, ready or shipped (with `shipment`: the carrier hand-over). */
export const finishDispensing = rxCommand('rx:dispense')
  .input(finishStepInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
