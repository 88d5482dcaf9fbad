import { and, asc, count, eq, isNotNull } from 'drizzle-orm';
import { acceptOrder, addToCart, checkout, shipOrder } from '../../domains/orders/orders.service.ts';
import { appCarriers } from '../../integrations/carriers/carriers.ts';
import type { Db } from '../client.ts';
import { listing, shipment } from '../schema/index.ts';
import { orgIdOf } from './seed-credit.ts';
import { seedShipmentsInTransit } from './seed-shipments.ts';

/**
 * Demo orders on their way (CONTRACTS.md "Demo mode": shipments in transit): the demo pharmacy and
 * hospital buy from the first demo supplier on the net terms it granted them, the supplier accepts and
 * ships, and SF Express has already scanned the parcels (the first ships cold, with an excursion alert
 * on show). Through the same services the app uses; runs once (nothing when an order already ships).
 */
export async function seedDemoOrdersInTransit(db: Db): Promise<{ orders: number; shipments: number }> {
  const [existing] = await db.select({ n: count() }).from(shipment).where(isNotNull(shipment.orderId));
  if ((existing?.n ?? 0) > 0) return { orders: 0, shipments: 0 };
  const sellerId = await orgIdOf(db, 'supplier-01');
  const [pharmacyId, hospitalId] = [await orgIdOf(db, 'pharmacy-01'), await orgIdOf(db, 'hospital-01')];
  const buyers = [pharmacyId, hospitalId, pharmacyId];
  if (!sellerId || buyers.some((b) => !b)) return { orders: 0, shipments: 0 };
  const offers = await db
    .select({ id: listing.id, minOrderG: listing.minOrderG })
    .from(listing)
    .where(and(eq(listing.sellerOrgId, sellerId), eq(listing.status, 'active')))
    .orderBy(asc(listing.id))
    .limit(buyers.length);
  const seller = { userId: null, orgId: sellerId };
  const shipped: { id: string; sellerOrgId: string; buyerOrgId: string }[] = [];
  for (const [i, offer] of offers.entries()) {
    const buyer = { userId: null, orgId: buyers[i]! };
    await addToCart(db, buyer, { listingId: offer.id, grams: Math.max(offer.minOrderG, 5_000) });
    const { orders } = await checkout(db, buyer, { idempotencyKey: `demo-in-transit-${i + 1}`, paymentMethod: 'net_terms' });
    for (const o of orders) {
      await acceptOrder(db, seller, { id: o.id });
      await shipOrder(db, seller, { id: o.id });
      shipped.push({ id: o.id, sellerOrgId: sellerId, buyerOrgId: buyer.orgId });
    }
  }
  const shipments = await seedShipmentsInTransit(db, appCarriers(), shipped);
  return { orders: shipped.length, shipments: shipments.length };
}
