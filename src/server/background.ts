import { env } from './env.ts';
import { createJobRunner, type JobRunner } from './jobs/runner.ts';
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
  const runner = createJobRunner({ db: handle.db, registry: appJobs, redisUrl: e.REDIS_URL });
  globalForJobs.__bencaoJobs = runner;
  await runner.start();
  const stop = () => {
    void runner.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
