import type { SQL } from 'drizzle-orm';
import type { PgDialect } from 'drizzle-orm/pg-core';
import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js/session';
import type { Sql } from 'postgres';
import { tracePostgres } from '../observability/db-tracing.ts';
import { tracingEnabled } from '../observability/tracing.ts';
import { preparedRows, type Db, type Tx } from './client.ts';

/** What a pipelined transaction's work answers: its result, and the statement that ends it (null: none). */
export interface PipelinedWork<T> {
  result: T;
  last: SQL | null;
}

/**
 * A transaction in two round trips fewer than `db.transaction` on PostgreSQL: its BEGIN is sent with
 * its first statement and its COMMIT with its last, on one reserved connection. `work` runs the
 * statements whose answers it needs and returns the last one, which is sent as a prepared statement
 * followed at once by COMMIT; if that statement fails, the server ends the failed transaction at the
 * COMMIT (as a rollback) and its error is thrown. If `work` throws, the transaction is rolled back.
 *
 * For hot paths of one or two statements (the market's writer): no commit tail runs (work deferred to
 * commit, such as audit entries, is not supported here). On PGlite, in process, there are no round
 * trips to save: it is `db.transaction`.
 */
export async function pipelinedTransaction<T>(db: Db, work: (tx: Tx) => Promise<PipelinedWork<T>>): Promise<T> {
  const client = (db as unknown as { $client?: Partial<Sql> }).$client;
  if (typeof client?.reserve !== 'function') {
    return db.transaction(async (tx) => {
      const { result, last } = await work(tx);
      if (last) await preparedRows(tx, 'pipelined_last', last);
      return result;
    });
  }
  const base = db._.session as unknown as { dialect: PgDialect; schema: ConstructorParameters<typeof PostgresJsSession>[2]; options: ConstructorParameters<typeof PostgresJsSession>[3] };
  const connection = await client.reserve();
  // Its statements get spans when tracing is on, as the pool's do (BEGIN and COMMIT, as there, none).
  const reserved = tracingEnabled() ? tracePostgres(connection) : connection;
  try {
    const session = new PostgresJsSession(reserved, base.dialect, base.schema, base.options);
    // A reserved connection has no savepoints: `tx.transaction()` is not supported inside.
    const tx = new PostgresJsTransaction(base.dialect, session as never, base.schema) as unknown as Tx;
    // Sent now, before any statement of `work`: the connection runs its statements in the order sent.
    const begun = connection.unsafe('begin').execute();
    begun.catch(() => undefined);
    let ended = false;
    try {
      const { result, last } = await work(tx);
      // Answered before anything `work` awaited; were it refused, nothing is written.
      await begun;
      const query = last ? base.dialect.sqlToQuery(last) : null;
      // `execute()` sends at once, so the statement goes out before the COMMIT, on the same connection.
      const wrote = query ? reserved.unsafe(query.sql, query.params as never[], { prepare: true }).execute() : Promise.resolve();
      const committed = connection.unsafe('commit').execute();
      ended = true;
      const [written, commit] = await Promise.allSettled([wrote, committed]);
      if (written.status === 'rejected') throw written.reason;
      if (commit.status === 'rejected') throw commit.reason;
      return result;
    } catch (error) {
      if (!ended) await connection.unsafe('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    connection.release();
  }
}
