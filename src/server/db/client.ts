import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { tracePglite, tracePostgres } from '../observability/db-tracing.ts';
import { tracingEnabled } from '../observability/tracing.ts';
import { withCommitTail } from './commit-tail.ts';
import { preparedByDefault } from './prepared-statements.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/**
 * The database handle used everywhere. Both drivers expose the same drizzle query API; the type is
 * the PGlite flavour and the postgres.js handle is presented through it.
 */
export type Db = PgliteDatabase<Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A handle or an open transaction: repositories accept either. */
export type DbOrTx = Db | Tx;

export type DbKind = 'postgres' | 'pglite';

export interface DbHandle {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… → postgres.js; absent → PGlite. */
  databaseUrl?: string;
  /** PGlite directory; `memory://` or undefined with `inMemory` for a throwaway database. */
  dataDir?: string;
  inMemory?: boolean;
  maxConnections?: number;
}

/**
 * Opens the database; when tracing is on in this process, every statement gets a span (db-tracing.ts).
 * On PostgreSQL, statements with parameters are prepared once per connection (prepared-statements.ts).
 * Transactions flush their deferred work (audit entries) just before they commit (commit-tail.ts).
 */
export async function createDb(options: DbOptions): Promise<DbHandle> {
  const traced = tracingEnabled();
  if (options.databaseUrl) {
    const sql = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connection: { application_name: 'bencao' },
    });
    const prepared = preparedByDefault(sql);
    const db = withCommitTail(drizzlePostgres(traced ? tracePostgres(prepared) : prepared, { schema, casing: 'snake_case' }) as unknown as Db);
    return { db, kind: 'postgres', close: () => sql.end({ timeout: 5 }) };
  }
  let client: PGlite;
  if (options.inMemory) {
    client = new PGlite({ extensions: { pg_trgm } });
  } else {
    const dir = options.dataDir ?? './.data';
    mkdirSync(dir, { recursive: true });
    client = new PGlite(`${dir}/pgdata`, { extensions: { pg_trgm } });
  }
  await client.waitReady;
  const db = withCommitTail(drizzlePglite(traced ? tracePglite(client) : client, { schema, casing: 'snake_case' }));
  return { db, kind: 'pglite', close: () => client.close() };
}

/**
 * Runs raw SQL and returns its rows on both drivers (postgres.js answers an array, PGlite `{ rows }`).
 * Prefer the query builder; use this for SQL it cannot express (similarity(), advisory locks).
 */
export async function sqlRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Renders raw SQL as the app's databases are opened (snake_case columns). */
const dialect = new PgDialect({ casing: 'snake_case' });

/**
 * As `sqlRows`, sent as a prepared statement: on PostgreSQL each connection parses its text once, and
 * keeps one generic plan once that plans no worse than planning each call. Since `preparedByDefault`, the
 * query builder's statements are prepared too, up to its parameter limit; this one is prepared whatever
 * its parameters, for statements sent very often in a few shapes, such as the market writer's batch
 * statements; `name` only labels it (postgres.js keys prepared statements by their text).
 */
export async function preparedRows<T extends Record<string, unknown>>(db: DbOrTx, name: string, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute());
}
