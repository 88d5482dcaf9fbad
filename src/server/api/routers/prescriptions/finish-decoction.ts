import { finishStepInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { finishDecoction as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** Decoction done → ready (pickup code) or shipped (with `shipment`: the carrier hand-over). */
export const finishDecoction = rxCommand('rx:dispense')
  .input(finishStepInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
