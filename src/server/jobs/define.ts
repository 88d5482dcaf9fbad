import type { z } from 'zod';
import type { Db } from '../db/client.ts';

/**
 * Job definitions: a name, a zod payload schema and an idempotent handler.
 *
 * Delivery is AT-LEAST-ONCE on both drivers (a crash after the side effect but before the row is
 * marked done delivers again), so a handler must be idempotent. `ctx.eventId` (the outbox row id,
 * `evt_…`) is the idempotency key to use: pass it as the Stripe idempotency key, store it in a
 * unique column of the effect you write, or check "already done for this event" first.
 *
 * Payloads travel as JSON (jsonb): the schema must accept what it produced after a JSON round trip
 * (use `z.coerce.date()` or ISO strings for dates, integers for money in fen).
 */
export interface JobContext {
  /** The database; open your own transaction when you write (enqueue follow-ups inside it). */
  db: Db;
  /** The outbox row id: stable across redeliveries and retries, the handler's idempotency key. */
  eventId: string;
  /** 1-based attempt number (1 on the first delivery). */
  attempt: number;
  /** When this delivery started. */
  now: Date;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  /** Dotted lower-case name, `<domain>.<action>` (e.g. `orders.capture-payment`). Stored on the row. */
  readonly name: string;
  readonly payload: S;
  /** Must be idempotent; throw to retry (with backoff) until maxAttempts, then the row is `failed`. */
  handler(payload: z.output<S>, ctx: JobContext): Promise<void>;
  /** Deliveries before the row is marked `failed` (default 5; `enqueue` may override per row). */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at one hour (default 1000 ms). */
  readonly backoffMs?: number;
}

/** Any definition, whatever its payload type: what registries and runners hold. */
export type AnyJobDefinition = JobDefinition<z.ZodType>;

const JOB_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  if (!JOB_NAME.test(definition.name)) {
    throw new Error(`job name "${definition.name}" must be dotted lower-case, like "orders.capture-payment"`);
  }
  if (definition.maxAttempts !== undefined && (!Number.isInteger(definition.maxAttempts) || definition.maxAttempts < 1)) {
    throw new Error(`job ${definition.name}: maxAttempts must be a positive integer`);
  }
  if (definition.backoffMs !== undefined && (!Number.isFinite(definition.backoffMs) || definition.backoffMs < 0)) {
    throw new Error(`job ${definition.name}: backoffMs must be a non-negative number`);
  }
  return Object.freeze({ ...definition });
}

/** Job name → definition. Runners deliver only jobs found here; an unknown name fails the row permanently. */
export type JobRegistry = ReadonlyMap<string, AnyJobDefinition>;

export function createJobRegistry(jobs: readonly AnyJobDefinition[]): JobRegistry {
  const registry = new Map<string, AnyJobDefinition>();
  for (const job of jobs) {
    if (registry.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    registry.set(job.name, job);
  }
  return registry;
}
