import { getShipment } from '../../../domains/delivery/shipments.service.ts';
import { shipmentIdInput } from '../../../domains/delivery/shipments.schemas.ts';
import { liveStream } from '../../../integrations/live/live.ts';
import { liveTopics } from '../../../integrations/live/live.port.ts';
import { orgProcedure } from '../../trpc.ts';

/**
 * Live timeline (server-sent events): one message each time the shipment changes (carrier event,
 * reading, alert, a party's decision). Only parties may listen — the same check as `get`, so a stranger
 * gets NOT_FOUND before the stream opens. Messages say what changed, never the data: the page re-reads
 * it through `get`.
 */
export const live = orgProcedure('shipment:read')
  .input(shipmentIdInput)
  .subscription(async ({ ctx, input, signal }) => {
    // Checked here, before the stream exists, so a stranger gets an ordinary NOT_FOUND answer.
    await getShipment(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input.id);
    return liveStream(liveTopics.shipment(input.id), signal);
  });
