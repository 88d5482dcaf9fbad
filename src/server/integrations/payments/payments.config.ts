import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { PaymentsKind } from './payments.port.ts';

/** Where the sandbox is mounted in the app; the SDK's `/v1/...` paths go below it. */
export const SANDBOX_MOUNT_PATH = '/api/payments-sandbox';

export interface PaymentsConfig {
  kind: PaymentsKind;
  /** `sk_live_…`/`sk_test_…` for Stripe, `sk_test_sandbox_…` for the sandbox. */
  secretKey: string;
  /** The webhook signing secret (`whsec_…`); null when Stripe is used without STRIPE_WEBHOOK_SECRET. */
  webhookSecret: string | null;
  /** Sandbox only: the base URL the SDK talks to (`http://localhost:3000/api/payments-sandbox`). */
  apiBase: string | null;
}

/**
 * The environment the payments port reads. `STRIPE_SECRET_KEY` (validated by `src/server/env.ts`)
 * selects Stripe; `STRIPE_WEBHOOK_SECRET` is its webhook signing secret. Without a Stripe key the
 * sandbox is used, at `APP_URL` (default `http://localhost:$PORT`) + `/api/payments-sandbox`, with a
 * secret key and webhook secret from `PAYMENTS_SANDBOX_SECRET_KEY` / `PAYMENTS_SANDBOX_WEBHOOK_SECRET`
 * or, by default, derived from BETTER_AUTH_SECRET (so a production sandbox does not use a known key).
 */
export interface PaymentsEnv {
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  APP_URL?: string;
  PORT?: number;
  PAYMENTS_SANDBOX_SECRET_KEY?: string;
  PAYMENTS_SANDBOX_WEBHOOK_SECRET?: string;
  /** Seed for the default sandbox secrets (the app passes `authSecret()`). */
  derivationSecret: string;
}

const extraEnv = z.object({
  STRIPE_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().startsWith('whsec_', 'must start with whsec_').optional()),
  PAYMENTS_SANDBOX_SECRET_KEY: z.preprocess(emptyToUndefined, z.string().startsWith('sk_test_sandbox_', 'must start with sk_test_sandbox_').optional()),
  PAYMENTS_SANDBOX_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().startsWith('whsec_', 'must start with whsec_').min(24, 'must be at least 24 characters').optional()),
});

function emptyToUndefined(v: unknown): unknown {
  return typeof v === 'string' && v.trim() === '' ? undefined : v;
}

/**
 * The payment variables `src/server/env.ts` does not (yet) validate, read and validated here. A wrong
 * value throws naming the variable.
 */
export function readPaymentsExtraEnv(source: Record<string, string | undefined>): Pick<PaymentsEnv, 'STRIPE_WEBHOOK_SECRET' | 'PAYMENTS_SANDBOX_SECRET_KEY' | 'PAYMENTS_SANDBOX_WEBHOOK_SECRET'> {
  const result = extraEnv.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid environment:\n${result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return result.data;
}

function derive(secret: string, purpose: string, length: number): string {
  return createHmac('sha256', secret).update(`bencao.payments.sandbox.${purpose}`).digest('hex').slice(0, length);
}

export function resolvePaymentsConfig(env: PaymentsEnv): PaymentsConfig {
  if (env.STRIPE_SECRET_KEY) {
    return { kind: 'stripe', secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? null, apiBase: null };
  }
  const appUrl = (env.APP_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, '');
  return {
    kind: 'sandbox',
    secretKey: env.PAYMENTS_SANDBOX_SECRET_KEY ?? `sk_test_sandbox_${derive(env.derivationSecret, 'secret-key', 32)}`,
    webhookSecret: env.PAYMENTS_SANDBOX_WEBHOOK_SECRET ?? `whsec_${derive(env.derivationSecret, 'webhook-secret', 48)}`,
    apiBase: `${appUrl}${SANDBOX_MOUNT_PATH}`,
  };
}
