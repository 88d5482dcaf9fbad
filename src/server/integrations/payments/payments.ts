import { authSecret, env } from '../../env.ts';
import { readPaymentsExtraEnv, resolvePaymentsConfig, type PaymentsConfig, type PaymentsEnv } from './payments.config.ts';
import type { Payments } from './payments.port.ts';
import { createStripePayments, type StripeAdapterOptions } from './stripe.adapter.ts';
import { ordersPaymentSink } from '../../domains/orders/orders.payments.ts';
import { composeSinks, createRecordingSink, type PaymentEventSink } from './webhook.ts';

/**
 * The payments composition root. `createPayments(env)` picks the adapter configuration: Stripe when
 * STRIPE_SECRET_KEY is set, the embedded sandbox (`APP_URL` + `/api/payments-sandbox`) otherwise —
 * the same `stripe.adapter.ts` either way.
 */
export function createPayments(paymentsEnv: PaymentsEnv, options: StripeAdapterOptions = {}): Payments {
  return createStripePayments(resolvePaymentsConfig(paymentsEnv), options);
}

/** The process environment as the payments port reads it. */
export function appPaymentsEnv(): PaymentsEnv {
  const e = env();
  return {
    STRIPE_SECRET_KEY: e.STRIPE_SECRET_KEY,
    APP_URL: e.APP_URL,
    PORT: e.PORT,
    ...readPaymentsExtraEnv(process.env),
    derivationSecret: authSecret(),
  };
}

const globalForPayments = globalThis as unknown as { __bencaoPayments?: { config: PaymentsConfig; payments: Payments } };

function appInstance(): { config: PaymentsConfig; payments: Payments } {
  if (!globalForPayments.__bencaoPayments) {
    const config = resolvePaymentsConfig(appPaymentsEnv());
    globalForPayments.__bencaoPayments = { config, payments: createStripePayments(config) };
  }
  return globalForPayments.__bencaoPayments;
}

/** The web/worker process's payments port (created once). */
export function appPayments(): Payments {
  return appInstance().payments;
}

/**
 * Replaces the process's payments port (tests point it at a sandbox server of their own); answers the
 * previous one. `undefined` goes back to the environment's configuration on next use.
 */
export function setAppPayments(instance: { config: PaymentsConfig; payments: Payments } | undefined): { config: PaymentsConfig; payments: Payments } | undefined {
  const previous = globalForPayments.__bencaoPayments;
  globalForPayments.__bencaoPayments = instance;
  return previous;
}

export function appPaymentsConfig(): PaymentsConfig {
  return appInstance().config;
}

/**
 * The sink the app hands verified payment events to. Today: the recording sink (audit entry). The
 * orders domain replaces this with `composeSinks(ordersPaymentSink, createRecordingSink())`.
 */
export function appPaymentEventSink(): PaymentEventSink {
  return composeSinks(ordersPaymentSink, createRecordingSink());
}
