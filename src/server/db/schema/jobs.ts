import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The outbox: side effects and timers written in the same transaction as the domain change, then
 * delivered by the job runner (BullMQ when REDIS_URL is set, in-process otherwise).
 * status: pending → dispatched (handed to BullMQ) → done | failed; `runAt` delays delivery.
 */
export const outboxEvent = pgTable(
  'outbox_event',
  {
    id: text('id').primaryKey(),
    job: text('job').notNull(),
    payload: jsonb('payload').notNull(),
    /** Optional idempotency key: a second enqueue with the same key is ignored. */
    dedupeKey: text('dedupe_key').unique(),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    lastError: text('last_error'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** The request that enqueued it (`x-request-id`), so its deliveries' log lines can be found with it. */
    requestId: text('request_id'),
    /** The enqueuing span as a W3C traceparent (tracing on), linked from each delivery's span. */
    traceparent: text('traceparent'),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.runAt)],
);
