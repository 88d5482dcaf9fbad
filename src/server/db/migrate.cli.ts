import { count, eq } from 'drizzle-orm';
import { upsertHerbMasterData } from '../domains/catalog/herbs.seed.ts';
import { createSearchIndex } from '../integrations/search/search.ts';
import { reindex } from '../integrations/search/search.jobs.ts';
import { searchDocument } from './schema/index.ts';
import { env } from '../env.ts';
import { createDb } from './client.ts';
import { migrate } from './migrate.ts';

/** `npm run db:migrate`: applies the committed migrations, then loads reference data (herb master data). */
const e = env();
const handle = await createDb({ databaseUrl: e.DATABASE_URL, dataDir: e.BENCAO_DATA_DIR, maxConnections: 1 });
await migrate(handle);
const herbs = await upsertHerbMasterData(handle.db);
process.stdout.write(`migrations applied (${handle.kind}); herb master data: ${JSON.stringify(herbs)}\n`);
// Documents written before the herb-first search columns existed (empty herb_id) are invisible to the
// Postgres adapter until rebuilt; rebuild them here so an upgraded database keeps finding everything.
if (!e.MEILI_URL) {
  const [stale] = await handle.db.select({ n: count() }).from(searchDocument).where(eq(searchDocument.herbId, ''));
  if ((stale?.n ?? 0) > 0) {
    const index = createSearchIndex(e, handle.db);
    const rebuilt = await reindex(handle.db, index, 'all');
    await index.close?.();
    process.stdout.write(`search documents rebuilt for the herb-first index: ${JSON.stringify(rebuilt.byKind)}\n`);
  }
}
await handle.close();
