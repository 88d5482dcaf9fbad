import { cancelInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { cancelPrescription as run } from '../../../domains/prescriptions/prescriptions.service.ts';
import { rxCommand } from './procedure.ts';

/** The physician cancels an open prescription. */
export const cancel = rxCommand('rx:sign')
  .input(cancelInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
