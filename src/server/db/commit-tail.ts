import type { Db, DbOrTx, Tx } from './client.ts';

/**
 * Work a transaction defers to its end. A handle wrapped with `withCommitTail` runs each
 * `transaction()` callback, then flushes what was deferred in it (channel by channel, in the order the
 * channels were first used), then commits. Savepoints (`tx.transaction()` inside) share their
 * transaction's tail; what a rolled-back savepoint deferred is dropped with it.
 *
 * The audit chain uses it: appending an entry takes the chain's lock until commit, so an entry written
 * in the middle of a transaction would make every later row lock of that transaction wait while holding
 * the chain, and deadlock against a transaction holding that row and waiting for the chain. Written at
 * the end, the chain's lock is the last lock any transaction takes.
 */
export interface TailChannel<T> {
  flush(tx: Tx, items: readonly T[]): Promise<void>;
}

interface Tail {
  readonly batches: Map<TailChannel<never>, unknown[]>;
  flushing: boolean;
}

const tailOf = new WeakMap<object, Tail>();

/**
 * Defers `item` to the end of `tx`'s transaction. Returns false when `tx` has no tail (a handle outside a
 * transaction, or one not opened through `withCommitTail`): the caller then does the work at once.
 */
export function deferToCommit<T>(tx: DbOrTx, channel: TailChannel<T>, item: T): boolean {
  const tail = tailOf.get(tx);
  if (tail === undefined || tail.flushing) return false;
  const key = channel as unknown as TailChannel<never>;
  const batch = tail.batches.get(key);
  if (batch === undefined) tail.batches.set(key, [item]);
  else batch.push(item);
  return true;
}

type TransactionFn = (callback: (tx: Tx) => Promise<unknown>, config?: unknown) => Promise<unknown>;

function withTailedSavepoints(tx: Tx, tail: Tail): Tx {
  const proxied = new Proxy(tx, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver) as unknown;
      const savepoint = (Reflect.get(target, property, receiver) as TransactionFn).bind(target);
      return async (callback: (nested: Tx) => Promise<unknown>, config?: unknown) => {
        const marks = new Map([...tail.batches].map(([channel, items]) => [channel, items.length]));
        try {
          return await savepoint((nested) => callback(withTailedSavepoints(nested, tail)), config);
        } catch (error) {
          for (const [channel, items] of tail.batches) items.length = marks.get(channel) ?? 0;
          throw error;
        }
      };
    },
  });
  tailOf.set(proxied, tail);
  return proxied;
}

/** The handle whose transactions flush their deferred work just before they commit. */
export function withCommitTail(db: Db): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver) as unknown;
      const begin = (Reflect.get(target, property, receiver) as TransactionFn).bind(target);
      return (callback: (tx: Tx) => Promise<unknown>, config?: unknown) =>
        begin(async (tx) => {
          const tail: Tail = { batches: new Map(), flushing: false };
          const tailed = withTailedSavepoints(tx, tail);
          const result = await callback(tailed);
          tail.flushing = true;
          for (const [channel, items] of tail.batches) if (items.length > 0) await channel.flush(tailed, items as never[]);
          return result;
        }, config);
    },
  });
}
