import Stripe from 'stripe';
import type { PaymentsConfig } from './payments.config.ts';
import {
  MAX_PAYMENT_FEN,
  PaymentError,
  WEBHOOK_TOLERANCE_SECONDS,
  type AuthorizeInput,
  type AuthorizeResult,
  type CaptureInput,
  type PaymentErrorReason,
  type Payments,
  type PaymentSnapshot,
  type RefundInput,
  type RefundResult,
  type WebhookVerification,
} from './payments.port.ts';
import { parseSignatureHeader, timestampCheck } from './signature.core.ts';
import { parsePaymentEvent, parseRefund, snapshotFromIntent, StripeShapeError } from './stripe-objects.core.ts';
import { describeInputProblem, findInputProblem } from '../../../lib/input-guard.core.ts';

/**
 * The payments adapter over the official `stripe` SDK. The same code talks to real Stripe and to the
 * embedded sandbox: for the sandbox the SDK is pointed at the app (`host`, `port`, `protocol`) and,
 * because the SDK has no base-path option, its HTTP client is wrapped to prefix every `/v1/...` path
 * with the sandbox's mount path (`/api/payments-sandbox`).
 */
export interface StripeAdapterOptions {
  /** Network retries by the SDK (it reuses the request's idempotency key). Default 2. */
  maxNetworkRetries?: number;
  /** Per-request timeout in ms. Default 30 s. */
  timeoutMs?: number;
  /** Clock for webhook timestamp checks (tests). */
  now?: () => Date;
}

/** The test card `authorize` confirms with unless told otherwise. */
export const DEFAULT_TEST_PAYMENT_METHOD = 'pm_card_visa';

export function createStripeClient(config: PaymentsConfig, options: StripeAdapterOptions = {}): Stripe {
  const common = {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: 'bencao' },
  } as const;
  if (!config.apiBase) return new Stripe(config.secretKey, common);
  const base = new URL(config.apiBase);
  const protocol = base.protocol === 'https:' ? 'https' : 'http';
  const prefix = base.pathname.replace(/\/+$/, '');
  return new Stripe(config.secretKey, {
    ...common,
    host: base.hostname,
    port: base.port || (protocol === 'https' ? 443 : 80),
    protocol,
    httpClient: prefixedHttpClient(Stripe.createNodeHttpClient(), prefix),
  });
}

/** Wraps an SDK HTTP client so `/v1/...` becomes `<prefix>/v1/...`. */
type HttpClient = NonNullable<NonNullable<ConstructorParameters<typeof Stripe>[1]>['httpClient']>;

function prefixedHttpClient(inner: HttpClient, prefix: string): HttpClient {
  if (prefix === '') return inner;
  return {
    getClientName: () => `${inner.getClientName()}+prefix`,
    makeRequest: (host, port, path, method, headers, requestData, protocol, timeout) =>
      inner.makeRequest(host, port, `${prefix}${path}`, method, headers, requestData, protocol, timeout),
  };
}

function checkFen(value: number, field: string, { min }: { min: number }): void {
  if (!Number.isSafeInteger(value) || value < min || value > MAX_PAYMENT_FEN) {
    throw new PaymentError('invalid_request', `${field} must be an integer number of fen between ${min} and ${MAX_PAYMENT_FEN}`, { param: field });
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.trim() === '' || key.length > 255) {
    throw new PaymentError('invalid_request', 'idempotencyKey must be a non-empty string of at most 255 characters', { param: 'idempotencyKey' });
  }
}

const STATE_CODES = new Set(['payment_intent_unexpected_state', 'charge_already_refunded', 'charge_already_captured', 'charge_not_refundable', 'charge_expired_for_capture']);

/** SDK error → PaymentError with the platform's reason (the provider's code kept). */
export function toPaymentError(error: unknown): PaymentError {
  if (error instanceof PaymentError) return error;
  if (error instanceof StripeShapeError) return new PaymentError('unavailable', error.message);
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new PaymentError('unavailable', error instanceof Error ? error.message : String(error));
  }
  const details = { providerCode: error.code ?? null, param: error.param ?? null, statusCode: error.statusCode ?? null };
  let reason: PaymentErrorReason;
  if (error instanceof Stripe.errors.StripeCardError) reason = 'declined';
  else if (error instanceof Stripe.errors.StripeIdempotencyError) reason = 'idempotency_conflict';
  else if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) reason = 'authentication';
  else if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    if (error.code === 'amount_too_large') reason = 'amount_too_large';
    else if (error.code && STATE_CODES.has(error.code)) reason = 'invalid_state';
    else if (error.code === 'resource_missing' || error.statusCode === 404) reason = 'not_found';
    else reason = 'invalid_request';
  } else reason = 'unavailable';
  return new PaymentError(reason, error.message, details);
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toPaymentError(error);
  }
}

export function createStripePayments(config: PaymentsConfig, options: StripeAdapterOptions = {}): Payments {
  const stripe = createStripeClient(config, options);
  const now = options.now ?? (() => new Date());

  async function refundedSoFar(paymentIntentId: string): Promise<number> {
    let total = 0;
    for await (const refund of stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 })) {
      const r = parseRefund(refund);
      if (r.status !== 'failed' && r.status !== 'canceled') total += r.amount;
    }
    return total;
  }

  return {
    kind: config.kind,

    async authorize(input: AuthorizeInput): Promise<AuthorizeResult> {
      checkFen(input.amountFen, 'amountFen', { min: 1 });
      checkKey(input.idempotencyKey);
      if (input.currency !== 'cny') throw new PaymentError('invalid_request', 'currency must be cny', { param: 'currency' });
      if (!input.orderId) throw new PaymentError('invalid_request', 'orderId is required', { param: 'orderId' });
      const params: Stripe.PaymentIntentCreateParams = {
        amount: input.amountFen,
        currency: input.currency,
        capture_method: input.captureMethod ?? 'manual',
        confirm: true,
        payment_method: input.paymentMethod ?? DEFAULT_TEST_PAYMENT_METHOD,
        allowed_payment_method_types: [input.paymentMethodType ?? 'card'],
        metadata: { ...input.metadata, order_id: input.orderId },
        ...(input.description ? { description: input.description } : {}),
      };
      try {
        const pi = await stripe.paymentIntents.create(params, { idempotencyKey: input.idempotencyKey });
        const snapshot = snapshotFromIntent(pi);
        return { ...snapshot, authorized: snapshot.status === 'requires_capture' || snapshot.status === 'succeeded' };
      } catch (error) {
        // A decline answers 402 card_error carrying the intent: an outcome, not an exception.
        if (error instanceof Stripe.errors.StripeCardError && error.payment_intent) {
          const snapshot = snapshotFromIntent(error.payment_intent);
          const decline = snapshot.decline ?? { code: error.code ?? 'card_declined', declineCode: error.decline_code ?? null, message: error.message };
          return { ...snapshot, decline, authorized: false };
        }
        throw toPaymentError(error);
      }
    },

    async capture(paymentIntentId: string, input: CaptureInput): Promise<PaymentSnapshot> {
      checkKey(input.idempotencyKey);
      if (input.amountFen !== undefined) checkFen(input.amountFen, 'amountFen', { min: 1 });
      const pi = await call(() =>
        stripe.paymentIntents.capture(
          paymentIntentId,
          input.amountFen !== undefined ? { amount_to_capture: input.amountFen } : {},
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return call(async () => snapshotFromIntent(pi));
    },

    async cancel(paymentIntentId: string, idempotencyKey: string): Promise<PaymentSnapshot> {
      checkKey(idempotencyKey);
      const pi = await call(() => stripe.paymentIntents.cancel(paymentIntentId, {}, { idempotencyKey }));
      return call(async () => snapshotFromIntent(pi));
    },

    async refund(paymentIntentId: string, input: RefundInput): Promise<RefundResult> {
      checkKey(input.idempotencyKey);
      if (input.amountFen !== undefined) checkFen(input.amountFen, 'amountFen', { min: 1 });
      const refund = await call(() =>
        stripe.refunds.create(
          {
            payment_intent: paymentIntentId,
            ...(input.amountFen !== undefined ? { amount: input.amountFen } : {}),
            ...(input.reason ? { reason: input.reason } : {}),
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return call(async () => {
        const r = parseRefund(refund);
        return {
          refundId: r.id,
          paymentIntentId: r.payment_intent ?? paymentIntentId,
          chargeId: r.charge ?? '',
          amountFen: r.amount,
          status: r.status ?? 'pending',
          currency: r.currency,
        };
      });
    },

    async retrieve(paymentIntentId: string): Promise<PaymentSnapshot> {
      return call(async () => {
        const pi = await stripe.paymentIntents.retrieve(paymentIntentId);
        return snapshotFromIntent(pi, await refundedSoFar(paymentIntentId));
      });
    },

    verifyWebhook(rawBody, signatureHeader): WebhookVerification {
      if (!config.webhookSecret) {
        return { ok: false, error: { code: 'not_configured', message: 'No webhook signing secret is configured (STRIPE_WEBHOOK_SECRET)' } };
      }
      const header = parseSignatureHeader(signatureHeader);
      if (!header.ok) return { ok: false, error: { code: header.code, message: header.message } };
      const when = timestampCheck(header.header.timestamp, Math.floor(now().getTime() / 1000), WEBHOOK_TOLERANCE_SECONDS);
      if (when !== 'ok') {
        return {
          ok: false,
          error: when === 'stale'
            ? { code: 'stale_timestamp', message: `Signature timestamp is older than ${WEBHOOK_TOLERANCE_SECONDS} s` }
            : { code: 'future_timestamp', message: `Signature timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS} s in the future` },
        };
      }
      let raw: Stripe.Event;
      try {
        raw = stripe.webhooks.constructEvent(
          rawBody,
          signatureHeader ?? '',
          config.webhookSecret,
          WEBHOOK_TOLERANCE_SECONDS,
          undefined,
          now().getTime(),
        );
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
          const stale = /tolerance/i.test(error.message);
          return { ok: false, error: { code: stale ? 'stale_timestamp' : 'bad_signature', message: error.message.split('\n')[0] ?? 'Bad signature' } };
        }
        return { ok: false, error: { code: 'invalid_payload', message: error instanceof Error ? error.message : 'Invalid payload' } };
      }
      // The event is stored as it came (jsonb): text PostgreSQL cannot store is an invalid payload.
      const problem = findInputProblem(raw);
      if (problem) return { ok: false, error: { code: 'invalid_payload', message: describeInputProblem(problem) } };
      try {
        return { ok: true, event: parsePaymentEvent(raw), raw: raw as unknown as Record<string, unknown> };
      } catch (error) {
        return { ok: false, error: { code: 'invalid_payload', message: error instanceof Error ? error.message : 'Invalid event' } };
      }
    },
  };
}
