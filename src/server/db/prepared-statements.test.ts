import { eq, inArray, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../testing/test-db.ts';
import { sqlRows, type DbHandle, type DbOrTx } from './client.ts';
import { MAX_PREPARED_PARAMETERS } from './prepared-statements.ts';

const probe = pgTable('prepared_default_probe', { id: integer('id').primaryKey(), label: text('label').notNull() });

/** Prepared statements on this transaction's connection whose text contains `marker`. */
async function preparedOnConnection(tx: DbOrTx, marker: string): Promise<number> {
  const [row] = await sqlRows<{ n: number }>(tx, sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%'`);
  return row?.n ?? -1;
}

// PGlite has no named statements and no pg_prepared_statements entries for the query builder's statements.
describe.skipIf(!process.env.DATABASE_URL)('statements prepared by default on PostgreSQL (needs DATABASE_URL)', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
    await handle.db.execute(sql`create table prepared_default_probe (id integer primary key, label text not null)`);
  });
  afterAll(async () => handle.close());

  it('prepares a query-builder statement with parameters once on its connection and answers each call with its own values', async () => {
    const found = await handle.db.transaction(async (tx) => {
      await tx.insert(probe).values([
        { id: 1, label: '黄芪' },
        { id: 2, label: '当归' },
      ]);
      const first = await tx.select().from(probe).where(eq(probe.id, 1));
      const second = await tx.select().from(probe).where(eq(probe.id, 2));
      const missing = await tx.select().from(probe).where(eq(probe.id, 3));
      return { first, second, missing, prepared: await preparedOnConnection(tx, 'from "prepared_default_probe" where "prepared_default_probe"."id" = $1') };
    });
    expect(found.first).toEqual([{ id: 1, label: '黄芪' }]);
    expect(found.second).toEqual([{ id: 2, label: '当归' }]);
    expect(found.missing).toEqual([]);
    expect(found.prepared).toBe(1);
  });

  it('leaves statements without parameters and with more than the limit unprepared', async () => {
    const many = Array.from({ length: MAX_PREPARED_PARAMETERS + 1 }, (_, i) => i + 1000);
    const found = await handle.db.transaction(async (tx) => {
      await tx.execute(sql`select count(*) from prepared_default_probe /* no-parameters-probe */`);
      const rows = await tx.select().from(probe).where(inArray(probe.id, many));
      return { rows, plain: await preparedOnConnection(tx, 'no-parameters-probe'), long: await preparedOnConnection(tx, `$${MAX_PREPARED_PARAMETERS + 1})`) };
    });
    expect(found.rows).toEqual([]);
    expect(found.plain).toBe(0);
    expect(found.long).toBe(0);
  });

  it('rolls back a failed transaction, nested savepoints included, with its statements prepared', async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(probe).values({ id: 20, label: '甘草' });
        await tx.transaction(async (nested) => {
          await nested.insert(probe).values({ id: 21, label: '川芎' });
        });
        expect(await tx.select().from(probe).where(inArray(probe.id, [20, 21]))).toHaveLength(2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await handle.db.select().from(probe).where(inArray(probe.id, [20, 21]))).toEqual([]);
  });
});
