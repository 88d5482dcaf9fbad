import { count, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { sqlRows, type DbHandle } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import { createTestDb } from '../testing/test-db.ts';
import { listJobs, retryJob } from './admin.ts';
import { createJobRegistry, defineJob } from './define.ts';
import { enqueue } from './outbox.ts';
import type { JobFailure, JobRunner, JobRunnerOptions } from './runner.ts';

/**
 * The one contract every JobRunner driver passes (inline.test.ts, bullmq.test.ts). `makeRunner`
 * receives everything but the driver's own settings (redisUrl, prefix) and returns an unstarted runner.
 */
export type RunnerTestOptions = Omit<JobRunnerOptions, 'redisUrl' | 'prefix'>;
export type MakeRunner = (options: RunnerTestOptions) => JobRunner;

interface DeliveryRecord {
  eventId: string;
  tag: string;
  attempt: number;
  at: number;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface RunnerContractContext {
  /** The suite's database (open between its beforeAll and afterAll). */
  handle(): DbHandle;
}

/**
 * Registers the contract suite. `extra` adds driver-specific tests inside the same describe, so they
 * share its database (creating one costs seconds on PGlite); they run after the contract cases.
 */
export function runnerContract(name: string, makeRunner: MakeRunner, extra?: (ctx: RunnerContractContext) => void): void {
  const ctx: RunnerContractContext = { handle: () => handle };
  let handle: DbHandle;
  const deliveries: DeliveryRecord[] = [];
  const failures: JobFailure[] = [];
  const infraErrors: string[] = [];
  const healed = new Set<string>();
  const hangs = new Map<string, () => void>();
  const runners: JobRunner[] = [];

  const record = defineJob({
    name: 'test.record',
    payload: z.object({ tag: z.string() }),
    async handler(payload, ctx) {
      deliveries.push({ eventId: ctx.eventId, tag: payload.tag, attempt: ctx.attempt, at: Date.now() });
    },
  });
  const flaky = defineJob({
    name: 'test.flaky',
    payload: z.object({ tag: z.string() }),
    maxAttempts: 3,
    backoffMs: 50,
    async handler(payload, ctx) {
      deliveries.push({ eventId: ctx.eventId, tag: payload.tag, attempt: ctx.attempt, at: Date.now() });
      if (!healed.has(payload.tag)) throw new Error(`boom on attempt ${ctx.attempt}`);
    },
  });
  /** Writes its effect keyed by eventId (idempotent), then hangs on its first delivery: a crash mid-way. */
  const crashy = defineJob({
    name: 'test.crashy',
    payload: z.object({ tag: z.string() }),
    async handler(payload, ctx) {
      const first = !deliveries.some((d) => d.eventId === ctx.eventId);
      deliveries.push({ eventId: ctx.eventId, tag: payload.tag, attempt: ctx.attempt, at: Date.now() });
      await ctx.db.execute(sql`insert into jobs_test_effect (event_id, tag) values (${ctx.eventId}, ${payload.tag}) on conflict (event_id) do nothing`);
      if (first) await new Promise<void>((resolve) => hangs.set(ctx.eventId, resolve));
    },
  });
  const strict = defineJob({
    name: 'test.strict',
    payload: z.object({ orderId: z.string().startsWith('ord_'), items: z.array(z.object({ grams: z.number().int().positive() })).min(1) }),
    async handler() {},
  });
  /** Defined but not registered: rows for it cannot be delivered. */
  const unregistered = defineJob({ name: 'test.unregistered', payload: z.object({}), async handler() {} });
  const registry = createJobRegistry([record, flaky, crashy, strict]);

  function runner(overrides: Partial<RunnerTestOptions> = {}): JobRunner {
    const r = makeRunner({
      db: handle.db,
      registry,
      pollMs: 25,
      concurrency: 4,
      leaseMs: 2_000,
      shutdownGraceMs: 2_000,
      reconcileMs: 200,
      onFailed: (f) => failures.push(f),
      onError: (error, where) => infraErrors.push(`${where}: ${error instanceof Error ? error.message : String(error)}`),
      ...overrides,
    });
    runners.push(r);
    return r;
  }
  const row = async (id: string) => (await handle.db.select().from(outboxEvent).where(eq(outboxEvent.id, id)))[0];
  const statusIs = (id: string, status: string) => async () => {
    const r = await row(id);
    return r?.status === status ? r : undefined;
  };
  const deliveriesOf = (id: string) => deliveries.filter((d) => d.eventId === id);

  describe(`JobRunner contract: ${name}`, () => {
    beforeAll(async () => {
      handle = await createTestDb();
      await handle.db.execute(sql`create table jobs_test_effect (event_id text primary key, tag text not null)`);
    });
    afterEach(async () => {
      for (const release of hangs.values()) release();
      await Promise.all(runners.splice(0).map((r) => r.stop()));
    });
    afterAll(async () => {
      await handle?.close();
    });

    it('delivers an enqueued job exactly once', async () => {
      const id = await enqueue(handle.db, record, { tag: 'happy' });
      await runner().start();
      const done = await waitFor(statusIs(id, 'done'), 'the job to be done');
      await pause(200);
      expect(deliveriesOf(id)).toHaveLength(1);
      expect(deliveriesOf(id)[0]).toMatchObject({ tag: 'happy', attempt: 1 });
      expect(done.attempts).toBe(1);
      expect(done.completedAt).toBeInstanceOf(Date);
      expect((await row(id))?.status).toBe('done');
    });

    it('never delivers a job enqueued in a transaction that rolled back', async () => {
      let rolledBack = '';
      await expect(
        handle.db.transaction(async (tx) => {
          rolledBack = await enqueue(tx, record, { tag: 'rolled-back' });
          throw new Error('domain change failed');
        }),
      ).rejects.toThrow('domain change failed');
      const marker = await handle.db.transaction((tx) => enqueue(tx, record, { tag: 'committed' }));
      await runner().start();
      await waitFor(statusIs(marker, 'done'), 'the committed job');
      await pause(100);
      expect(rolledBack).toMatch(/^evt_/);
      expect(await row(rolledBack)).toBeUndefined();
      expect(deliveries.filter((d) => d.tag === 'rolled-back')).toHaveLength(0);
    });

    it('delivers a delayed job not before its runAt, then once', async () => {
      const id = await enqueue(handle.db, record, { tag: 'delayed' }, { delayMs: 800 });
      const runAt = (await row(id))!.runAt.getTime();
      await runner().start();
      await pause(350);
      expect(deliveriesOf(id)).toHaveLength(0);
      expect((await row(id))?.status).not.toBe('done');
      await waitFor(statusIs(id, 'done'), 'the delayed job');
      expect(deliveriesOf(id)).toHaveLength(1);
      expect(deliveriesOf(id)[0]!.at).toBeGreaterThanOrEqual(runAt - 10);
    });

    it('keeps a delayed job across a restart: a new runner delivers it once', async () => {
      const id = await enqueue(handle.db, record, { tag: 'restart' }, { runAt: new Date(Date.now() + 900) });
      const first = runner();
      await first.start();
      await pause(250);
      await first.stop();
      expect(deliveriesOf(id)).toHaveLength(0);
      const second = runner();
      await second.start();
      await waitFor(statusIs(id, 'done'), 'the delayed job after the restart');
      await pause(200);
      expect(deliveriesOf(id)).toHaveLength(1);
    });

    it('retries with backoff, then marks the row failed with last_error visible', async () => {
      const id = await enqueue(handle.db, flaky, { tag: 'always-fails' });
      await runner().start();
      const failed = await waitFor(statusIs(id, 'failed'), 'the job to fail');
      expect(failed.attempts).toBe(3);
      expect(failed.lastError).toContain('boom on attempt 3');
      const tries = deliveriesOf(id);
      expect(tries.map((d) => d.attempt)).toEqual([1, 2, 3]);
      // backoff 50 ms, doubling: ≥ 50 ms then ≥ 100 ms between attempts (small clock tolerance)
      expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(40);
      expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(90);
      const listed = await listJobs(handle.db, { status: 'failed', limit: 100 });
      expect(listed.find((j) => j.id === id)).toMatchObject({ status: 'failed', attempts: 3, job: 'test.flaky' });
      const reported = failures.filter((f) => f.eventId === id);
      expect(reported.map((f) => [f.attempt, f.final])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ]);
      await pause(200);
      expect(deliveriesOf(id)).toHaveLength(3);
    });

    it('runs a failed job again after retryJob', async () => {
      const id = await enqueue(handle.db, flaky, { tag: 'heals' }, { maxAttempts: 2 });
      await runner().start();
      await waitFor(statusIs(id, 'failed'), 'the job to fail');
      expect(deliveriesOf(id)).toHaveLength(2);
      healed.add('heals');
      const retried = await retryJob(handle.db, id);
      expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
      const done = await waitFor(statusIs(id, 'done'), 'the retried job');
      expect(done.attempts).toBe(1);
      await pause(200);
      expect(deliveriesOf(id)).toHaveLength(3);
      await expect(retryJob(handle.db, id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    });

    it('writes one row for one dedupeKey and delivers it once', async () => {
      const a = await enqueue(handle.db, record, { tag: 'dedupe' }, { dedupeKey: 'test.record:dedupe' });
      const b = await handle.db.transaction((tx) => enqueue(tx, record, { tag: 'dedupe' }, { dedupeKey: 'test.record:dedupe' }));
      expect(b).toBe(a);
      const [n] = await handle.db.select({ n: count() }).from(outboxEvent).where(eq(outboxEvent.dedupeKey, 'test.record:dedupe'));
      expect(Number(n?.n)).toBe(1);
      await runner().start();
      await waitFor(statusIs(a, 'done'), 'the deduplicated job');
      // after delivery the key still holds: no second row
      expect(await enqueue(handle.db, record, { tag: 'dedupe' }, { dedupeKey: 'test.record:dedupe' })).toBe(a);
      await pause(150);
      expect(deliveries.filter((d) => d.tag === 'dedupe')).toHaveLength(1);
    });

    it('redelivers a job whose runner died mid-handler; the idempotent handler has one effect', async () => {
      const lease = { leaseMs: 500, stalledIntervalMs: 250, shutdownGraceMs: 0 };
      const id = await enqueue(handle.db, crashy, { tag: 'crash' });
      const doomed = runner(lease);
      await doomed.start();
      await waitFor(async () => deliveriesOf(id).length === 1 && hangs.has(id), 'the first delivery to hang');
      // The process "dies": it stops without finishing; its lease is no longer renewed.
      await doomed.stop();
      const survivor = runner(lease);
      await survivor.start();
      await waitFor(statusIs(id, 'done'), 'the redelivery', 10_000);
      expect(deliveriesOf(id)).toHaveLength(2);
      // the dead delivery wakes up late: it must not change anything
      hangs.get(id)?.();
      await pause(200);
      const [effects] = await sqlRows<{ n: number }>(handle.db, sql`select count(*)::int as n from jobs_test_effect where event_id = ${id}`);
      expect(Number(effects?.n)).toBe(1);
      expect((await row(id))?.status).toBe('done');
      expect(deliveriesOf(id)).toHaveLength(2);
    });

    it('refuses a bad payload naming the field, writing nothing', async () => {
      const bad = { orderId: 42, items: [{ grams: 5 }] } as unknown as z.input<typeof strict.payload>;
      const error = await enqueue(handle.db, strict, bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'VALIDATION', details: { field: 'orderId' } });
      expect((error as AppError).message).toContain('orderId');
      const nested = await enqueue(handle.db, strict, { orderId: 'ord_1', items: [{ grams: -1 }] }).catch((e: unknown) => e);
      expect(nested).toMatchObject({ code: 'VALIDATION', details: { field: 'items.0.grams' } });
      const [n] = await handle.db.select({ n: count() }).from(outboxEvent).where(eq(outboxEvent.job, 'test.strict'));
      expect(Number(n?.n)).toBe(0);
    });

    it('fails a job unknown to the registry permanently, recording why', async () => {
      const id = await enqueue(handle.db, unregistered, {});
      await runner().start();
      const failed = await waitFor(statusIs(id, 'failed'), 'the unknown job to fail');
      expect(failed.lastError).toContain('unknown job "test.unregistered"');
      expect(failures.find((f) => f.eventId === id)).toMatchObject({ final: true });
    });

    it('delivers each job once when two runners compete', async () => {
      const errorsBefore = infraErrors.length;
      const ids: string[] = [];
      for (let i = 0; i < 20; i += 1) ids.push(await enqueue(handle.db, record, { tag: `compete-${i}` }));
      await Promise.all([runner().start(), runner().start()]);
      await waitFor(async () => {
        const done = await listJobs(handle.db, { status: 'done', job: 'test.record', limit: 500 });
        return ids.every((id) => done.some((j) => j.id === id));
      }, 'all competing jobs');
      await pause(200);
      for (const id of ids) expect(deliveriesOf(id)).toHaveLength(1);
      expect(infraErrors.slice(errorsBefore)).toEqual([]);
    });

    extra?.(ctx);
  });
}
