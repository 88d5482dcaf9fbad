import { overrideInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { overrideFlags as run } from '../../../domains/prescriptions/prescriptions.service.ts';
import { rxCommand } from './procedure.ts';

/** 双签: a physician countersigns blocking flags with a reason. */
export const override = rxCommand('rx:sign')
  .input(overrideInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
