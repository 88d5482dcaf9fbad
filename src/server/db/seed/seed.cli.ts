import { createAuth } from '../../auth/auth.ts';
import { env, isDemoMode } from '../../env.ts';
import { createDb } from '../client.ts';
import { DEMO_API_KEYS, DEMO_PASSWORD } from './demo-world.data.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { seedDemoCredit } from './seed-credit.ts';
import { seedDemoWorld } from './seed-demo.ts';
import { seedDemoMarket } from './seed-market.ts';
import { seedDemoOrdersInTransit } from './seed-orders.ts';

/** `npm run db:seed`: seeds the demo world into an empty database (demo mode only). */
if (!isDemoMode()) {
  process.stderr.write('db:seed only runs in demo mode (BENCAO_DEMO=1); it never seeds a production database.\n');
  process.exit(2);
}
const e = env();
const handle = await createDb({ databaseUrl: e.DATABASE_URL, dataDir: e.BENCAO_DATA_DIR, maxConnections: 2 });
const report = await seedDemoWorld(handle.db, createAuth(handle.db));
const catalog = await seedDemoCatalog(handle.db);
const credit = await seedDemoCredit(handle.db);
const inTransit = await seedDemoOrdersInTransit(handle.db);
const market = await seedDemoMarket(handle.db);
await handle.close();
if (report.skipped) {
  process.stdout.write('demo world already present: nothing seeded\n');
} else {
  process.stdout.write(`seeded ${report.orgs} organisations and ${report.users} people\n`);
  process.stdout.write(`catalogue: ${JSON.stringify(catalog)}\n`);
  process.stdout.write(`payment terms: ${JSON.stringify(credit)}\n`);
  process.stdout.write(`orders in transit: ${JSON.stringify(inTransit)}\n`);
  process.stdout.write(`spot market: ${JSON.stringify(market)}\n`);
}
process.stdout.write(`\nDemo logins (password for all: ${DEMO_PASSWORD})\n`);
const logins = report.logins.length ? report.logins : [];
for (const l of logins) process.stdout.write(`  ${l.email.padEnd(34)} ${l.role.padEnd(17)} ${l.org}\n`);
if (!logins.length) process.stdout.write('  see README.md "Demo logins"\n');
process.stdout.write(`Demo API keys: ${DEMO_API_KEYS.map((k) => `${k.key} (${k.orgKey})`).join(', ')}\n`);
