import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import type { DbHandle } from '../client.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { instrumentQuotes, sellableLots } from '../../domains/market/market.queries.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { orgIdOf } from './seed-credit.ts';
import { seedDemoWorld } from './seed-demo.ts';
import { seedDemoMarket } from './seed-market.ts';

describe('demo market seed', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
    await seedDemoWorld(handle.db, createAuth(handle.db, { baseURL: 'http://localhost:3000' }));
    await seedDemoCatalog(handle.db);
  }, 180_000);
  afterAll(async () => handle.close());

  it('opens 黄芪 药材 统货 and 当归 药材 选货 as the operator, once; the demo grower can sell 黄芪 from its lot', async () => {
    expect(await seedDemoMarket(handle.db)).toEqual({ instruments: 2 });
    expect(await seedDemoMarket(handle.db)).toEqual({ instruments: 0 });
    const quotes = await instrumentQuotes(handle.db);
    expect(quotes.map((q) => [q.name, q.status, q.lastFenPerKg])).toEqual([
      ['当归 药材 生 选货', 'active', null],
      ['黄芪 药材 生 统货', 'active', null],
    ]);
    const grower = await orgIdOf(handle.db, 'grower-07');
    const huangqi = quotes.find((q) => q.name.startsWith('黄芪'))!;
    expect(await sellableLots(handle.db, grower!, huangqi.id)).toEqual([expect.objectContaining({ origin: '甘肃陇西', grade: 'ungraded', freeG: expect.any(Number) })]);
  }, 60_000);
});
