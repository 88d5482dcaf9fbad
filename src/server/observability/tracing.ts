import { context, propagation, ROOT_CONTEXT, trace, type Link, type Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { env } from '../env.ts';
import { logger } from './request-scope.ts';

/**
 * OpenTelemetry tracing, off by default. `OTEL_TRACES_EXPORTER=otlp` sends spans over OTLP/HTTP (to
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, default http://localhost:4318), `console` prints them; `none` (the
 * default) loads no SDK at all: every span is the API's no-op and the database driver is not wrapped.
 * Started once per process, before the database is opened: by `src/instrumentation.ts` for the web,
 * by the worker CLI for workers.
 */
export type TracesExporter = 'otlp' | 'console' | 'none';

interface Tracing {
  shutdown(): Promise<void>;
}

const globalForTracing = globalThis as unknown as { __bencaoTracing?: Tracing };

/** True once `startTracing` registered an exporter in this process. */
export function tracingEnabled(): boolean {
  return globalForTracing.__bencaoTracing !== undefined;
}

/**
 * Registers the global tracer provider (async context propagation, W3C trace context) with `exporter`
 * (a name, or an exporter object: tests pass an in-memory one). Answers whether tracing is on.
 */
export async function startTracing(options: { exporter: TracesExporter | SpanExporter; serviceName: string }): Promise<boolean> {
  if (globalForTracing.__bencaoTracing) return true;
  if (options.exporter === 'none') return false;
  const { NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, ConsoleSpanExporter } = await import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  let processor;
  if (options.exporter === 'otlp') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processor = new BatchSpanProcessor(new OTLPTraceExporter());
  } else if (options.exporter === 'console') {
    processor = new SimpleSpanProcessor(new ConsoleSpanExporter());
  } else {
    processor = new SimpleSpanProcessor(options.exporter);
  }
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': options.serviceName }), spanProcessors: [processor] });
  provider.register();
  globalForTracing.__bencaoTracing = {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  return true;
}

/** `startTracing` as the environment says (`OTEL_TRACES_EXPORTER`, `OTEL_SERVICE_NAME`). */
export async function startTracingFromEnv(defaultServiceName: string): Promise<boolean> {
  const e = env();
  const serviceName = e.OTEL_SERVICE_NAME ?? defaultServiceName;
  const on = await startTracing({ exporter: e.OTEL_TRACES_EXPORTER, serviceName });
  if (on) logger().info({ exporter: e.OTEL_TRACES_EXPORTER, serviceName }, 'tracing on');
  return on;
}

/** Flushes pending spans and unregisters the provider (worker shutdown, tests). */
export async function stopTracing(): Promise<void> {
  const tracing = globalForTracing.__bencaoTracing;
  globalForTracing.__bencaoTracing = undefined;
  await tracing?.shutdown();
}

export function tracer(): Tracer {
  return trace.getTracer('bencao');
}

/** The active span as a W3C `traceparent` header value, or null (tracing off, or no span). */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** A link to the span a stored `traceparent` names (a job's enqueuing request), or none. */
export function linksTo(traceparent: string | null): Link[] {
  if (!traceparent) return [];
  const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
  return spanContext ? [{ context: spanContext }] : [];
}
