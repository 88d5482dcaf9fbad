import { decoctionStepInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { logDecoctionStep as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** One step of the decoction log. */
export const decoctionStep = rxCommand('rx:dispense')
  .input(decoctionStepInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
