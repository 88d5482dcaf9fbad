import { carrierWebhookRoute } from '@/server/integrations/carriers/routes.ts';
import { withRequestId } from '@/server/observability/request-scope.ts';

/** Carrier events (SF Express, JD Logistics, the simulated carrier), HMAC-signed; unknown carriers 404. */
export const dynamic = 'force-dynamic';

export const POST = withRequestId(async (request: Request, context: { params: Promise<{ carrier: string }> }): Promise<Response> => {
  const { carrier } = await context.params;
  return carrierWebhookRoute(request, carrier);
});
