import { rxIdInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { finishDispensing as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** All items dispensed and checked → decocting, ready or shipped. */
export const finishDispensing = rxCommand('rx:dispense')
  .input(rxIdInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
