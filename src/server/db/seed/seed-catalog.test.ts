import { count, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import type { DbHandle } from '../client.ts';
import { listing, lot, order, product, shipment, shipmentAlert } from '../schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { verifyAuditChain } from '../../domains/audit/audit.service.ts';
import { activeListings } from '../../domains/catalog/listings.service.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { seedDemoCredit } from './seed-credit.ts';
import { seedDemoOrdersInTransit } from './seed-orders.ts';
import { seedDemoWorld } from './seed-demo.ts';

describe('demo catalogue seed', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
    await seedDemoWorld(handle.db, createAuth(handle.db, { baseURL: 'http://localhost:3000' }));
  }, 180_000);
  afterAll(async () => handle.close());

  it('lists ~15 common herbs from demo suppliers and growers, once', async () => {
    const report = await seedDemoCatalog(handle.db);
    expect(report.skipped).toBe(false);
    expect(report.products).toBeGreaterThanOrEqual(15);
    expect(report.listings).toBe(report.products);
    const market = await activeListings(handle.db, {});
    expect(market).toHaveLength(report.listings);
    const herbs = new Set(market.map((l) => l.herbName));
    for (const name of ['黄芪', '当归', '三七', '枸杞子', '半夏']) expect(herbs).toContain(name);
    const huangqiUngraded = market.find((l) => l.herbName === '黄芪' && l.grade === 'ungraded' && l.form === 'raw');
    expect(huangqiUngraded?.priceFenPerKg).toBeGreaterThanOrEqual(4000);
    expect(huangqiUngraded?.priceFenPerKg).toBeLessThanOrEqual(6000);
    const sanqi = market.filter((l) => l.herbName === '三七').map((l) => l.priceFenPerKg);
    expect(Math.min(...sanqi)).toBeGreaterThan(huangqiUngraded?.priceFenPerKg ?? 0);
    for (const l of market) {
      expect(l.availableG).toBeGreaterThanOrEqual(10_000);
      expect(l.tiers.length).toBeGreaterThan(0);
    }

    const counts = async () => Promise.all([product, lot, listing].map(async (table) => (await handle.db.select({ n: count() }).from(table))[0]?.n ?? 0));
    const before = await counts();
    const again = await seedDemoCatalog(handle.db);
    expect(again.skipped).toBe(true);
    expect(await counts()).toEqual(before);
    expect(before[2]).toBe(report.listings);
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  }, 120_000);

  it('puts orders on their way: bought on net terms, accepted, shipped, scanned by SF Express, once', async () => {
    await seedDemoCredit(handle.db);
    expect(await seedDemoOrdersInTransit(handle.db)).toEqual({ orders: 3, shipments: 3 });
    const orders = await handle.db.select({ status: order.status, paymentMethod: order.paymentMethod }).from(order);
    expect(orders).toHaveLength(3);
    expect(orders.every((o) => o.status === 'shipped' && o.paymentMethod === 'net_terms')).toBe(true);
    const shipments = await handle.db.select({ state: shipment.state, carrier: shipment.carrier, coldChain: shipment.coldChain }).from(shipment).where(isNotNull(shipment.orderId));
    expect(shipments.map((s) => [s.carrier, s.state]).sort()).toEqual([['sf', 'in_transit'], ['sf', 'out_for_delivery'], ['sf', 'out_for_delivery']]);
    expect(shipments.filter((s) => s.coldChain)).toHaveLength(1);
    const alerts = await handle.db.select({ kind: shipmentAlert.kind }).from(shipmentAlert).innerJoin(shipment, eq(shipment.id, shipmentAlert.shipmentId)).where(isNotNull(shipment.orderId));
    expect(alerts).toEqual([{ kind: 'temperature_excursion' }]);
    expect(await seedDemoOrdersInTransit(handle.db)).toEqual({ orders: 0, shipments: 0 });
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  }, 120_000);
});
