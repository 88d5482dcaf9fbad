import { redeliverInput } from '../../../domains/delivery/shipments.schemas.ts';
import { redeliver as redeliverService } from '../../../domains/delivery/shipments.service.ts';
import { appCarriers } from '../../../integrations/carriers/carriers.ts';
import { orgProcedure } from '../../trpc.ts';

/** After an exception: deliver again (optionally to a corrected address). */
export const redeliver = orgProcedure('shipment:read')
  .input(redeliverInput)
  .mutation(({ ctx, input }) => redeliverService(ctx.db, appCarriers(), { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
