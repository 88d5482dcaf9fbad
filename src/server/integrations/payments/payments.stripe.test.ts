import { paymentsContract } from './payments.contract.ts';
import { createPayments } from './payments.ts';

// The same contract against real Stripe (test mode), only when STRIPE_SECRET_KEY is set. Skipped
// otherwise: this machine has no network route to api.stripe.com, so the suite can only run where a
// Stripe test key and network access exist (a developer laptop, a CI job with the secret). Use an
// `sk_test_…` key of an account that can present CNY.
const secretKey = process.env.STRIPE_SECRET_KEY;

paymentsContract(
  'stripe (test mode)',
  async () => ({
    payments: createPayments({ STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET, derivationSecret: 'unused' }),
    async close() {},
  }),
  { skip: !secretKey || !secretKey.startsWith('sk_test_') },
);
