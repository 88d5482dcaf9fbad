import { types } from 'node:util';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDb } from '../db/client.ts';
import { outboxEvent } from '../db/schema/jobs.ts';
import { createJobRegistry, defineJob } from '../jobs/define.ts';
import { enqueue } from '../jobs/outbox.ts';
import { createJobRunner } from '../jobs/runner.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { currentTraceparent, startTracing, stopTracing, tracer, tracingEnabled } from './tracing.ts';

const traced = defineJob({
  name: 'test.traced',
  payload: z.object({}),
  async handler(_payload, { db }) {
    await db.select({ id: outboxEvent.id }).from(outboxEvent).limit(1);
  },
});

/** The driver client drizzle was given (postgres.js or PGlite), wrapped or not. */
const driverClient = (db: unknown) => (db as { $client: unknown }).$client;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
const named = (spans: ReadableSpan[], name: string) => {
  const span = spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span "${name}" among ${spans.map((s) => s.name).join(', ')}`);
  return span;
};

describe('tracing', () => {
  afterAll(async () => stopTracing());

  it('is off by default: nothing registered, spans are no-ops, the database driver is not wrapped', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(await startTracing({ exporter: 'none', serviceName: 'bencao-test' })).toBe(false);
    expect(tracingEnabled()).toBe(false);
    await tracer().startActiveSpan('noop', async (span) => {
      expect(span.isRecording()).toBe(false);
      expect(currentTraceparent()).toBeNull();
      span.end();
    });
    const handle = await createDb({ inMemory: true });
    try {
      expect(types.isProxy(driverClient(handle.db))).toBe(false);
    } finally {
      await handle.close();
    }
  });

  describe('on, with an in-memory exporter', () => {
    const exporter = new InMemorySpanExporter();
    let app: TestApp;
    let api: Awaited<ReturnType<TestApp['caller']>>;

    afterAll(async () => app?.close());

    it('registers once; databases opened afterwards are traced', async () => {
      expect(await startTracing({ exporter, serviceName: 'bencao-test' })).toBe(true);
      expect(tracingEnabled()).toBe(true);
      app = await createTestApp();
      expect(types.isProxy(driverClient(app.handle.db))).toBe(true);
      const operator = await app.signUp('ops@trace.example');
      const orgId = await app.makeOperator(operator.userId);
      await (await app.caller(operator.headers)).orgs.setActive({ orgId });
      api = await app.caller(operator.headers);
    });

    it('a tRPC call makes a procedure span with its database statements as children', async () => {
      exporter.reset();
      await api.operator.jobs({ limit: 5 });
      const spans = exporter.getFinishedSpans();
      const procedure = named(spans, 'trpc operator.jobs');
      expect(procedure.attributes).toMatchObject({ 'trpc.type': 'query', 'trpc.path': 'operator.jobs', 'trpc.ok': true });
      expect(procedure.attributes['bencao.org_id']).toMatch(/^org_/);
      const statements = childrenOf(spans, procedure);
      expect(statements.length).toBeGreaterThanOrEqual(2);
      for (const s of statements) {
        expect(s.name).toBe('db SELECT');
        expect(s.kind).toBe(SpanKind.CLIENT);
        expect(String(s.attributes['db.query.text'])).toContain('outbox_event');
      }
    });

    it('a failed call records ok=false and its error codes', async () => {
      exporter.reset();
      await expect(api.operator.retryJob({ id: 'evt_missing' })).rejects.toThrow();
      const procedure = named(exporter.getFinishedSpans(), 'trpc operator.retryJob');
      expect(procedure.attributes).toMatchObject({ 'trpc.type': 'mutation', 'trpc.ok': false, 'trpc.error_code': 'NOT_FOUND', 'app.error_code': 'NOT_FOUND' });
      expect(procedure.status.code).not.toBe(SpanStatusCode.ERROR);
    });

    it('a statement span lasts as long as the statement runs; statements outside any trace are not recorded', async () => {
      exporter.reset();
      await tracer().startActiveSpan('request', async (span) => {
        await app.handle.db.execute(sql`select pg_sleep(0.05)`);
        span.end();
      });
      const statement = named(exporter.getFinishedSpans(), 'db SELECT');
      expect(statement.duration[0] * 1000 + statement.duration[1] / 1e6).toBeGreaterThanOrEqual(45);
      exporter.reset();
      // The job runners' polling, for instance: no span is active.
      await app.handle.db.execute(sql`select 1`);
      await app.handle.db.transaction((tx) => tx.execute(sql`select 1`));
      expect(exporter.getFinishedSpans()).toEqual([]);
    });

    it('a job delivery makes a job span, linked to the span that enqueued it, with the handler statements as children', async () => {
      exporter.reset();
      const eventId = await tracer().startActiveSpan('request', async (span) => {
        const id = await app.handle.db.transaction((tx) => enqueue(tx, traced, {}));
        span.end();
        return id;
      });
      const [row] = await app.handle.db.select().from(outboxEvent).where(eq(outboxEvent.id, eventId));
      const request = named(exporter.getFinishedSpans(), 'request');
      // The enqueue ran in a transaction span under the request; the row carries that span.
      const transaction = named(exporter.getFinishedSpans(), 'db transaction');
      expect(transaction.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(childrenOf(exporter.getFinishedSpans(), transaction).map((s) => s.name)).toContain('db INSERT');
      expect(row?.traceparent).toBe(`00-${request.spanContext().traceId}-${transaction.spanContext().spanId}-01`);

      await createJobRunner({ db: app.handle.db, registry: createJobRegistry([traced]) }).drainOnce!();
      const spans = exporter.getFinishedSpans();
      const job = named(spans, 'job test.traced');
      expect(job.kind).toBe(SpanKind.CONSUMER);
      expect(job.attributes).toMatchObject({ 'job.name': 'test.traced', 'job.event_id': eventId, 'job.attempt': 1, 'job.runner': 'inline' });
      expect(job.parentSpanContext).toBeUndefined();
      expect(job.links.map((l) => `${l.context.traceId}-${l.context.spanId}`)).toEqual([`${request.spanContext().traceId}-${transaction.spanContext().spanId}`]);
      expect(childrenOf(spans, job).map((s) => s.name)).toEqual(['db SELECT']);
    });

    it('stops: spans are no-ops again', async () => {
      await stopTracing();
      expect(tracingEnabled()).toBe(false);
      const span = tracer().startSpan('after');
      expect(span.isRecording()).toBe(false);
      span.end();
    });
  });
});
