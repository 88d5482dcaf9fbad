import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../testing/test-db.ts';
import { preparedRows, sqlRows, type DbHandle } from './client.ts';

describe('preparedRows', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
    await handle.db.execute(sql`create table prepared_probe (id int primary key, label text not null)`);
  });
  afterAll(async () => handle.close());

  it('answers the rows of each call with its own parameters, inside a transaction too', async () => {
    const pick = (id: number) => sql`select id, label from prepared_probe where id = ${id} /* prepared-probe */`;
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into prepared_probe values (1, '黄芪'), (2, '当归')`);
      expect(await preparedRows(tx, 'probe', pick(1))).toEqual([{ id: 1, label: '黄芪' }]);
      expect(await preparedRows(tx, 'probe', pick(2))).toEqual([{ id: 2, label: '当归' }]);
      expect(await preparedRows(tx, 'probe', pick(3))).toEqual([]);
    });
    expect(await preparedRows(handle.db, 'probe', sql`select count(*)::int as n from prepared_probe`)).toEqual([{ n: 2 }]);
  });

  it('runs a statement with no rows to answer, and rolls back with its transaction', async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await preparedRows(tx, 'probe-write', sql`with w as (insert into prepared_probe values (${10}, ${'甘草'})) select 1`);
        expect(await sqlRows(tx, sql`select label from prepared_probe where id = 10`)).toEqual([{ label: '甘草' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await sqlRows(handle.db, sql`select label from prepared_probe where id = 10`)).toEqual([]);
  });

  it.skipIf(!process.env.DATABASE_URL)('is kept prepared on the PostgreSQL connection that ran it (needs DATABASE_URL: PGlite has no named statements)', async () => {
    const found = await handle.db.transaction(async (tx) => {
      await preparedRows(tx, 'probe', sql`select ${1}::int as one /* prepared-probe-kept */`);
      return sqlRows<{ n: number }>(tx, sql`select count(*)::int as n from pg_prepared_statements where statement like '%prepared-probe-kept%' and statement not like '%pg_prepared_statements%'`);
    });
    expect(found).toEqual([{ n: 1 }]);
  });
});
