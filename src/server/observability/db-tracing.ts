import type { PGlite, Transaction } from '@electric-sql/pglite';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Sql, TransactionSql } from 'postgres';
import { proxyPostgres } from '../db/postgres-proxy.ts';
import { redactText } from './redact.core.ts';
import { tracer } from './tracing.ts';

/**
 * Database spans, one per statement, wrapping the driver client drizzle talks to (drizzle's logger
 * hook fires before a query runs, so it cannot time one). A span starts when drizzle hands the
 * statement to the driver and ends when the driver answers: it covers waiting for a connection (or
 * PGlite's lock) and the execution. Transactions get a `db transaction` span around their statements.
 * BEGIN/COMMIT themselves are issued by the drivers internally and have no span. Only statements that
 * belong to a trace (a request, a procedure, a job delivery) are recorded: the job runners' polling
 * would otherwise make a trace of its own every second. Only installed when tracing is on (`createDb`).
 */
type DbClientName = 'postgres.js' | 'pglite';

const MAX_STATEMENT_CHARS = 2_000;

/** Whether a span is active, i.e. the statement is part of a trace. */
const inTrace = () => trace.getSpan(context.active()) !== undefined;

function startStatementSpan(statement: string, client: DbClientName): Span {
  const operation = /^\s*(\w+)/.exec(statement)?.[1]?.toUpperCase() ?? 'QUERY';
  return tracer().startSpan(`db ${operation}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'postgresql',
      'db.client': client,
      'db.operation.name': operation,
      // Parameters travel separately and are never recorded.
      'db.query.text': redactText(statement.slice(0, MAX_STATEMENT_CHARS)),
    },
  });
}

function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

function observe<P extends PromiseLike<unknown>>(statement: string, client: DbClientName, run: () => P): P {
  if (!inTrace()) return run();
  const span = startStatementSpan(statement, client);
  const pending = run();
  pending.then(
    () => endSpan(span),
    (error: unknown) => endSpan(span, error),
  );
  return pending;
}

/** Runs `body` (which opens a transaction) inside a `db transaction` span. */
async function inTransactionSpan<T>(client: DbClientName, body: () => Promise<T>): Promise<T> {
  if (!inTrace()) return body();
  const span = tracer().startSpan('db transaction', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.client': client } });
  try {
    const result = await context.with(trace.setSpan(context.active(), span), body);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/**
 * postgres.js: `unsafe` (every statement drizzle sends), `begin` and `savepoint` are observed. The
 * statement starts when observed (drizzle awaits it at once anyway).
 */
export function tracePostgres<S extends Sql | TransactionSql>(sql: S): S {
  return proxyPostgres(sql, {
    unsafe: (send, statement, rest) => observe(statement, 'postgres.js', () => send(statement, ...rest)),
    transaction: (run) => inTransactionSpan('postgres.js', run),
  });
}

function traceStatements<C extends PGlite | Transaction>(client: C): Partial<C> {
  return {
    query: ((statement: string, ...rest: unknown[]) => observe(statement, 'pglite', () => (client.query as (...args: unknown[]) => Promise<unknown>).call(client, statement, ...rest))) as C['query'],
    exec: ((statement: string, ...rest: unknown[]) => observe(statement, 'pglite', () => (client.exec as (...args: unknown[]) => Promise<unknown>).call(client, statement, ...rest))) as C['exec'],
  } as Partial<C>;
}

function proxyWith<C extends object>(target: C, overrides: Partial<C>): C {
  return new Proxy(target, {
    get(t, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof C];
      const value = Reflect.get(t, property, t);
      // PGlite's methods use private state: call them on the real object.
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

/** PGlite: `query`, `exec` and `transaction` (and the transaction's statements) are observed. */
export function tracePglite(client: PGlite): PGlite {
  return proxyWith(client, {
    ...traceStatements(client),
    transaction: (<T>(callback: (tx: Transaction) => Promise<T>) =>
      inTransactionSpan('pglite', () => client.transaction((tx) => callback(proxyWith(tx, traceStatements(tx)))))) as PGlite['transaction'],
  });
}
