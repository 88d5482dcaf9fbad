import { AppError, type ErrorCode } from '../../../lib/errors.ts';

/**
 * The payments port: what the orders domain uses to move money. One adapter (`stripe.adapter.ts`,
 * the official `stripe` SDK) serves both real Stripe (STRIPE_SECRET_KEY) and the embedded sandbox
 * (the same SDK pointed at `/api/payments-sandbox`).
 *
 * Money is integer fen end to end: Stripe's minor unit for CNY is the fen, so `amountFen` goes to the
 * API as `amount` unchanged and comes back unchanged. Every mutation takes an idempotency key; a retry
 * with the same key returns the first result (same payment intent, same refund), a retry with the same
 * key but different arguments is a `PaymentError` with reason `idempotency_conflict`.
 */
export interface Payments {
  /** `stripe` (real Stripe) or `sandbox` (the embedded one); `/api/health` shows it. */
  readonly kind: PaymentsKind;
  /**
   * Creates a PaymentIntent with manual capture and confirms it: funds are held, not taken. A
   * declined card is an outcome, not an exception: `status: 'requires_payment_method'` with `decline`.
   */
  authorize(input: AuthorizeInput): Promise<AuthorizeResult>;
  /** Captures the held funds, all (default) or part (`amountFen` ≤ capturable; the rest is released). */
  capture(paymentIntentId: string, input: CaptureInput): Promise<PaymentSnapshot>;
  /** Releases an uncaptured authorisation. */
  cancel(paymentIntentId: string, idempotencyKey: string): Promise<PaymentSnapshot>;
  /** Refunds a captured payment, all that is left (default) or part; the sum never exceeds the capture. */
  refund(paymentIntentId: string, input: RefundInput): Promise<RefundResult>;
  retrieve(paymentIntentId: string): Promise<PaymentSnapshot>;
  /**
   * Verifies a webhook delivery (`Stripe-Signature` header over the raw body, 300 s tolerance) and
   * parses it into a typed event. Never throws for bad input: answers `{ ok: false, error }`.
   */
  verifyWebhook(rawBody: string | Uint8Array, signatureHeader: string | null | undefined): WebhookVerification;
}

export type PaymentsKind = 'stripe' | 'sandbox';

/** The only currency the platform charges in. */
export type PaymentCurrency = 'cny';

/** The most one payment may be, in fen: card rails take 8 digits in the minor unit (Stripe's limit), ¥999,999.99. */
export const MAX_PAYMENT_FEN = 99_999_999;

export interface AuthorizeInput {
  amountFen: number;
  currency: PaymentCurrency;
  /** Stored as metadata `order_id`; comes back on every snapshot and event. */
  orderId: string;
  idempotencyKey: string;
  /** Extra metadata (string values; Stripe limits: 50 keys, keys ≤ 40 chars, values ≤ 500 chars). */
  metadata?: Record<string, string>;
  /**
   * The payment method to confirm with. Default `pm_card_visa` (a Stripe test card, accepted by the
   * sandbox too); `pm_card_chargeDeclined` declines.
   */
  paymentMethod?: string;
  /**
   * `manual` (default): hold now, capture at shipment. `automatic`: charge at once — wallets such as
   * Alipay and WeChat Pay do not support a separate capture.
   */
  captureMethod?: 'manual' | 'automatic';
  /** The payment method type allowed for this intent (default `card`). */
  paymentMethodType?: 'card' | 'alipay' | 'wechat_pay';
  description?: string;
}

export interface CaptureInput {
  /** Partial capture; absent → everything capturable. */
  amountFen?: number;
  idempotencyKey: string;
}

export interface RefundInput {
  /** Partial refund; absent → everything not yet refunded. */
  amountFen?: number;
  idempotencyKey: string;
  reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer';
}

/** Stripe's PaymentIntent statuses. */
export type PaymentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
];

export interface PaymentDecline {
  /** Stripe error code (`card_declined`). */
  code: string;
  /** Issuer's reason (`generic_decline`, `insufficient_funds`), when given. */
  declineCode: string | null;
  message: string;
}

/** A payment intent as the platform sees it; all amounts integer fen. */
export interface PaymentSnapshot {
  paymentIntentId: string;
  status: PaymentStatus;
  currency: string;
  /** What was authorised. */
  amountFen: number;
  /** Still held and capturable (0 once captured or cancelled). */
  amountCapturableFen: number;
  /** Captured. */
  amountReceivedFen: number;
  /**
   * Refunded so far (≤ amountReceivedFen), summed from the intent's refunds by `retrieve`. The results
   * of authorize/capture/cancel say 0 (nothing is refundable before capture; a replayed capture answers
   * its first result) — call `retrieve` for the current figure.
   */
  amountRefundedFen: number;
  /** metadata `order_id`, null when the intent was not created by `authorize`. */
  orderId: string | null;
  metadata: Record<string, string>;
  /** The latest charge (`ch_…`), null before confirmation. */
  chargeId: string | null;
  decline: PaymentDecline | null;
  cancellationReason: string | null;
}

export interface AuthorizeResult extends PaymentSnapshot {
  /** `true` when the funds are held (`requires_capture`) or, with automatic capture, taken (`succeeded`). */
  authorized: boolean;
}

export interface RefundResult {
  refundId: string;
  paymentIntentId: string;
  chargeId: string;
  amountFen: number;
  /** `succeeded` in the sandbox and for test cards; Stripe may answer `pending` for some methods. */
  status: string;
  currency: string;
}

/** Why a payments call failed, in the platform's words (the provider's code is kept alongside). */
export type PaymentErrorReason =
  /** A card error outside `authorize` (authorize answers a decline instead of throwing). */
  | 'declined'
  /** Capture or refund larger than what is capturable / refundable. */
  | 'amount_too_large'
  /** The intent is not in a state that allows the operation (double capture, cancel after capture…). */
  | 'invalid_state'
  /** Same idempotency key, different request. */
  | 'idempotency_conflict'
  | 'not_found'
  /** Bad parameters (a bug on our side). */
  | 'invalid_request'
  /** Wrong or missing API key. */
  | 'authentication'
  /** Network failure, provider down, rate limited: safe to retry with the same idempotency key. */
  | 'unavailable';

const REASON_CODES: Record<PaymentErrorReason, ErrorCode> = {
  declined: 'PRECONDITION_FAILED',
  amount_too_large: 'VALIDATION',
  invalid_state: 'INVALID_TRANSITION',
  idempotency_conflict: 'CONFLICT',
  not_found: 'NOT_FOUND',
  invalid_request: 'BAD_REQUEST',
  authentication: 'INTERNAL',
  unavailable: 'INTERNAL',
};

/** A failed payments call. An `AppError`, so the platform's error map turns it into HTTP/tRPC codes. */
export class PaymentError extends AppError {
  readonly reason: PaymentErrorReason;
  /** The provider's error code (`amount_too_large`, `payment_intent_unexpected_state`…), if any. */
  readonly providerCode: string | null;
  /** True when retrying the same call (same idempotency key) may succeed. */
  readonly retryable: boolean;

  constructor(reason: PaymentErrorReason, message: string, details: { providerCode?: string | null; param?: string | null; statusCode?: number | null } = {}) {
    super(REASON_CODES[reason], message, {
      ...(details.param ? { field: details.param } : {}),
      reason,
      providerCode: details.providerCode ?? null,
      statusCode: details.statusCode ?? null,
    });
    this.name = 'PaymentError';
    this.reason = reason;
    this.providerCode = details.providerCode ?? null;
    this.retryable = reason === 'unavailable';
  }
}

export function isPaymentError(value: unknown): value is PaymentError {
  return value instanceof PaymentError;
}

// ---------------------------------------------------------------------------------------------------
// Webhook events

/** The event types the platform acts on. Others are acknowledged and recorded, not handed on. */
export const HANDLED_EVENT_TYPES = [
  'payment_intent.amount_capturable_updated',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'payment_intent.payment_failed',
  'charge.refunded',
] as const;

export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

interface EventBase {
  /** `evt_…`: the deduplication key. */
  id: string;
  created: Date;
  livemode: boolean;
}

export interface PaymentIntentEvent extends EventBase {
  type: Exclude<HandledEventType, 'charge.refunded'>;
  payment: PaymentSnapshot;
}

export interface ChargeRefundedEvent extends EventBase {
  type: 'charge.refunded';
  paymentIntentId: string;
  chargeId: string;
  orderId: string | null;
  amountFen: number;
  amountCapturedFen: number;
  /** Total refunded so far on the charge (cumulative, not this refund alone). */
  amountRefundedFen: number;
  /** Whether the whole captured amount is now refunded. */
  fullyRefunded: boolean;
}

export interface UnhandledEvent extends EventBase {
  type: 'unhandled';
  /** The provider's event type. */
  providerType: string;
}

export type PaymentEvent = PaymentIntentEvent | ChargeRefundedEvent | UnhandledEvent;

export type WebhookErrorCode =
  | 'missing_signature'
  | 'malformed_signature'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'invalid_payload'
  | 'not_configured';

export type WebhookVerification =
  | { ok: true; event: PaymentEvent; raw: Record<string, unknown> }
  | { ok: false; error: { code: WebhookErrorCode; message: string } };

/** Stripe's default and the platform's webhook tolerance, in seconds. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
