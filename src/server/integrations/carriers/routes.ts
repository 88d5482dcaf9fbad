import { limitJsonBody } from '../../api/body-limit.ts';
import { services } from '../../services.ts';
import { webhookRefusals, withRefusalLimit } from '../../security/refusal-limit.ts';
import { appCarriers } from './carriers.ts';
import { handleCarrierWebhookRequest } from './webhook.ts';

/** `POST /api/webhooks/carriers/{carrier}`: the Next route handler's body (the file under `src/app/api` only calls this). */
export async function carrierWebhookRoute(request: Request, carrier: string): Promise<Response> {
  return withRefusalLimit(webhookRefusals, request, async () => {
    const limited = await limitJsonBody(request);
    if (limited instanceof Response) return limited;
    const { handle } = await services();
    return handleCarrierWebhookRequest({ db: handle.db, carriers: appCarriers() }, limited, carrier);
  });
}
