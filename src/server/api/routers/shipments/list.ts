import { listShipmentsInput } from '../../../domains/delivery/shipments.schemas.ts';
import { listShipments } from '../../../domains/delivery/shipments.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The organisation's shipments (sent, received or followed), newest first; filters: late, in exception, cold chain, state. */
export const list = orgProcedure('shipment:read')
  .input(listShipmentsInput)
  .query(({ ctx, input }) => listShipments(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
