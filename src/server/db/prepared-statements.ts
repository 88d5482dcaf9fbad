import type { Sql, TransactionSql } from 'postgres';
import { proxyPostgres } from './postgres-proxy.ts';

/**
 * Most parameters a statement may carry and still be prepared by `preparedByDefault`. A statement with
 * more (a long `in (…)` list, a bulk insert) would be prepared once for each length it comes in, each
 * kept by the connection until postgres.js recycles it (every 30–60 minutes by default); those stay
 * unprepared.
 */
export const MAX_PREPARED_PARAMETERS = 64;

/**
 * The postgres.js client with drizzle's statements prepared once per connection.
 *
 * drizzle hands every statement of its query builder (and `db.execute`) to postgres.js unprepared, and
 * postgres.js sends an unprepared statement that has parameters in two round trips: Parse and Describe,
 * then, once the server has described the parameters, Bind and Execute. Prepared, it is parsed and
 * described once per connection and sent in one round trip from then on. Measured with the orders bench
 * (16 buyers checking out on one lot, PostgreSQL): 29–51 checkouts/s unprepared against 60–83/s
 * prepared, p50 290–527 ms against 181–256 ms, since each checkout holds the lot's row lock across its
 * statements.
 *
 * Statements without parameters stay unprepared (postgres.js sends those in one round trip already, and
 * many are one-off: DDL, migrations), as do those with more than `MAX_PREPARED_PARAMETERS`. Named
 * prepared statements need a session per connection: behind a transaction-mode pooler this must not be
 * used.
 */
export function preparedByDefault<S extends Sql | TransactionSql>(sql: S): S {
  return proxyPostgres(sql, {
    unsafe: (send, statement, [parameters = [], options = {}]) => {
      const count = (parameters as unknown[]).length;
      return send(statement, parameters, count > 0 && count <= MAX_PREPARED_PARAMETERS ? { ...(options as Record<string, unknown>), prepare: true } : options);
    },
  });
}
