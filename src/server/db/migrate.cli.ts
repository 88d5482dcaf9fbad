import { upsertHerbMasterData } from '../domains/catalog/herbs.seed.ts';
import { env } from '../env.ts';
import { createDb } from './client.ts';
import { migrate } from './migrate.ts';

/** `npm run db:migrate`: applies the committed migrations, then loads reference data (herb master data). */
const e = env();
const handle = await createDb({ databaseUrl: e.DATABASE_URL, dataDir: e.BENCAO_DATA_DIR, maxConnections: 1 });
await migrate(handle);
const herbs = await upsertHerbMasterData(handle.db);
process.stdout.write(`migrations applied (${handle.kind}); herb master data: ${JSON.stringify(herbs)}\n`);
await handle.close();
