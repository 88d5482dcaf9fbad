import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { outboxEvent } from '../db/schema/jobs.ts';
import { createJobRegistry, defineJob } from './define.ts';
import { claimRows, releaseLeases } from './delivery.ts';
import { enqueue } from './outbox.ts';
import { runnerContract } from './runner.contract.ts';
import { createJobRunner } from './runner.ts';

// The in-process driver: in-memory PGlite, or PostgreSQL when DATABASE_URL is set.
runnerContract(
  'inline',
  (options) => createJobRunner({ ...options, redisUrl: undefined }),
  (ctx) => {
    it('drainOnce delivers every due row once, leaves future rows and does not loop on immediate retries', async () => {
      const { db } = ctx.handle();
      const seen: string[] = [];
      const ok = defineJob({
        name: 'test.ok',
        payload: z.object({ n: z.number().int() }),
        async handler(p) {
          seen.push(`ok${p.n}`);
        },
      });
      const bad = defineJob({
        name: 'test.bad',
        payload: z.object({}),
        backoffMs: 0,
        maxAttempts: 10,
        async handler() {
          seen.push('bad');
          throw new Error('nope');
        },
      });
      const runner = createJobRunner({ db, registry: createJobRegistry([ok, bad]), onFailed: () => {} });
      expect(runner.kind).toBe('inline');
      for (let n = 0; n < 6; n += 1) await enqueue(db, ok, { n });
      const later = await enqueue(db, ok, { n: 99 }, { delayMs: 60_000 });
      const badId = await enqueue(db, bad, {});
      expect(await runner.drainOnce!()).toBe(7);
      expect(seen.filter((s) => s.startsWith('ok')).sort()).toEqual(['ok0', 'ok1', 'ok2', 'ok3', 'ok4', 'ok5']);
      expect(seen.filter((s) => s === 'bad')).toHaveLength(1);
      const [laterRow] = await db.select().from(outboxEvent).where(eq(outboxEvent.id, later));
      expect(laterRow?.status).toBe('pending');
      const [badRow] = await db.select().from(outboxEvent).where(eq(outboxEvent.id, badId));
      expect(badRow).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: nope' });
      // the retry (backoff 0) is due on the next drain
      expect(await runner.drainOnce!()).toBe(1);
      expect(seen.filter((s) => s === 'bad')).toHaveLength(2);
    });

    it('releaseLeases makes rows leased by a stopped run claimable at once, its attempt still counted, and leaves other rows alone', async () => {
      const { db } = ctx.handle();
      const job = defineJob({ name: 'test.leased', payload: z.object({}), async handler() {} });
      const leased = await enqueue(db, job, {});
      const later = await enqueue(db, job, {}, { delayMs: 60_000 });
      // A run claims the row (and whatever else is due) and is killed: its 60 s lease keeps anyone from claiming it again.
      const claim = () => claimRows(db, { limit: 100, leaseMs: 60_000, dueOnly: true, countAttempt: true });
      const first = await claim();
      expect(first.map((r) => r.id)).toContain(leased);
      expect((await claim()).map((r) => r.id)).not.toContain(leased);
      expect(await releaseLeases(db)).toBe(first.length);
      const again = await claim();
      expect(again.find((r) => r.id === leased)?.attempts).toBe(2);
      const [laterRow] = await db.select().from(outboxEvent).where(eq(outboxEvent.id, later));
      expect(laterRow).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: null });
    });
  },
);
