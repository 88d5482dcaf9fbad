import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DbHandle } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import { createTestDb } from '../testing/test-db.ts';
import { discardJob, getJob, jobCounts, listJobs, retryJob } from './admin.ts';
import { defineJob } from './define.ts';
import { enqueue } from './outbox.ts';
import { outboxPing } from './registry.ts';

describe('outbox operator functions', () => {
  let handle: DbHandle;
  const other = defineJob({ name: 'test.other', payload: z.object({}), async handler() {} });

  async function failedRow(error: string | null = 'Error: boom'): Promise<string> {
    const id = await enqueue(handle.db, outboxPing, { source: 'test' });
    await handle.db.update(outboxEvent).set({ status: 'failed', attempts: 5, lastError: error }).where(eq(outboxEvent.id, id));
    return id;
  }

  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('enqueue applies payload defaults, job maxAttempts and delays by the database clock', async () => {
    const id = await enqueue(handle.db, outboxPing, {}, { delayMs: 60_000 });
    const row = await getJob(handle.db, id);
    expect(row).toMatchObject({ job: 'outbox.ping', payload: { source: 'health' }, maxAttempts: 3, status: 'pending', attempts: 0 });
    expect(row.runAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(59_000);
    const at = new Date(Date.now() + 3_600_000);
    const later = await getJob(handle.db, await enqueue(handle.db, outboxPing, {}, { runAt: at, maxAttempts: 9 }));
    expect(later.runAt.getTime()).toBe(at.getTime());
    expect(later.maxAttempts).toBe(9);
    await expect(enqueue(handle.db, outboxPing, {}, { maxAttempts: 0 })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'maxAttempts' } });
  });

  it('refuses to reuse a dedupeKey for a different job', async () => {
    const id = await enqueue(handle.db, outboxPing, {}, { dedupeKey: 'shared-key' });
    await expect(enqueue(handle.db, other, {}, { dedupeKey: 'shared-key' })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { field: 'dedupeKey', existingId: id },
    });
  });

  it('lists newest first, filters by status and job, counts per status', async () => {
    const before = await jobCounts(handle.db);
    const failed = await failedRow();
    const pending = await enqueue(handle.db, other, {});
    const counts = await jobCounts(handle.db);
    expect(counts).toEqual({ ...before, failed: before.failed + 1, pending: before.pending + 1 });
    expect(Object.keys(counts).sort()).toEqual(['dispatched', 'done', 'failed', 'pending']);
    const all = await listJobs(handle.db, { limit: 2 });
    expect(all.map((j) => j.id)).toEqual([pending, failed]);
    expect((await listJobs(handle.db, { status: 'failed', limit: 50 })).map((j) => j.id)).toContain(failed);
    expect((await listJobs(handle.db, { job: 'test.other', limit: 50 })).map((j) => j.id)).toEqual([pending]);
    await expect(listJobs(handle.db, { status: 'stuck', limit: 5 })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'status' } });
    await expect(listJobs(handle.db, { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'limit' } });
  });

  it('retryJob: failed → pending with attempts reset and due now; anything else is refused', async () => {
    const id = await failedRow();
    const retried = await retryJob(handle.db, id);
    expect(retried).toMatchObject({ id, status: 'pending', attempts: 0, lastError: 'Error: boom', lockedUntil: null });
    expect(retried.runAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    await expect(retryJob(handle.db, id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'pending', to: 'pending' } });
    await expect(retryJob(handle.db, 'evt_missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('discardJob: failed → done keeping last_error with a note; done is final', async () => {
    const id = await failedRow('Error: card declined');
    const discarded = await discardJob(handle.db, id, { note: 'refunded by hand' });
    expect(discarded.status).toBe('done');
    expect(discarded.completedAt).toBeInstanceOf(Date);
    expect(discarded.lastError).toBe('Error: card declined\n[discarded by an operator: refunded by hand]');
    await expect(discardJob(handle.db, id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'done' } });
    await expect(retryJob(handle.db, id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    const noError = await failedRow(null);
    expect((await discardJob(handle.db, noError)).lastError).toBe('[discarded by an operator]');
    const pending = await enqueue(handle.db, outboxPing, {});
    await expect(discardJob(handle.db, pending)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
  });
});
