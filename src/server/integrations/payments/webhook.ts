import type { Db, Tx } from '../../db/client.ts';
import { paymentWebhookEvent } from '../../db/schema/payments.ts';
import { appendAudit } from '../../domains/audit/audit.service.ts';
import { logger } from '../../observability/request-scope.ts';
import type { PaymentEvent, Payments, WebhookErrorCode } from './payments.port.ts';
import { eventPaymentIntentId } from './stripe-objects.core.ts';

/** The events a sink receives: every type the platform acts on (never `unhandled`). */
export type HandledPaymentEvent = Exclude<PaymentEvent, { type: 'unhandled' }>;

/**
 * Where verified payment events go. Called at most once per event id (a redelivery is acknowledged
 * without calling it again), inside the transaction that records the event: write your changes with
 * `tx` so they commit with the record. Throw to refuse the event — nothing is recorded, the webhook
 * answers 500 and the provider redelivers later (Stripe retries for up to three days).
 *
 * The orders domain implements this (match `payment.orderId` / `paymentIntentId` to its order and
 * move the order's payment state); until then `createRecordingSink` only writes an audit entry.
 */
export interface PaymentEventSink {
  handle(tx: Tx, event: HandledPaymentEvent): Promise<void>;
}

/** The default sink: one audit entry per event (`payment.<event type>` on the payment intent). */
export function createRecordingSink(): PaymentEventSink {
  return {
    async handle(tx, event) {
      const data: Record<string, unknown> =
        event.type === 'charge.refunded'
          ? {
              eventId: event.id,
              orderId: event.orderId,
              chargeId: event.chargeId,
              amountCapturedFen: event.amountCapturedFen,
              amountRefundedFen: event.amountRefundedFen,
              fullyRefunded: event.fullyRefunded,
            }
          : {
              eventId: event.id,
              orderId: event.payment.orderId,
              status: event.payment.status,
              amountFen: event.payment.amountFen,
              amountCapturableFen: event.payment.amountCapturableFen,
              amountReceivedFen: event.payment.amountReceivedFen,
              declineCode: event.payment.decline?.declineCode ?? null,
            };
      await appendAudit(tx, {
        action: `payment.${event.type}`,
        entityType: 'payment_intent',
        entityId: eventPaymentIntentId(event) ?? event.id,
        data,
      });
    },
  };
}

/** Two sinks in turn (e.g. the orders domain's and the recording one), in the same transaction. */
export function composeSinks(...sinks: PaymentEventSink[]): PaymentEventSink {
  return {
    async handle(tx, event) {
      for (const sink of sinks) await sink.handle(tx, event);
    },
  };
}

export interface WebhookDeps {
  db: Db;
  /** Verifies and parses (the Stripe adapter: `stripe.webhooks.constructEvent`, 300 s tolerance). */
  payments: Pick<Payments, 'verifyWebhook'>;
  sink: PaymentEventSink;
  /** Where unexpected failures are reported. Default: an error log line. */
  onError?: (error: unknown, event: PaymentEvent) => void;
}

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored' | 'rejected' | 'failed';

export interface WebhookResult {
  status: number;
  outcome: WebhookOutcome;
  body: { received: boolean; duplicate?: boolean; error?: { code: WebhookErrorCode | 'processing_failed'; message: string } };
}

/**
 * Handles one delivery of `POST /api/webhooks/payments`: verify the signature over the raw body, record
 * the event id (a replay is acknowledged 200 with no second effect), hand a handled type to the sink.
 * A bad, missing or stale signature answers 400 and records nothing.
 */
export async function handlePaymentWebhook(deps: WebhookDeps, rawBody: string | Uint8Array, signatureHeader: string | null | undefined): Promise<WebhookResult> {
  const verified = deps.payments.verifyWebhook(rawBody, signatureHeader);
  if (!verified.ok) {
    const status = verified.error.code === 'not_configured' ? 500 : 400;
    return { status, outcome: 'rejected', body: { received: false, error: verified.error } };
  }
  const event = verified.event;
  try {
    const outcome = await deps.db.transaction(async (tx): Promise<WebhookOutcome> => {
      const inserted = await tx
        .insert(paymentWebhookEvent)
        .values({
          id: event.id,
          type: event.type === 'unhandled' ? event.providerType : event.type,
          paymentIntentId: eventPaymentIntentId(event),
          handled: event.type !== 'unhandled',
          livemode: event.livemode,
          eventCreatedAt: event.created,
          payload: verified.raw,
        })
        .onConflictDoNothing({ target: paymentWebhookEvent.id })
        .returning({ id: paymentWebhookEvent.id });
      if (inserted.length === 0) return 'duplicate';
      if (event.type === 'unhandled') return 'ignored';
      await deps.sink.handle(tx, event);
      return 'processed';
    });
    return { status: 200, outcome, body: outcome === 'duplicate' ? { received: true, duplicate: true } : { received: true } };
  } catch (error) {
    (deps.onError ?? ((e, ev) => logger().error({ err: e, eventId: ev.id, type: ev.type }, 'payment webhook failed')))(error, event);
    return { status: 500, outcome: 'failed', body: { received: false, error: { code: 'processing_failed', message: 'The event could not be processed; it will be retried' } } };
  }
}

/** The route handler's body: the raw bytes (never re-serialised JSON) and the `Stripe-Signature` header. */
export async function handlePaymentWebhookRequest(deps: WebhookDeps, request: Request): Promise<Response> {
  const rawBody = new Uint8Array(await request.arrayBuffer());
  const result = await handlePaymentWebhook(deps, rawBody, request.headers.get('stripe-signature'));
  return Response.json(result.body, { status: result.status });
}
