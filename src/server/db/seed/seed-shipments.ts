import type { Db } from '../client.ts';
import { createShipmentForOrder, ingestCarrierDelivery } from '../../domains/delivery/shipments.service.ts';
import type { Carriers } from '../../integrations/carriers/carriers.ts';
import type { CarrierStatusType } from '../../domains/delivery/shipments.core.ts';

/**
 * Demo shipments in transit: one SF Express shipment per given shipped order, with a pickup and hub
 * scans already received (through the same ingestion as webhooks), so the demo world shows live
 * timelines; the first one ships cold with one excursion reading, so an alert is on show. SF (not the
 * simulated carrier) keeps them in transit instead of being played to delivery.
 */
export async function seedShipmentsInTransit(db: Db, carriers: Carriers, orders: readonly { id: string; sellerOrgId: string; buyerOrgId: string }[], now: Date = new Date()): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, o] of orders.entries()) {
    const coldChain = i === 0;
    const trackingNumber = `SF${String(7_000_000_000_000 + i * 7919 + (now.getTime() % 1_000_000)).slice(0, 13)}`;
    const s = await db.transaction((tx) => createShipmentForOrder(tx, carriers, o, { carrier: 'sf', trackingNumber, parcels: 1 + (i % 4), weightG: 25_000 * (1 + (i % 5)), coldChain }, { userId: null, orgId: o.sellerOrgId }, now));
    const scans: [CarrierStatusType, number, string][] = [
      ['picked_up', 300, '寄件地址'],
      ['in_transit', 180, '杭州转运中心'],
      ...(i % 2 === 0 ? ([['out_for_delivery', 30, '收件地址所属派送站']] as [CarrierStatusType, number, string][]) : []),
    ];
    await ingestCarrierDelivery(
      db,
      {
        carrier: 'sf',
        signature: `seed:${s.id}`,
        signedAt: now,
        events: scans.map(([type, minutesAgo, location], k) => ({
          carrierEventId: `seed-${s.id}-${k}`,
          trackingNumber,
          trackingField: 'WaybillRoute.0.mailno',
          type,
          carrierCode: null,
          eventAt: new Date(now.getTime() - minutesAgo * 60_000),
          location,
          description: null,
          exceptionReason: null,
          pod: null,
          temperatures: coldChain ? [{ at: new Date(now.getTime() - (minutesAgo - 5) * 60_000), celsius: k === 1 ? 9.2 : 4.6 }] : [],
          eta: null,
          raw: null,
        })),
      },
      now,
    );
    ids.push(s.id);
  }
  return ids;
}
