import { rxIdInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { routeAgain as run } from '../../../domains/prescriptions/prescriptions.service.ts';
import { rxCommand } from './procedure.ts';

/** Routes an approved prescription again after nobody was eligible. */
export const routeAgain = rxCommand('rx:read')
  .input(rxIdInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
