import { env } from './env.ts';
import { releaseLeases } from './jobs/delivery.ts';
import { createJobRunner, type JobRunner } from './jobs/runner.ts';
import { logger } from './observability/request-scope.ts';
import { appJobs } from './jobs/registry.ts';
import { services } from './services.ts';

const globalForJobs = globalThis as unknown as { __bencaoJobs?: JobRunner };

/**
 * Starts the job runner inside the web process unless BENCAO_RUN_JOBS=0 (then `npm run worker` runs
 * the jobs): BullMQ when REDIS_URL is set, the in-process runner draining the outbox otherwise.
 */
export async function startBackgroundJobs(): Promise<void> {
  const e = env();
  if (e.BENCAO_RUN_JOBS !== '1' || globalForJobs.__bencaoJobs) return;
  const { handle } = await services();
  if (handle.kind === 'pglite') {
    // Only this process has the embedded database open, so its leases are left from a run that stopped
    // mid-delivery (a crash, a kill): those jobs are due again now rather than when the lease (60 s) lapses.
    const released = await releaseLeases(handle.db);
    if (released > 0) logger().warn({ released }, 'jobs cut short when the server last stopped are due again');
  }
  const runner = createJobRunner({ db: handle.db, registry: appJobs, redisUrl: e.REDIS_URL });
  globalForJobs.__bencaoJobs = runner;
  await runner.start();
  const stop = () => {
    void runner.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
