import { testPaymentMethod, type IntentState, type TestPaymentMethod, type RefundState, type SandboxEventType } from './sandbox.core.ts';

/**
 * Stripe's JSON shapes for the sandbox's objects, pure. Only the fields the SDK's users rely on are
 * present; names, types and units (integer minor units, unix seconds) follow the Stripe API.
 */
export type StripeJson = Record<string, unknown>;

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The (single) charge of an intent, derived from the intent's columns. */
export function chargeJson(intent: IntentState): StripeJson | null {
  if (intent.latestCharge === null) return null;
  const failed = intent.chargeStatus === 'failed';
  const lastError = intent.lastPaymentError;
  const paymentMethod = failed ? declinedPaymentMethod(lastError) : intent.paymentMethod;
  const method = paymentMethod ? testPaymentMethod(paymentMethod) : null;
  const captured = !failed && intent.amountReceived > 0;
  return {
    id: intent.latestCharge,
    object: 'charge',
    amount: intent.amount,
    amount_captured: failed ? 0 : intent.amountReceived,
    amount_refunded: failed ? 0 : intent.amountRefunded,
    captured,
    created: unixSeconds(intent.createdAt),
    currency: intent.currency,
    description: intent.description,
    failure_code: failed && lastError ? (lastError.code ?? null) : null,
    failure_message: failed && lastError ? (lastError.message ?? null) : null,
    livemode: false,
    metadata: intent.metadata,
    outcome: failed
      ? { network_status: 'declined_by_network', reason: lastError?.decline_code ?? null, type: 'issuer_declined' }
      : { network_status: 'approved_by_network', reason: null, type: 'authorized' },
    paid: !failed,
    payment_intent: intent.id,
    payment_method: paymentMethod,
    payment_method_details: method ? paymentMethodDetails(method) : null,
    refunded: captured && intent.amountRefunded === intent.amountReceived,
    status: failed ? 'failed' : 'succeeded',
  };
}

function paymentMethodDetails(method: TestPaymentMethod): StripeJson {
  const type = method.type ?? 'card';
  return type === 'card' ? { type, card: { brand: method.brand, last4: method.last4 } } : { type, [type]: {} };
}

function declinedPaymentMethod(lastError: Record<string, unknown> | null): string | null {
  const pm = lastError?.payment_method;
  if (pm && typeof pm === 'object' && 'id' in pm && typeof pm.id === 'string') return pm.id;
  return null;
}

export function intentJson(intent: IntentState, options: { expandLatestCharge?: boolean } = {}): StripeJson {
  const charge = options.expandLatestCharge ? chargeJson(intent) : null;
  return {
    id: intent.id,
    object: 'payment_intent',
    amount: intent.amount,
    amount_capturable: intent.amountCapturable,
    amount_received: intent.amountReceived,
    allowed_payment_method_types: ['card'],
    canceled_at: intent.canceledAt ? unixSeconds(intent.canceledAt) : null,
    cancellation_reason: intent.cancellationReason,
    capture_method: intent.captureMethod,
    client_secret: intent.clientSecret,
    confirmation_method: 'automatic',
    created: unixSeconds(intent.createdAt),
    currency: intent.currency,
    description: intent.description,
    last_payment_error: intent.lastPaymentError,
    latest_charge: charge ?? intent.latestCharge,
    livemode: false,
    metadata: intent.metadata,
    payment_method: intent.paymentMethod,
    payment_method_types: ['card'],
    status: intent.status,
  };
}

export function refundJson(refund: RefundState): StripeJson {
  return {
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    charge: refund.chargeId,
    created: unixSeconds(refund.createdAt),
    currency: refund.currency,
    metadata: refund.metadata,
    payment_intent: refund.paymentIntentId,
    reason: refund.reason,
    status: refund.status,
  };
}

export function listJson(url: string, data: StripeJson[], hasMore: boolean): StripeJson {
  return { object: 'list', data, has_more: hasMore, url };
}

/** Stripe's API version the sandbox claims to render (the SDK's pinned one). */
export const SANDBOX_API_VERSION = '2026-10-28.endive';

export interface EventInput {
  id: string;
  type: SandboxEventType;
  intent: IntentState;
  requestId: string;
  idempotencyKey: string | null;
  created: Date;
}

/** A Stripe event envelope: `data.object` is the intent, or the charge for `charge.refunded`. */
export function eventJson(input: EventInput): StripeJson {
  const object = input.type === 'charge.refunded' ? chargeJson(input.intent) : intentJson(input.intent);
  return {
    id: input.id,
    object: 'event',
    api_version: SANDBOX_API_VERSION,
    created: unixSeconds(input.created),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: input.requestId, idempotency_key: input.idempotencyKey },
    type: input.type,
  };
}
