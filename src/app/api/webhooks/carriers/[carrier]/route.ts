import { carrierWebhookRoute } from '@/server/integrations/carriers/routes.ts';

/** Carrier events (SF Express, JD Logistics, the simulated carrier), HMAC-signed; unknown carriers 404. */
export const dynamic = 'force-dynamic';

export async function POST(request: Request, context: { params: Promise<{ carrier: string }> }): Promise<Response> {
  const { carrier } = await context.params;
  return carrierWebhookRoute(request, carrier);
}
