import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { outboxEvent } from '../db/schema/jobs.ts';
import { deleteRedisKeys } from '../testing/node-http.ts';
import { QUEUE_NAME } from './bullmq-runner.ts';
import { createJobRegistry, defineJob } from './define.ts';
import { enqueue } from './outbox.ts';
import { pause, runnerContract, waitFor } from './runner.contract.ts';
import { createJobRunner, type JobRunner } from './runner.ts';

const REDIS_URL = process.env.REDIS_URL;
/** Our own key prefix, so parallel test runs and a developer's worker never share a queue. */
const PREFIX = `bencao-test-${randomBytes(4).toString('hex')}`;


// Skipped when no Redis is configured (REDIS_URL unset): the BullMQ driver needs a real Redis.
// CI sets REDIS_URL=redis://127.0.0.1:6379, so it runs there; locally run it with that variable set.
describe.skipIf(!REDIS_URL)('bullmq driver', () => {
  const url = REDIS_URL ?? '';
  afterAll(async () => {
    await deleteRedisKeys(url, PREFIX);
  });

  runnerContract(
    'bullmq',
    (options) => createJobRunner({ ...options, redisUrl: url, prefix: PREFIX }),
    (ctx) => {
      it('reconciles a dispatched row whose Redis job vanished (Redis flushed)', async () => {
        const { db } = ctx.handle();
        const seen: string[] = [];
        const job = defineJob({
          name: 'test.reconcile',
          payload: z.object({}),
          async handler(_p, jobCtx) {
            seen.push(jobCtx.eventId);
          },
        });
        const runner: JobRunner = createJobRunner({
          db,
          registry: createJobRegistry([job]),
          redisUrl: url,
          prefix: PREFIX,
          pollMs: 25,
          reconcileMs: 100,
          reconcileGraceMs: 0,
          shutdownGraceMs: 1_000,
        });
        const queue = new Queue(QUEUE_NAME, { connection: { url }, prefix: PREFIX });
        const status = async (id: string) => (await db.select().from(outboxEvent).where(eq(outboxEvent.id, id)))[0]?.status;
        try {
          expect(runner.kind).toBe('bullmq');
          const id = await enqueue(db, job, {}, { delayMs: 1_200 });
          await runner.start();
          await waitFor(async () => (await status(id)) === 'dispatched', 'dispatch');
          await (await queue.getJob(id))?.remove();
          expect(await queue.getJobState(id)).toBe('unknown');
          await waitFor(async () => (await status(id)) === 'done', 'delivery after reconciling', 10_000);
          await pause(150);
          expect(seen.filter((s) => s === id)).toHaveLength(1);
        } finally {
          await runner.stop();
          await queue.close();
        }
      });

      it('dispatches again a job BullMQ failed for stalling too often (its workers kept dying): one failed attempt, not the end', async () => {
        const { db } = ctx.handle();
        const seen: string[] = [];
        const job = defineJob({
          name: 'test.stalled',
          payload: z.object({}),
          maxAttempts: 3,
          async handler(_p, jobCtx) {
            seen.push(jobCtx.eventId);
          },
        });
        // A queue of its own, so the job taken below is this one.
        const prefix = `${PREFIX}:stalled`;
        const queue = new Queue(QUEUE_NAME, { connection: { url }, prefix });
        const crashed = new Worker(QUEUE_NAME, null, { connection: { url }, prefix });
        const runner = createJobRunner({ db, registry: createJobRegistry([job]), redisUrl: url, prefix, pollMs: 25, reconcileMs: 100, reconcileGraceMs: 0, shutdownGraceMs: 1_000 });
        const row = async (id: string) => (await db.select().from(outboxEvent).where(eq(outboxEvent.id, id)))[0];
        try {
          // What the stalled-job check leaves after the workers running a job died more than maxStalledCount times.
          const id = await enqueue(db, job, {});
          await queue.add(job.name, { job: job.name }, { jobId: id, attempts: 1 });
          await db.update(outboxEvent).set({ status: 'dispatched', dispatchedAt: sql`now()` }).where(eq(outboxEvent.id, id));
          const taken = await crashed.getNextJob('crashed-worker');
          expect(taken?.id).toBe(id);
          await taken!.moveToFailed(new Error('job stalled more than allowable limit'), 'crashed-worker');
          expect(await queue.getJobState(id)).toBe('failed');
          await runner.start();
          await waitFor(async () => (await row(id))?.status === 'done', 'delivery after the stalls', 10_000);
          expect(seen).toEqual([id]);
          expect((await row(id))?.lastError).toContain('stalled more than allowable limit');
        } finally {
          await runner.stop();
          await crashed.close();
          await queue.close();
        }
      });
    },
  );
});
