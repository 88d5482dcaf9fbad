import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, type DbHandle } from '../server/db/client.ts';
import { env } from '../server/env.ts';

/**
 * The database an operator command works on: DATABASE_URL, else the embedded PGlite data in
 * BENCAO_DATA_DIR. A missing PGlite directory is refused (opening it would create an empty database).
 * An embedded directory is opened by one process at a time: the web server must be stopped first.
 */
export async function openConfiguredDatabase(maxConnections: number): Promise<DbHandle> {
  const e = env();
  if (!e.DATABASE_URL && !existsSync(join(e.BENCAO_DATA_DIR, 'pgdata'))) {
    throw new Error(`no database in ${e.BENCAO_DATA_DIR} (set BENCAO_DATA_DIR or DATABASE_URL)`);
  }
  return createDb({ databaseUrl: e.DATABASE_URL, dataDir: e.BENCAO_DATA_DIR, maxConnections });
}
