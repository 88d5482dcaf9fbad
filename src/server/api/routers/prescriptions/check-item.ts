import { itemInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { checkItem as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** 复核 one item by a second pharmacist. */
export const checkItem = rxCommand('rx:dispense')
  .input(itemInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
