import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import { carrierWebhookDelivery } from '../db/schema/shipments.ts';
import { testCarriers } from '../domains/delivery/shipments.testkit.ts';
import { resolvePaymentsConfig } from '../integrations/payments/payments.config.ts';
import { createTestApp, errorOf, type TestApp } from '../testing/test-app.ts';
import { checkSystemHealth, type HealthDeps } from './health.service.ts';

const REDIS_URL = process.env.REDIS_URL;

describe('system health (the operator page)', () => {
  let app: TestApp;
  let deps: HealthDeps;

  beforeAll(async () => {
    app = await createTestApp();
    const { db } = app.handle;
    await db.insert(outboxEvent).values([
      { id: newId('outbox'), job: 'email.send', payload: {}, status: 'failed', lastError: 'smtp down' },
      { id: newId('outbox'), job: 'email.send', payload: {}, status: 'failed', lastError: 'smtp down' },
      { id: newId('outbox'), job: 'search.index', payload: {}, status: 'done' },
      { id: newId('outbox'), job: 'orders.capture-payment', payload: {}, status: 'pending', runAt: sql`now() - interval '10 minutes'` },
    ]);
    const delivery = (carrier: string, receivedAt: ReturnType<typeof sql>) => ({
      id: newId('cwd'),
      carrier,
      signatureHash: randomBytes(16).toString('hex'),
      signedAt: new Date(),
      receivedAt,
      events: 1,
      applied: 1,
      duplicates: 0,
    });
    await db.insert(carrierWebhookDelivery).values([delivery('sf', sql`now() - interval '1 hour'`), delivery('sf', sql`now() - interval '2 hours'`), delivery('jd', sql`now() - interval '10 days'`)]);
    deps = {
      db,
      env: { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: undefined, MEILI_URL: undefined, MEILI_KEY: undefined, BENCAO_RUN_JOBS: '1' },
      payments: { config: resolvePaymentsConfig({ derivationSecret: 'x'.repeat(32) }), ping: async () => undefined },
      carriers: testCarriers(),
      queuePrefix: `bencao-test-health-${randomBytes(4).toString('hex')}`,
    };
  });
  afterAll(async () => app.close());

  it('probes every adapter and reports queue depths and carrier webhooks', async () => {
    const health = await checkSystemHealth(deps);
    expect(health.status).toBe('degraded'); // two jobs failed for good
    expect(health.database).toMatchObject({ status: 'ok', error: null, driver: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
    expect(health.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.database.serverVersion).toMatch(/^\d+/);
    // The pending row has been due for 10 minutes: the runner is behind.
    expect(health.jobs).toMatchObject({ status: 'slow', runner: 'inline', inWebProcess: true, redis: null, bullmq: null });
    expect(health.jobs.outbox?.totals).toEqual({ pending: 1, dispatched: 0, done: 1, failed: 2 });
    expect(health.jobs.outbox?.byJob.map((d) => [d.job, d.failed, d.pending])).toEqual([
      ['email.send', 2, 0],
      ['orders.capture-payment', 0, 1],
      ['search.index', 0, 0],
    ]);
    expect(Date.now() - Date.parse(health.jobs.outbox?.oldestDueAt ?? '')).toBeGreaterThan(9 * 60_000);
    expect(health.search).toMatchObject({ status: 'ok', adapter: 'postgres', documents: 0 });
    expect(health.payments).toMatchObject({ status: 'ok', adapter: 'sandbox', keyMode: 'sandbox', webhookSecret: true, endpoint: 'http://localhost:3000/api/payments-sandbox' });
    expect(health.carriers.windowDays).toBe(7);
    const byCode = Object.fromEntries(health.carriers.adapters.map((a) => [a.code, a]));
    expect(Date.now() - Date.parse(byCode.sf?.lastWebhookAt ?? '')).toBeLessThan(61 * 60_000);
    expect(Date.now() - Date.parse(byCode.sf?.lastWebhookAt ?? '')).toBeGreaterThan(59 * 60_000);
    expect(byCode.jd).toMatchObject({ simulated: false, offered: true, lastWebhookAt: null }); // older than the window
    expect(byCode.sim).toMatchObject({ simulated: true, offered: true, lastWebhookAt: null });
    // Nothing secret in the answer.
    expect(JSON.stringify(health)).not.toMatch(/sk_test_sandbox_|whsec_/);
  });

  it('reports a payments gateway that fails or does not answer, masking secrets in the error', async () => {
    const failing = await checkSystemHealth({
      ...deps,
      payments: { config: resolvePaymentsConfig({ STRIPE_SECRET_KEY: 'sk_live_0123456789abcdef', derivationSecret: 'x' }), ping: () => Promise.reject(new Error('Invalid API Key provided: sk_live_0123456789abcdef')) },
    });
    expect(failing.payments).toMatchObject({ status: 'down', adapter: 'stripe', keyMode: 'live', webhookSecret: false, endpoint: 'https://api.stripe.com', latencyMs: null });
    expect(failing.payments.error).toBe('Invalid API Key provided: sk_[redacted]');
    const silent = await checkSystemHealth({ ...deps, timeoutMs: 1_000, payments: { ...deps.payments, ping: () => new Promise(() => undefined) } });
    expect(silent.payments).toMatchObject({ status: 'down', error: 'no answer within 1000 ms' });
  });

  it('reports an unreachable Redis as down without waiting for retries', async () => {
    const started = Date.now();
    const health = await checkSystemHealth({ ...deps, timeoutMs: 1_500, env: { ...deps.env, REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(health.jobs.runner).toBe('bullmq');
    expect(health.jobs.redis).toMatchObject({ status: 'down', host: '127.0.0.1:1' });
    expect(health.jobs.status).toBe('down');
    expect(health.jobs.bullmq).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.skipIf(!REDIS_URL)('pings Redis and reads the BullMQ queue counts', async () => {
    const health = await checkSystemHealth({ ...deps, env: { ...deps.env, REDIS_URL } });
    expect(health.jobs.redis?.status).not.toBe('down');
    expect(health.jobs.bullmq).toEqual({ waiting: 0, active: 0, delayed: 0, prioritized: 0, failed: 0, completed: 0 });
  });

  it('operator.systemHealth answers operators and refuses everyone else', async () => {
    const operator = await app.signUp('ops@health.example');
    const orgId = await app.makeOperator(operator.userId);
    await (await app.caller(operator.headers)).orgs.setActive({ orgId });
    const health = await (await app.caller(operator.headers)).operator.systemHealth();
    expect(health.database.status).not.toBe('down');
    expect(health.jobs.outbox?.totals.failed).toBe(2);
    const outsider = await app.signUp('someone@health.example');
    const refused = await errorOf(async () => (await app.caller(outsider.headers)).operator.systemHealth());
    expect(refused.data.code).toBe('FORBIDDEN');
  });
});
