import { sql } from 'drizzle-orm';
import { env } from '@/server/env.ts';
import { logger } from '@/server/observability/request-scope.ts';
import { services } from '@/server/services.ts';

export const dynamic = 'force-dynamic';

/** Liveness plus the adapter in use for each port (CONTRACTS.md). */
export async function GET() {
  const e = env();
  const adapters = {
    db: e.DATABASE_URL ? 'postgres' : 'pglite',
    queue: e.REDIS_URL ? 'bullmq' : 'inline',
    search: e.MEILI_URL ? 'meilisearch' : 'postgres',
    payments: e.STRIPE_SECRET_KEY ? 'stripe' : 'sandbox',
  };
  try {
    const { handle } = await services();
    await handle.db.execute(sql`select 1`);
    return Response.json({ status: 'ok', ...adapters });
  } catch (error) {
    logger().error({ err: error }, 'health check failed');
    return Response.json({ status: 'error', ...adapters }, { status: 503 });
  }
}
