import { returnInput } from '../../../domains/delivery/shipments.schemas.ts';
import { returnShipment } from '../../../domains/delivery/shipments.service.ts';
import { appCarriers } from '../../../integrations/carriers/carriers.ts';
import { orgProcedure } from '../../trpc.ts';

/** After an exception: the sender has the parcel sent back. */
export const returnToSender = orgProcedure('shipment:read')
  .input(returnInput)
  .mutation(({ ctx, input }) => returnShipment(ctx.db, appCarriers(), { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
