import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, type DbHandle } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';

/** The embedded database in `dataDir` (as the app opens it with BENCAO_DATA_DIR), migrated. */
export async function openTestDataDir(dataDir: string): Promise<DbHandle> {
  const handle = await createDb({ dataDir });
  await migrate(handle);
  return handle;
}

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database on DATABASE_URL's server
 * (dropped on close) when DATABASE_URL is set, an in-memory PGlite otherwise.
 */
export async function createTestDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await createDb({ inMemory: true });
    await migrate(handle);
    return handle;
  }
  const name = `bencao_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const handle = await createDb({ databaseUrl: testUrl.toString(), maxConnections: 5 });
  await migrate(handle);
  return {
    db: handle.db,
    kind: handle.kind,
    async close() {
      await handle.close();
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}
