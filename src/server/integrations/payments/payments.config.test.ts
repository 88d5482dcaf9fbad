import { describe, expect, it } from 'vitest';
import { readPaymentsExtraEnv, resolvePaymentsConfig } from './payments.config.ts';
import { createPayments } from './payments.ts';

describe('payments configuration', () => {
  it('STRIPE_SECRET_KEY selects Stripe, with STRIPE_WEBHOOK_SECRET for webhooks', () => {
    expect(resolvePaymentsConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc', derivationSecret: 'x' })).toEqual({
      kind: 'stripe',
      secretKey: 'sk_test_abc',
      webhookSecret: 'whsec_abc',
      apiBase: null,
    });
    expect(resolvePaymentsConfig({ STRIPE_SECRET_KEY: 'sk_live_abc', derivationSecret: 'x' }).webhookSecret).toBeNull();
    expect(createPayments({ STRIPE_SECRET_KEY: 'sk_test_abc', derivationSecret: 'x' }).kind).toBe('stripe');
  });

  it('otherwise the sandbox at APP_URL + /api/payments-sandbox, with secrets derived from the app secret', () => {
    const a = resolvePaymentsConfig({ APP_URL: 'https://bencao.example.cn/', derivationSecret: 'secret-one-0123456789-0123456789' });
    expect(a.kind).toBe('sandbox');
    expect(a.apiBase).toBe('https://bencao.example.cn/api/payments-sandbox');
    expect(a.secretKey).toMatch(/^sk_test_sandbox_[0-9a-f]{32}$/);
    expect(a.webhookSecret).toMatch(/^whsec_[0-9a-f]{48}$/);
    const again = resolvePaymentsConfig({ APP_URL: 'https://bencao.example.cn', derivationSecret: 'secret-one-0123456789-0123456789' });
    expect(again).toEqual(a);
    const other = resolvePaymentsConfig({ APP_URL: 'https://bencao.example.cn', derivationSecret: 'secret-two-0123456789-0123456789' });
    expect(other.secretKey).not.toBe(a.secretKey);
    expect(other.webhookSecret).not.toBe(a.webhookSecret);
    expect(resolvePaymentsConfig({ PORT: 4123, derivationSecret: 'x' }).apiBase).toBe('http://localhost:4123/api/payments-sandbox');
    expect(createPayments({ derivationSecret: 'x' }).kind).toBe('sandbox');
  });

  it('explicit sandbox secrets win; bad values are refused naming the variable', () => {
    const env = readPaymentsExtraEnv({ PAYMENTS_SANDBOX_SECRET_KEY: 'sk_test_sandbox_fixed', PAYMENTS_SANDBOX_WEBHOOK_SECRET: 'whsec_fixed_fixed_fixed_fixed', STRIPE_WEBHOOK_SECRET: '' });
    expect(env).toEqual({ PAYMENTS_SANDBOX_SECRET_KEY: 'sk_test_sandbox_fixed', PAYMENTS_SANDBOX_WEBHOOK_SECRET: 'whsec_fixed_fixed_fixed_fixed', STRIPE_WEBHOOK_SECRET: undefined });
    expect(resolvePaymentsConfig({ ...env, derivationSecret: 'x' })).toMatchObject({ secretKey: 'sk_test_sandbox_fixed', webhookSecret: 'whsec_fixed_fixed_fixed_fixed' });
    expect(() => readPaymentsExtraEnv({ STRIPE_WEBHOOK_SECRET: 'nope' })).toThrow(/STRIPE_WEBHOOK_SECRET: must start with whsec_/);
    expect(() => readPaymentsExtraEnv({ PAYMENTS_SANDBOX_SECRET_KEY: 'sk_live_x' })).toThrow(/PAYMENTS_SANDBOX_SECRET_KEY/);
  });
});
