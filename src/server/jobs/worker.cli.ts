/**
 * `npm run worker`: a BullMQ worker process for the outbox (production shape: run N of these next to
 * the stateless web replicas). Requires REDIS_URL; DATABASE_URL should point at PostgreSQL.
 * SIGTERM/SIGINT stop it gracefully: no new jobs, running handlers get the grace period, then exit.
 */
import { createDb } from '../db/client.ts';
import { env, EnvError, type Env } from '../env.ts';
import { logger } from '../observability/request-scope.ts';
import { startTracingFromEnv, stopTracing } from '../observability/tracing.ts';
import { appJobs } from './registry.ts';
import { createJobRunner } from './runner.ts';

async function main(): Promise<number> {
  let config: Env;
  try {
    config = env();
  } catch (error) {
    if (error instanceof EnvError) {
      logger().fatal({ problems: error.problems }, 'worker: invalid environment');
      return 1;
    }
    throw error;
  }
  if (!config.REDIS_URL) {
    logger().fatal(
      'worker: REDIS_URL is not set. The worker process delivers jobs through BullMQ and needs Redis ' +
        '(e.g. REDIS_URL=redis://127.0.0.1:6379). Without Redis the app delivers jobs in-process; no worker is needed.',
    );
    return 1;
  }
  if (!config.DATABASE_URL) {
    logger().warn(
      `worker: DATABASE_URL is not set, using the embedded PGlite database in ${config.BENCAO_DATA_DIR}. ` +
        'PGlite is single-process: do not run the app on the same directory at the same time.',
    );
  }

  // Before the database is opened, so its statements get spans too.
  await startTracingFromEnv('bencao-worker');
  const handle = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.BENCAO_DATA_DIR });
  const runner = createJobRunner({ db: handle.db, registry: appJobs, redisUrl: config.REDIS_URL });

  let stopping: Promise<number> | undefined;
  const shutdown = (signal: string): Promise<number> => {
    if (stopping) {
      logger().error({ signal }, 'worker: signal again, exiting without waiting');
      process.exit(1);
    }
    logger().info({ signal }, 'worker: finishing running jobs…');
    stopping = (async () => {
      try {
        await runner.stop();
        await handle.close();
        await stopTracing();
        logger().info('worker: stopped');
        return 0;
      } catch (error) {
        logger().error({ err: error }, 'worker: error while stopping');
        return 1;
      }
    })();
    return stopping;
  };

  const exitCode = new Promise<number>((resolve) => {
    process.on('SIGTERM', () => void shutdown('SIGTERM').then(resolve));
    process.on('SIGINT', () => void shutdown('SIGINT').then(resolve));
  });

  try {
    await runner.start();
  } catch (error) {
    logger().fatal({ err: error }, 'worker: could not start');
    await runner.stop().catch(() => undefined);
    await handle.close().catch(() => undefined);
    return 1;
  }
  const redisHost = new URL(config.REDIS_URL).host;
  logger().info({ jobs: [...appJobs.keys()], redis: redisHost }, `worker: delivering ${appJobs.size} job type(s) via BullMQ`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    logger().fatal({ err: error }, 'worker: fatal');
    process.exit(1);
  },
);
