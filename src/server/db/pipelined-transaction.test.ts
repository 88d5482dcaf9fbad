import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, sqlRows, type DbHandle } from './client.ts';
import { pipelinedTransaction } from './pipelined-transaction.ts';

/** On PostgreSQL when DATABASE_URL is set (the pipelined path), on PGlite otherwise (db.transaction). */
let handle: DbHandle;
const table = sql.identifier(`pipelined_probe_${randomBytes(4).toString('hex')}`);

async function rows(): Promise<{ id: number; xact: string }[]> {
  return sqlRows(handle.db, sql`select id, xact::text as xact from ${table} order by id`);
}

/** The SQLSTATE of a driver error, wrapped by the query builder (PGlite) or not (the pipelined last statement). */
function sqlState(error: unknown): unknown {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth += 1) if (typeof e.code === 'string') return e.code;
  return undefined;
}

beforeAll(async () => {
  handle = process.env.DATABASE_URL ? await createDb({ databaseUrl: process.env.DATABASE_URL, maxConnections: 3 }) : await createDb({ inMemory: true });
  await handle.db.execute(sql`create table ${table} (id integer primary key, xact bigint not null)`);
});

afterAll(async () => {
  await handle?.db.execute(sql`drop table if exists ${table}`);
  await handle?.close();
});

describe(`pipelinedTransaction (${process.env.DATABASE_URL ? 'PostgreSQL, pipelined' : 'PGlite, db.transaction'})`, () => {
  it('runs the work and the last statement in one transaction and answers the result', async () => {
    const answer = await pipelinedTransaction(handle.db, async (tx) => {
      await tx.execute(sql`insert into ${table} values (1, txid_current())`);
      const [row] = await sqlRows<{ xact: string }>(tx, sql`select txid_current()::text as xact`);
      return { result: row!.xact, last: sql`insert into ${table} values (2, txid_current())` };
    });
    // Every statement saw the same transaction id: the BEGIN went before the first and the last ran before the COMMIT.
    expect(await rows()).toEqual([
      { id: 1, xact: answer },
      { id: 2, xact: answer },
    ]);
  });

  it('keeps nothing when the last statement fails, throws its error, and leaves the connection usable', async () => {
    const failing = pipelinedTransaction(handle.db, async (tx) => {
      await tx.execute(sql`insert into ${table} values (10, txid_current())`);
      // id 1 exists: a unique violation at the last statement.
      return { result: 'never', last: sql`insert into ${table} values (1, txid_current())` };
    });
    expect(sqlState(await failing.catch((error: unknown) => error))).toBe('23505');
    expect((await rows()).map((r) => r.id)).toEqual([1, 2]);
    // Each connection of the pool starts clean: none was left inside the failed transaction.
    for (let i = 0; i < 4; i += 1) {
      await pipelinedTransaction(handle.db, async () => ({ result: null, last: sql`insert into ${table} values (${20 + i}, txid_current())` }));
    }
    expect((await rows()).map((r) => r.id)).toEqual([1, 2, 20, 21, 22, 23]);
  });

  it('rolls back when the work throws, without sending its last statement', async () => {
    const failing = pipelinedTransaction(handle.db, async (tx) => {
      await tx.execute(sql`insert into ${table} values (30, txid_current())`);
      throw new Error('refused in the work');
    });
    await expect(failing).rejects.toThrow('refused in the work');
    expect((await rows()).some((r) => r.id === 30)).toBe(false);
  });

  it('runs many at once on a pool smaller than their number, each atomic', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => 100 + i);
    const results = await Promise.allSettled(
      ids.map((id) =>
        pipelinedTransaction(handle.db, async (tx) => {
          await tx.execute(sql`insert into ${table} values (${id}, txid_current())`);
          // Every third one fails at its last statement (id 1 exists) and must leave nothing.
          return { result: id, last: id % 3 === 0 ? sql`insert into ${table} values (1, 0)` : sql`update ${table} set xact = xact where id = ${id}` };
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(ids.filter((id) => id % 3 === 0).length);
    const stored = (await rows()).map((r) => r.id).filter((id) => id >= 100);
    expect(stored).toEqual(ids.filter((id) => id % 3 !== 0));
  });
});
