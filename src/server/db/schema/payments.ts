import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Payments. Two groups of tables:
 *
 * - `payment_sandbox_*`: the state of the embedded Stripe-API-compatible sandbox (served by the app
 *   under `/api/payments-sandbox/v1`, used when STRIPE_SECRET_KEY is unset). It plays the part of
 *   Stripe's own database: payment intents (with their one charge folded in), refunds, idempotency
 *   records and the events it emits. Money is integer fen (CNY's minor unit, as in Stripe).
 * - `payment_webhook_event`: the app's side — every verified payment event it processed (Stripe or
 *   sandbox), keyed by event id, so a redelivered event is acknowledged without a second effect.
 */
export const paymentSandboxIntent = pgTable(
  'payment_sandbox_intent',
  {
    /** `pi_…` */
    id: text('id').primaryKey(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    /** Stripe PaymentIntent status; transitions in `sandbox.core.ts`. */
    status: text('status').notNull(),
    captureMethod: text('capture_method').notNull(),
    paymentMethod: text('payment_method'),
    amountCapturable: integer('amount_capturable').notNull().default(0),
    amountReceived: integer('amount_received').notNull().default(0),
    /** Refunded so far on the (successful) latest charge. */
    amountRefunded: integer('amount_refunded').notNull().default(0),
    /** `ch_…` of the latest charge attempt (succeeded or failed), null before confirmation. */
    latestCharge: text('latest_charge'),
    chargeStatus: text('charge_status'),
    clientSecret: text('client_secret').notNull(),
    description: text('description'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull(),
    /** Stripe-shaped `last_payment_error` of a declined confirmation. */
    lastPaymentError: jsonb('last_payment_error').$type<Record<string, unknown>>(),
    cancellationReason: text('cancellation_reason'),
    canceledAt: timestamp('canceled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('payment_sandbox_intent_amount_positive', sql`${t.amount} > 0`),
    check('payment_sandbox_intent_capturable_range', sql`${t.amountCapturable} >= 0 and ${t.amountCapturable} <= ${t.amount}`),
    check('payment_sandbox_intent_received_range', sql`${t.amountReceived} >= 0 and ${t.amountReceived} <= ${t.amount}`),
    check('payment_sandbox_intent_refunded_range', sql`${t.amountRefunded} >= 0 and ${t.amountRefunded} <= ${t.amountReceived}`),
  ],
);

export const paymentSandboxRefund = pgTable(
  'payment_sandbox_refund',
  {
    /** `re_…` */
    id: text('id').primaryKey(),
    paymentIntentId: text('payment_intent_id')
      .notNull()
      .references(() => paymentSandboxIntent.id),
    chargeId: text('charge_id').notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('payment_sandbox_refund_pi_idx').on(t.paymentIntentId), check('payment_sandbox_refund_amount_positive', sql`${t.amount} > 0`)],
);

/**
 * Stripe idempotency: the first response to a key is stored with a fingerprint of its request; the
 * same key with the same request replays it, with a different request is an `idempotency_error`.
 */
export const paymentSandboxIdempotency = pgTable('payment_sandbox_idempotency', {
  key: text('key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  method: text('method').notNull(),
  path: text('path').notNull(),
  statusCode: integer('status_code').notNull(),
  /** The response body exactly as first sent. */
  responseBody: text('response_body').notNull(),
  requestId: text('request_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** Events the sandbox emitted; `body` is the exact JSON that is signed and delivered to the webhook. */
export const paymentSandboxEvent = pgTable(
  'payment_sandbox_event',
  {
    /** `evt_…`, monotonic within a process: id order is emission order. */
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    objectId: text('object_id').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('payment_sandbox_event_object_idx').on(t.objectId)],
);

/** Payment events the app verified and processed (from Stripe or the sandbox), once each. */
export const paymentWebhookEvent = pgTable(
  'payment_webhook_event',
  {
    /** The provider's event id (`evt_…`): the deduplication key. */
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    /** The payment intent the event is about (null for event types the app does not handle). */
    paymentIntentId: text('payment_intent_id'),
    /** Whether the event was handed to the sink (`false`: a type the app does not handle). */
    handled: boolean('handled').notNull(),
    livemode: boolean('livemode').notNull(),
    eventCreatedAt: timestamp('event_created_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('payment_webhook_event_pi_idx').on(t.paymentIntentId)],
);
