import { rxIdInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { startDispensing as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** Accepted → dispensing. */
export const startDispensing = rxCommand('rx:dispense')
  .input(rxIdInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
