import { z } from 'zod';
import {
  HANDLED_EVENT_TYPES,
  PAYMENT_STATUSES,
  type HandledEventType,
  type PaymentDecline,
  type PaymentEvent,
  type PaymentSnapshot,
} from './payments.port.ts';

/**
 * Stripe objects → the port's types, pure. The same parsers read SDK responses and webhook payloads
 * (real Stripe and the sandbox). Amounts must be integers (fen) — anything else is refused rather
 * than rounded.
 */
const fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const idOf = z.union([z.string(), z.object({ id: z.string() }).loose()]).transform((v) => (typeof v === 'string' ? v : v.id));

const lastPaymentError = z
  .object({
    code: z.string().nullish(),
    decline_code: z.string().nullish(),
    message: z.string().nullish(),
  })
  .loose();

export const paymentIntentSchema = z
  .object({
    id: z.string().min(1),
    object: z.literal('payment_intent'),
    status: z.enum(PAYMENT_STATUSES as [string, ...string[]]),
    currency: z.string(),
    amount: fen,
    amount_capturable: fen,
    amount_received: fen,
    metadata: z.record(z.string(), z.string()).nullish(),
    latest_charge: idOf.nullish(),
    last_payment_error: lastPaymentError.nullish(),
    cancellation_reason: z.string().nullish(),
  })
  .loose();

export type PaymentIntentJson = z.input<typeof paymentIntentSchema>;

export const chargeSchema = z
  .object({
    id: z.string().min(1),
    object: z.literal('charge'),
    amount: fen,
    amount_captured: fen,
    amount_refunded: fen,
    refunded: z.boolean(),
    payment_intent: idOf.nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
  })
  .loose();

export const refundSchema = z
  .object({
    id: z.string().min(1),
    object: z.literal('refund'),
    amount: fen,
    currency: z.string(),
    status: z.string().nullish(),
    charge: idOf.nullish(),
    payment_intent: idOf.nullish(),
  })
  .loose();

export class StripeShapeError extends Error {
  constructor(what: string, error: z.ZodError) {
    const issue = error.issues[0];
    super(`unexpected ${what} from the payment provider: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
    this.name = 'StripeShapeError';
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new StripeShapeError(what, result.error);
  return result.data;
}

function declineOf(error: z.output<typeof lastPaymentError> | null | undefined): PaymentDecline | null {
  if (!error) return null;
  return { code: error.code ?? 'card_declined', declineCode: error.decline_code ?? null, message: error.message ?? 'The card was declined.' };
}

/** A PaymentIntent (SDK object or JSON) → snapshot; `amountRefundedFen` comes from the refunds. */
export function snapshotFromIntent(value: unknown, amountRefundedFen = 0): PaymentSnapshot {
  const pi = parse(paymentIntentSchema, value, 'payment intent');
  const metadata = pi.metadata ?? {};
  return {
    paymentIntentId: pi.id,
    status: pi.status as PaymentSnapshot['status'],
    currency: pi.currency,
    amountFen: pi.amount,
    amountCapturableFen: pi.amount_capturable,
    amountReceivedFen: pi.amount_received,
    amountRefundedFen,
    orderId: metadata.order_id ?? null,
    metadata,
    chargeId: pi.latest_charge ?? null,
    decline: declineOf(pi.last_payment_error),
    cancellationReason: pi.cancellation_reason ?? null,
  };
}

export function parseRefund(value: unknown): z.output<typeof refundSchema> {
  return parse(refundSchema, value, 'refund');
}

const eventEnvelope = z
  .object({
    id: z.string().min(1),
    object: z.literal('event'),
    type: z.string().min(1),
    created: z.number().int().nonnegative(),
    livemode: z.boolean(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }).loose(),
  })
  .loose();

function isHandled(type: string): type is HandledEventType {
  return (HANDLED_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * A verified event payload → the port's typed event. Unknown types become `unhandled` (acknowledged,
 * not acted on); a known type with a malformed object throws `StripeShapeError`.
 */
export function parsePaymentEvent(value: unknown): PaymentEvent {
  const envelope = parse(eventEnvelope, value, 'event');
  const base = { id: envelope.id, created: new Date(envelope.created * 1000), livemode: envelope.livemode };
  if (!isHandled(envelope.type)) return { ...base, type: 'unhandled', providerType: envelope.type };
  if (envelope.type === 'charge.refunded') {
    const charge = parse(chargeSchema, envelope.data.object, 'charge');
    if (!charge.payment_intent) throw new Error(`charge ${charge.id} has no payment_intent`);
    return {
      ...base,
      type: 'charge.refunded',
      paymentIntentId: charge.payment_intent,
      chargeId: charge.id,
      orderId: charge.metadata?.order_id ?? null,
      amountFen: charge.amount,
      amountCapturedFen: charge.amount_captured,
      amountRefundedFen: charge.amount_refunded,
      fullyRefunded: charge.refunded,
    };
  }
  return { ...base, type: envelope.type, payment: snapshotFromIntent(envelope.data.object) };
}

/** The payment intent an event is about, for the record (null for unhandled types). */
export function eventPaymentIntentId(event: PaymentEvent): string | null {
  if (event.type === 'unhandled') return null;
  if (event.type === 'charge.refunded') return event.paymentIntentId;
  return event.payment.paymentIntentId;
}
