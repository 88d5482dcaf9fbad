import type { Sql, TransactionSql } from 'postgres';

type Unsafe = (statement: string, ...rest: unknown[]) => PromiseLike<unknown>;

export interface PostgresHooks {
  /** Sends every statement drizzle hands the client (`unsafe`); `send` is the client's own. */
  unsafe(send: Unsafe, statement: string, rest: unknown[]): PromiseLike<unknown>;
  /** Runs around a transaction or savepoint (`begin`, `savepoint`); default: runs it. */
  transaction?(run: () => Promise<unknown>): Promise<unknown>;
}

/**
 * A postgres.js client whose statements go through `hooks`, and whose transactions and savepoints hand
 * their callbacks a client wrapped the same way (used for tracing and for preparing statements).
 */
export function proxyPostgres<S extends Sql | TransactionSql>(sql: S, hooks: PostgresHooks): S {
  return new Proxy(sql, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property === 'unsafe') {
        const send: Unsafe = (statement, ...rest) => (value as Unsafe).call(target, statement, ...rest);
        return (statement: string, ...rest: unknown[]) => hooks.unsafe(send, statement, rest);
      }
      if ((property === 'begin' || property === 'savepoint') && typeof value === 'function') {
        return (...args: unknown[]) => {
          const callback = args[args.length - 1];
          const wrapped = typeof callback === 'function' ? [...args.slice(0, -1), (inner: TransactionSql) => (callback as (tx: TransactionSql) => unknown)(proxyPostgres(inner, hooks))] : args;
          const run = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, wrapped);
          return hooks.transaction ? hooks.transaction(run) : run();
        };
      }
      return value;
    },
  });
}
