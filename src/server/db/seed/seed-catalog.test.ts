import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import type { DbHandle } from '../client.ts';
import { listing, lot, product } from '../schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { verifyAuditChain } from '../../domains/audit/audit.service.ts';
import { activeListings } from '../../domains/catalog/listings.service.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
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
});
