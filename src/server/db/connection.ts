import { env } from '../env.ts';
import { createDb, type DbHandle } from './client.ts';

/** The process-wide database, opened once (PGlite allows one process per data directory). */
const globalForDb = globalThis as unknown as { __bencaoDb?: Promise<DbHandle> };

export function getDb(): Promise<DbHandle> {
  globalForDb.__bencaoDb ??= (async () => {
    const e = env();
    return createDb({ databaseUrl: e.DATABASE_URL, dataDir: e.BENCAO_DATA_DIR });
  })();
  return globalForDb.__bencaoDb;
}
