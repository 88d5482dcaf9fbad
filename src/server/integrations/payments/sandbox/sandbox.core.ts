/**
 * The sandbox's payment logic, pure: PaymentIntent states and their allowed transitions (an explicit
 * table), capture and refund arithmetic in integer fen, test payment methods, and Stripe-shaped errors.
 * No I/O: the service (`sandbox.service.ts`) loads rows, calls these, stores the result.
 */

// ---------------------------------------------------------------------------------------------------
// Errors, shaped as Stripe answers them: HTTP status + `{ error: { type, code, message, param, … } }`.

export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  charge?: string;
  payment_intent?: Record<string, unknown>;
  doc_url?: string;
}

export interface SandboxFailure {
  status: number;
  error: StripeErrorBody;
}

export type CoreResult<T> = { ok: true; value: T } | { ok: false; failure: SandboxFailure };

export function fail(status: number, error: StripeErrorBody): { ok: false; failure: SandboxFailure } {
  return { ok: false, failure: { status, error: error.code ? { ...error, doc_url: `https://docs.stripe.com/error-codes/${error.code.replace(/_/g, '-')}` } : error } };
}

export function invalidRequest(message: string, extra: { code?: string; param?: string } = {}) {
  return fail(400, { type: 'invalid_request_error', message, ...extra });
}

// ---------------------------------------------------------------------------------------------------
// Money

/** Stripe's limit on `amount` (8 digits in the minor unit): ¥999,999.99. */
export const MAX_AMOUNT_FEN = 99_999_999;

export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** `¥1,234.05` from 123405 fen — integer arithmetic, no floats. */
export function formatFen(fen: number): string {
  const yuan = Math.floor(fen / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `¥${yuan}.${String(fen % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------
// PaymentIntent state machine

export type IntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_capture' | 'succeeded' | 'canceled';
export type CaptureMethod = 'automatic' | 'automatic_async' | 'manual';
export type IntentAction = 'attach_payment_method' | 'authorize' | 'charge' | 'decline' | 'capture' | 'cancel';

/**
 * Every allowed transition. Anything else is refused with Stripe's `payment_intent_unexpected_state`.
 * `authorize` is a successful confirmation with manual capture (funds held), `charge` one with
 * automatic capture (funds taken), `decline` a refused card (the intent waits for another method).
 * Refunds do not change the intent's status (it stays `succeeded`), as on Stripe.
 */
export const INTENT_TRANSITIONS: readonly { from: IntentStatus; action: IntentAction; to: IntentStatus }[] = [
  { from: 'requires_payment_method', action: 'attach_payment_method', to: 'requires_confirmation' },
  { from: 'requires_confirmation', action: 'attach_payment_method', to: 'requires_confirmation' },
  { from: 'requires_confirmation', action: 'authorize', to: 'requires_capture' },
  { from: 'requires_confirmation', action: 'charge', to: 'succeeded' },
  { from: 'requires_confirmation', action: 'decline', to: 'requires_payment_method' },
  { from: 'requires_capture', action: 'capture', to: 'succeeded' },
  { from: 'requires_payment_method', action: 'cancel', to: 'canceled' },
  { from: 'requires_confirmation', action: 'cancel', to: 'canceled' },
  { from: 'requires_capture', action: 'cancel', to: 'canceled' },
];

export function nextStatus(from: IntentStatus, action: IntentAction): IntentStatus | null {
  return INTENT_TRANSITIONS.find((t) => t.from === from && t.action === action)?.to ?? null;
}

/** The statuses `action` may start from, in the table's order (for error messages). */
export function statusesAllowing(action: IntentAction): IntentStatus[] {
  return INTENT_TRANSITIONS.filter((t) => t.action === action).map((t) => t.from);
}

export const INTENT_STATUSES: readonly IntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_capture', 'succeeded', 'canceled'];

export function isIntentStatus(value: string): value is IntentStatus {
  return (INTENT_STATUSES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------------
// Test payment methods (Stripe's test tokens)

export type TestPaymentMethod =
  | { outcome: 'success'; type?: 'card' | 'alipay' | 'wechat_pay'; brand: string; last4: string }
  | { outcome: 'decline'; type?: 'card'; brand: string; last4: string; declineCode: string; message: string };

export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestPaymentMethod>> = {
  pm_card_visa: { outcome: 'success', brand: 'visa', last4: '4242' },
  pm_card_mastercard: { outcome: 'success', brand: 'mastercard', last4: '4444' },
  pm_card_unionpay: { outcome: 'success', brand: 'unionpay', last4: '0005' },
  // Wallets: charged on confirmation (they do not support manual capture, as on Stripe).
  pm_alipay: { outcome: 'success', type: 'alipay', brand: 'alipay', last4: '' },
  pm_wechat_pay: { outcome: 'success', type: 'wechat_pay', brand: 'wechat_pay', last4: '' },
  pm_card_chargeDeclined: { outcome: 'decline', brand: 'visa', last4: '0002', declineCode: 'generic_decline', message: 'Your card was declined.' },
  pm_card_chargeDeclinedInsufficientFunds: {
    outcome: 'decline',
    brand: 'visa',
    last4: '9995',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
};

export function testPaymentMethod(id: string): TestPaymentMethod | null {
  return Object.hasOwn(TEST_PAYMENT_METHODS, id) ? TEST_PAYMENT_METHODS[id]! : null;
}

export function noSuchPaymentMethod(id: string) {
  return invalidRequest(`No such PaymentMethod: '${id}'`, { code: 'resource_missing', param: 'payment_method' });
}

// ---------------------------------------------------------------------------------------------------
// The intent

export interface IntentState {
  id: string;
  amount: number;
  currency: string;
  status: IntentStatus;
  captureMethod: CaptureMethod;
  paymentMethod: string | null;
  amountCapturable: number;
  amountReceived: number;
  amountRefunded: number;
  latestCharge: string | null;
  chargeStatus: 'succeeded' | 'failed' | null;
  clientSecret: string;
  description: string | null;
  metadata: Record<string, string>;
  lastPaymentError: Record<string, unknown> | null;
  cancellationReason: string | null;
  canceledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The events the sandbox emits; `charge.refunded` carries the charge, the others the intent. */
export type SandboxEventType =
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.succeeded'
  | 'payment_intent.canceled'
  | 'payment_intent.payment_failed'
  | 'charge.refunded';

export interface Decline {
  code: 'card_declined';
  declineCode: string;
  message: string;
  chargeId: string;
}

export interface IntentChange {
  intent: IntentState;
  events: SandboxEventType[];
  /** Set when the confirmation was declined: the request answers 402 `card_error` after storing this. */
  decline: Decline | null;
}

export interface CreateIntentParams {
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  paymentMethod: string | null;
  confirm: boolean;
  metadata: Record<string, string>;
  description: string | null;
}

function unexpectedState(intent: IntentState, verb: string, action: IntentAction): { ok: false; failure: SandboxFailure } {
  const allowed = statusesAllowing(action);
  return fail(400, {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message: `This PaymentIntent could not be ${verb} because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${verb}: ${allowed.join(', ')}.`,
  });
}

function moved(intent: IntentState, action: IntentAction): IntentStatus {
  const to = nextStatus(intent.status, action);
  if (!to) throw new Error(`sandbox: ${action} from ${intent.status} is not in INTENT_TRANSITIONS`);
  return to;
}

/** A new intent; confirmed at once when `confirm` is set (the usual authorize call). */
export function createIntent(params: CreateIntentParams, ids: { id: string; clientSecret: string; chargeId: string }, now: Date): CoreResult<IntentChange> {
  if (params.paymentMethod !== null && !testPaymentMethod(params.paymentMethod)) return noSuchPaymentMethod(params.paymentMethod);
  if (params.confirm && params.paymentMethod === null) {
    return invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, pass a payment_method.",
      { code: 'parameter_missing', param: 'payment_method' },
    );
  }
  let intent: IntentState = {
    id: ids.id,
    amount: params.amount,
    currency: params.currency,
    status: 'requires_payment_method',
    captureMethod: params.captureMethod,
    paymentMethod: null,
    amountCapturable: 0,
    amountReceived: 0,
    amountRefunded: 0,
    latestCharge: null,
    chargeStatus: null,
    clientSecret: ids.clientSecret,
    description: params.description,
    metadata: params.metadata,
    lastPaymentError: null,
    cancellationReason: null,
    canceledAt: null,
    createdAt: now,
    updatedAt: now,
  };
  if (params.paymentMethod !== null) {
    intent = { ...intent, paymentMethod: params.paymentMethod, status: moved(intent, 'attach_payment_method') };
  }
  if (!params.confirm) return { ok: true, value: { intent, events: [], decline: null } };
  return confirmIntent(intent, { paymentMethod: null, chargeId: ids.chargeId }, now);
}

/**
 * Confirms: the card is tried. Success holds the funds (manual capture → `requires_capture`) or takes
 * them (automatic → `succeeded`); a decline records `last_payment_error` and returns to
 * `requires_payment_method` (the change is stored and the request answers 402).
 */
export function confirmIntent(intent: IntentState, input: { paymentMethod: string | null; chargeId: string }, now: Date): CoreResult<IntentChange> {
  let current = intent;
  if (input.paymentMethod !== null) {
    if (!testPaymentMethod(input.paymentMethod)) return noSuchPaymentMethod(input.paymentMethod);
    if (!nextStatus(current.status, 'attach_payment_method')) return unexpectedState(current, 'confirmed', 'authorize');
    current = { ...current, paymentMethod: input.paymentMethod, status: moved(current, 'attach_payment_method') };
  }
  if (current.status === 'requires_payment_method') {
    return invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, pass a payment_method.",
      { code: 'payment_intent_unexpected_state', param: 'payment_method' },
    );
  }
  if (!nextStatus(current.status, 'authorize')) return unexpectedState(current, 'confirmed', 'authorize');
  const method = testPaymentMethod(current.paymentMethod ?? '');
  if (!method) return noSuchPaymentMethod(current.paymentMethod ?? '');
  if ((method.type ?? 'card') !== 'card' && current.captureMethod === 'manual') {
    return invalidRequest(`The payment method type ${method.type} does not support capture_method=manual.`, { code: 'payment_intent_invalid_parameter', param: 'capture_method' });
  }

  if (method.outcome === 'decline') {
    const decline: Decline = { code: 'card_declined', declineCode: method.declineCode, message: method.message, chargeId: input.chargeId };
    const next: IntentState = {
      ...current,
      status: moved(current, 'decline'),
      paymentMethod: null,
      latestCharge: input.chargeId,
      chargeStatus: 'failed',
      lastPaymentError: {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.declineCode,
        message: decline.message,
        charge: decline.chargeId,
        payment_method: paymentMethodObject(current.paymentMethod ?? ''),
        doc_url: 'https://docs.stripe.com/error-codes/card-declined',
      },
      updatedAt: now,
    };
    return { ok: true, value: { intent: next, events: ['payment_intent.payment_failed'], decline } };
  }
  const manual = current.captureMethod === 'manual';
  const next: IntentState = {
    ...current,
    status: moved(current, manual ? 'authorize' : 'charge'),
    amountCapturable: manual ? current.amount : 0,
    amountReceived: manual ? 0 : current.amount,
    latestCharge: input.chargeId,
    chargeStatus: 'succeeded',
    lastPaymentError: null,
    updatedAt: now,
  };
  return {
    ok: true,
    value: { intent: next, events: [manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded'], decline: null },
  };
}

export function paymentMethodObject(id: string): Record<string, unknown> {
  const method = testPaymentMethod(id);
  const type = method?.type ?? 'card';
  if (type !== 'card') return { id, object: 'payment_method', type, [type]: {} };
  return { id, object: 'payment_method', type, card: method ? { brand: method.brand, last4: method.last4 } : null };
}

/** How much a capture takes: all that is capturable by default, never more. */
export function planCapture(amountCapturable: number, requested: number | null): CoreResult<number> {
  const amount = requested ?? amountCapturable;
  if (!isFen(amount) || amount < 1) {
    return invalidRequest('This value must be greater than or equal to 1.', { code: 'parameter_invalid_integer', param: 'amount_to_capture' });
  }
  if (amount > amountCapturable) {
    return invalidRequest(
      `The amount_to_capture (${formatFen(amount)}) is greater than the amount_capturable (${formatFen(amountCapturable)}) on this PaymentIntent.`,
      { code: 'amount_too_large', param: 'amount_to_capture' },
    );
  }
  return { ok: true, value: amount };
}

/**
 * Captures held funds, all or part: the intent succeeds with `amount_received` = the capture and the
 * rest of the authorisation is released (`amount_capturable` 0), as Stripe does without multicapture.
 */
export function captureIntent(intent: IntentState, requested: number | null, now: Date): CoreResult<IntentChange> {
  if (!nextStatus(intent.status, 'capture')) return unexpectedState(intent, 'captured', 'capture');
  const plan = planCapture(intent.amountCapturable, requested);
  if (!plan.ok) return plan;
  const next: IntentState = { ...intent, status: moved(intent, 'capture'), amountReceived: plan.value, amountCapturable: 0, updatedAt: now };
  return { ok: true, value: { intent: next, events: ['payment_intent.succeeded'], decline: null } };
}

export const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export function cancelIntent(intent: IntentState, reason: CancellationReason | null, now: Date): CoreResult<IntentChange> {
  if (!nextStatus(intent.status, 'cancel')) return unexpectedState(intent, 'canceled', 'cancel');
  const next: IntentState = {
    ...intent,
    status: moved(intent, 'cancel'),
    amountCapturable: 0,
    cancellationReason: reason,
    canceledAt: now,
    updatedAt: now,
  };
  return { ok: true, value: { intent: next, events: ['payment_intent.canceled'], decline: null } };
}

// ---------------------------------------------------------------------------------------------------
// Refunds

export type RefundPlan =
  | { ok: true; amountFen: number; refundedAfterFen: number; fullyRefunded: boolean }
  | { ok: false; reason: 'already_refunded' | 'exceeds_refundable' | 'invalid_amount'; refundableFen: number };

/**
 * The refund arithmetic: a refund takes `requested` (default: everything not yet refunded) from what is
 * left of the capture. Invariant (property-tested): the sum of accepted refunds never exceeds the
 * captured amount, and every accepted refund is a positive integer.
 */
export function planRefund(capturedFen: number, refundedFen: number, requestedFen: number | null): RefundPlan {
  const refundableFen = capturedFen - refundedFen;
  if (!isFen(capturedFen) || !isFen(refundedFen) || refundableFen < 0) throw new Error('planRefund: inconsistent amounts');
  if (refundableFen === 0) return { ok: false, reason: 'already_refunded', refundableFen };
  const amountFen = requestedFen ?? refundableFen;
  if (!isFen(amountFen) || amountFen < 1) return { ok: false, reason: 'invalid_amount', refundableFen };
  if (amountFen > refundableFen) return { ok: false, reason: 'exceeds_refundable', refundableFen };
  const refundedAfterFen = refundedFen + amountFen;
  return { ok: true, amountFen, refundedAfterFen, fullyRefunded: refundedAfterFen === capturedFen };
}

export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export interface RefundState {
  id: string;
  paymentIntentId: string;
  chargeId: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  reason: RefundReason | null;
  metadata: Record<string, string>;
  createdAt: Date;
}

export interface RefundChange {
  intent: IntentState;
  refund: RefundState;
  events: SandboxEventType[];
}

export function refundIntent(
  intent: IntentState,
  input: { amount: number | null; reason: RefundReason | null; metadata: Record<string, string> },
  refundId: string,
  now: Date,
): CoreResult<RefundChange> {
  if (intent.status !== 'succeeded' || intent.chargeStatus !== 'succeeded' || intent.latestCharge === null) {
    return fail(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: `This PaymentIntent (${intent.id}) does not have a successful charge to refund; it has a status of ${intent.status}.`,
      param: 'payment_intent',
    });
  }
  const plan = planRefund(intent.amountReceived, intent.amountRefunded, input.amount);
  if (!plan.ok) {
    if (plan.reason === 'already_refunded') {
      return invalidRequest(`Charge ${intent.latestCharge} has already been refunded.`, { code: 'charge_already_refunded' });
    }
    if (plan.reason === 'invalid_amount') {
      return invalidRequest('This value must be greater than or equal to 1.', { code: 'parameter_invalid_integer', param: 'amount' });
    }
    return invalidRequest(
      `Refund amount (${formatFen(input.amount ?? 0)}) is greater than unrefunded amount on charge (${formatFen(plan.refundableFen)})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const refund: RefundState = {
    id: refundId,
    paymentIntentId: intent.id,
    chargeId: intent.latestCharge,
    amount: plan.amountFen,
    currency: intent.currency,
    status: 'succeeded',
    reason: input.reason,
    metadata: input.metadata,
    createdAt: now,
  };
  return { ok: true, value: { intent: { ...intent, amountRefunded: plan.refundedAfterFen, updatedAt: now }, refund, events: ['charge.refunded'] } };
}
