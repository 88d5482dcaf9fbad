import { capabilityInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { setCapability as run } from '../../../domains/prescriptions/prescriptions.service.ts';
import { rxCommand } from './procedure.ts';

/** The pharmacy sets decoction capability, daily capacity, hours and service radius. */
export const setCapability = rxCommand('rx:dispense')
  .input(capabilityInput)
  .mutation(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
