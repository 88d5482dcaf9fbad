import { itemInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { dispenseItem as run } from '../../../domains/prescriptions/pharmacy.service.ts';
import { rxCommand } from './procedure.ts';

/** 调配 one item: stock drawn from the pharmacy’s lots. */
export const dispenseItem = rxCommand('rx:dispense')
  .input(itemInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
