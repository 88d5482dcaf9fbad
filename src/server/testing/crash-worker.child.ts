/**
 * A job worker process of the crash-safety harness (src/server/crash-safety.test.ts): the same BullMQ
 * runner and application job registry as `npm run worker` (src/server/jobs/worker.cli.ts), with the
 * differences a test needs — its own Redis key prefix (CRASH_QUEUE_PREFIX), so parallel test files
 * never share a queue; short leases, so a SIGKILLed worker's running jobs (and the rows it was
 * dispatching) are taken over within seconds instead of a minute; retries backing off at most 8 s
 * instead of an hour, so the run drains in time.
 *
 * Started as a standby (crash-standby.ts). Prints JSON lines on stdout: `{"t":"ready"}` once told to
 * go and connected; `{"t":"run",job,eventId}` / `{"t":"ran",eventId}` around every handler; one
 * `{"t":"failed",…}` per failed delivery attempt (`final: true` when the outbox row gave up).
 * Environment: DATABASE_URL, REDIS_URL, CRASH_QUEUE_PREFIX, APP_URL (the web tier, where the payments
 * client finds the sandbox).
 */
import { createDb } from '../db/client.ts';
import { createJobRegistry, type AnyJobDefinition } from '../jobs/define.ts';
import { describeError } from '../jobs/delivery.ts';
import { appJobList } from '../jobs/registry.ts';
import { createJobRunner } from '../jobs/runner.ts';
import { awaitGo } from './crash-standby.ts';

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  const prefix = process.env.CRASH_QUEUE_PREFIX;
  if (!databaseUrl || !redisUrl || !prefix) throw new Error('DATABASE_URL, REDIS_URL and CRASH_QUEUE_PREFIX must be set');
  await awaitGo();
  const handle = await createDb({ databaseUrl, maxConnections: 6 });
  // The application's jobs, each handler announcing when it starts and ends, so the harness knows
  // which deliveries a kill cut short.
  const registry = createJobRegistry(
    appJobList.map(
      (definition): AnyJobDefinition => ({
        ...definition,
        async handler(payload, ctx) {
          emit({ t: 'run', job: definition.name, eventId: ctx.eventId });
          await definition.handler(payload, ctx);
          emit({ t: 'ran', eventId: ctx.eventId });
        },
      }),
    ),
  );
  const runner = createJobRunner({
    db: handle.db,
    registry,
    redisUrl,
    prefix,
    pollMs: 100,
    concurrency: 4,
    // A dead worker's jobs come back after the lock lapses (≤ lease + stalled check).
    leaseMs: 3_000,
    stalledIntervalMs: 1_000,
    reconcileMs: 2_000,
    reconcileGraceMs: 5_000,
    maxBackoffMs: 8_000,
    onFailed: (f) => emit({ t: 'failed', job: f.job, eventId: f.eventId, attempt: f.attempt, final: f.final, error: f.error.slice(0, 500) }),
    onError: (error, where) => emit({ t: 'error', where, error: describeError(error) }),
  });
  await runner.start();
  emit({ t: 'ready' });
}

main().catch((error: unknown) => {
  console.error('worker child: could not start', error);
  process.exit(1);
});
