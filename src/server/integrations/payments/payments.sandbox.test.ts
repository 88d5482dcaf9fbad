import { createTestDb } from '../../testing/test-db.ts';
import type { DbHandle } from '../../db/client.ts';
import { paymentsContract } from './payments.contract.ts';
import { createStripePayments } from './stripe.adapter.ts';
import { startSandboxServer } from './testing/sandbox-server.ts';

// The contract against the embedded sandbox: the official SDK over real HTTP (a node:http server on
// port 0 in front of the sandbox handler), state in a real database (PGlite, or PostgreSQL when
// DATABASE_URL is set).
paymentsContract('sandbox (stripe SDK → node:http → sandbox handler)', async () => {
  const handle: DbHandle = await createTestDb();
  const server = await startSandboxServer({ db: handle.db });
  return {
    payments: createStripePayments(server.config, { maxNetworkRetries: 0 }),
    async close() {
      await server.close();
      await handle.close();
    },
  };
});
