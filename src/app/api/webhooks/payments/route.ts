import { paymentWebhookRoute } from '@/server/integrations/payments/routes.ts';

/** Payment events signed with the Stripe scheme (`Stripe-Signature`), from Stripe or the sandbox. */
export const dynamic = 'force-dynamic';

export const POST = paymentWebhookRoute;
