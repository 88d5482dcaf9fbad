import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRows, type DbHandle } from './client.ts';
import { createTestDb } from '../testing/test-db.ts';

describe('migrations', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('creates every table and the trigram extension', async () => {
    const tables = await sqlRows<{ table_name: string }>(
      handle.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = tables.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['user', 'organization', 'member', 'apikey', 'org_profile', 'licence', 'audit_log', 'outbox_event', 'herb']));
    const [sim] = await sqlRows<{ s: number }>(handle.db, sql`select similarity('黄芪', '黄连') as s`);
    expect(Number(sim!.s)).toBeCloseTo(0.2, 5);
  });
});
