import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { z } from 'zod';
import type { DbHandle } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import { createJobRegistry, defineJob } from '../jobs/define.ts';
import { enqueue } from '../jobs/outbox.ts';
import { waitFor } from '../jobs/runner.contract.ts';
import { createJobRunner } from '../jobs/runner.ts';
import { createTestDb } from '../testing/test-db.ts';
import { rootLogger } from './logger.ts';
import { addResponseCookies, currentRequestId, logger, withLogScope, withRequestId } from './request-scope.ts';

const REDIS_URL = process.env.REDIS_URL;
const PREFIX = `bencao-test-obs-${randomBytes(4).toString('hex')}`;

type Line = Record<string, unknown>;
const lines: Line[] = [];
const rawLines: string[] = [];
const linesOf = (requestId: string) => lines.filter((l) => l.requestId === requestId);

/** A job whose handler logs, and fails its first attempt when asked to. */
const observed = defineJob({
  name: 'test.observed',
  payload: z.object({ failFirst: z.boolean() }),
  backoffMs: 0,
  async handler({ failFirst }, { attempt }) {
    logger().info('handler ran');
    if (failFirst && attempt === 1) throw new Error('first attempt fails');
  },
});
const registry = createJobRegistry([observed]);

describe('request ids: from the edge, through the outbox, into every delivery log line', () => {
  let handle: DbHandle;
  let stdout: MockInstance;

  /** A route handler that enqueues the job, as a domain command would. */
  const route = (failFirst: boolean) =>
    withRequestId(async () => {
      await handle.db.transaction((tx) => enqueue(tx, observed, { failFirst }));
      return Response.json({ requestId: currentRequestId() });
    });

  const rowsOf = (requestId: string) => handle.db.select().from(outboxEvent).where(eq(outboxEvent.requestId, requestId));

  beforeAll(async () => {
    handle = await createTestDb();
    rootLogger().level = 'info';
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const text of String(chunk).split('\n')) {
        if (!text.startsWith('{')) continue;
        rawLines.push(text);
        lines.push(JSON.parse(text) as Line);
      }
      return true;
    });
  });
  afterAll(async () => {
    stdout.mockRestore();
    await handle.close();
  });

  it('keeps a sane incoming x-request-id, echoes it and logs the request under it', async () => {
    const response = await route(false)(new Request('http://localhost/api/orders?token=secret', { method: 'POST', headers: { 'x-request-id': 'req-edge-1' } }));
    expect(response.headers.get('x-request-id')).toBe('req-edge-1');
    expect(await response.json()).toEqual({ requestId: 'req-edge-1' });
    expect(linesOf('req-edge-1')).toContainEqual(expect.objectContaining({ msg: 'request', method: 'POST', path: '/api/orders', status: 200 }));
    // The query string (which may carry tokens) is not logged.
    expect(JSON.stringify(linesOf('req-edge-1'))).not.toContain('secret');
  });

  it('replaces a missing or insane request id with a fresh one', async () => {
    for (const header of [null, '', 'has space', 'x'.repeat(129), '{"json":1}', 'id\u00e9']) {
      const headers: Record<string, string> = header === null ? {} : { 'x-request-id': header };
      const response = await route(false)(new Request('http://localhost/api/orders', { method: 'POST', headers }));
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(((await response.json()) as { requestId: string }).requestId).toBe(id);
    }
  });

  it('nested scopes bind the request id once; a scope with another (or no) request id starts afresh', () => {
    withLogScope({ requestId: 'req-outer' }, () => {
      withLogScope({ requestId: 'req-outer', procedure: 'orders.cancel', orgId: 'org_1' }, () => logger().info('inner'));
      withLogScope({ requestId: null, job: 'email.send' }, () => {
        expect(currentRequestId()).toBeNull();
        logger().info('job inside a request');
      });
    });
    const inner = rawLines.find((l) => l.includes('"msg":"inner"')) ?? '';
    expect(inner.match(/"requestId"/g)).toHaveLength(1);
    expect(JSON.parse(inner)).toMatchObject({ requestId: 'req-outer', procedure: 'orders.cancel', orgId: 'org_1' });
    const job = JSON.parse(rawLines.find((l) => l.includes('job inside a request')) ?? '{}') as Line;
    expect(job).toMatchObject({ job: 'email.send' });
    expect(job).not.toHaveProperty('requestId');
  });

  it('cookies added anywhere inside a request go out with its answer, once each; a job inside it or work outside any request adds none', async () => {
    addResponseCookies(['outside=1; Path=/']);
    const handler = withRequestId(async () => {
      addResponseCookies(['a=1; Path=/; HttpOnly']);
      await withLogScope({ procedure: 'orders.cart' }, async () => addResponseCookies(['b=2; Path=/']));
      withLogScope({ requestId: null, job: 'email.send' }, () => addResponseCookies(['job=1; Path=/']));
      addResponseCookies([]);
      return Response.json({ ok: true });
    });
    const res = await handler(new Request('http://localhost/api/x'));
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/']);
    // An answer whose headers cannot change (a redirect) is copied with the cookies on it.
    const redirect = await withRequestId(async () => {
      addResponseCookies(['c=3; Path=/']);
      return Response.redirect('http://localhost/zh', 302);
    })(new Request('http://localhost/api/y'));
    expect(redirect.status).toBe(302);
    expect(redirect.headers.getSetCookie()).toEqual(['c=3; Path=/']);
    expect(redirect.headers.get('location')).toBe('http://localhost/zh');
  });

  it('inline runner: each delivery logs the enqueuing request id with job, event id and attempt', async () => {
    await route(true)(new Request('http://localhost/api/orders', { method: 'POST', headers: { 'x-request-id': 'req-inline-1' } }));
    const [row] = await rowsOf('req-inline-1');
    expect(row).toBeDefined();
    const runner = createJobRunner({ db: handle.db, registry });
    await runner.drainOnce!();
    await runner.drainOnce!();
    const mine = linesOf('req-inline-1');
    const fields = { job: 'test.observed', eventId: row!.id };
    expect(mine).toContainEqual(expect.objectContaining({ ...fields, attempt: 1, msg: 'handler ran' }));
    expect(mine).toContainEqual(expect.objectContaining({ ...fields, attempt: 1, level: 'warn', msg: 'job attempt failed, will retry', error: 'Error: first attempt fails' }));
    expect(mine).toContainEqual(expect.objectContaining({ ...fields, attempt: 2, level: 'info', msg: 'job delivered' }));
    expect((await rowsOf('req-inline-1'))[0]?.status).toBe('done');
  });

  it('a job enqueued outside any request has no request id (and says so by leaving it out)', async () => {
    const id = await handle.db.transaction((tx) => enqueue(tx, observed, { failFirst: false }));
    await createJobRunner({ db: handle.db, registry }).drainOnce!();
    const [row] = await handle.db.select().from(outboxEvent).where(eq(outboxEvent.id, id));
    expect(row?.requestId).toBeNull();
    const delivered = lines.find((l) => l.eventId === id && l.msg === 'job delivered');
    expect(delivered).toBeDefined();
    expect(delivered).not.toHaveProperty('requestId');
  });

  describe.skipIf(!REDIS_URL)('BullMQ runner', () => {
    afterAll(async () => {
      const redis = new Redis(REDIS_URL ?? '', { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      const keys = await redis.keys(`${PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('each delivery logs the enqueuing request id with job, event id and attempt', async () => {
      await route(true)(new Request('http://localhost/api/orders', { method: 'POST', headers: { 'x-request-id': 'req-bullmq-1' } }));
      const [row] = await rowsOf('req-bullmq-1');
      const runner = createJobRunner({ db: handle.db, registry, redisUrl: REDIS_URL, prefix: PREFIX, pollMs: 25 });
      await runner.start();
      try {
        await waitFor(async () => (await rowsOf('req-bullmq-1'))[0]?.status === 'done', 'the BullMQ delivery');
      } finally {
        await runner.stop();
      }
      const fields = { job: 'test.observed', eventId: row!.id };
      const mine = linesOf('req-bullmq-1');
      expect(mine).toContainEqual(expect.objectContaining({ ...fields, attempt: 1, msg: 'job attempt failed, will retry' }));
      expect(mine).toContainEqual(expect.objectContaining({ ...fields, attempt: 2, msg: 'handler ran' }));
      expect(mine).toContainEqual(expect.objectContaining({ ...fields, attempt: 2, msg: 'job delivered' }));
    });
  });
});
