import { paymentWebhookRoute } from '@/server/integrations/payments/routes.ts';
import { withRequestId } from '@/server/observability/request-scope.ts';

/** Payment events signed with the Stripe scheme (`Stripe-Signature`), from Stripe or the sandbox. */
export const dynamic = 'force-dynamic';

export const POST = withRequestId(paymentWebhookRoute);
