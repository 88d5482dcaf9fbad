import { sandboxRoute } from '@/server/integrations/payments/routes.ts';

/** The embedded Stripe-API-compatible payments sandbox (a subset of `/v1`), used when STRIPE_SECRET_KEY is unset. */
export const dynamic = 'force-dynamic';

export const GET = sandboxRoute;
export const POST = sandboxRoute;
