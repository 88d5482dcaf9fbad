import { limitJsonBody } from '../../api/body-limit.ts';
import { services } from '../../services.ts';
import { webhookRefusals, withRefusalLimit } from '../../security/refusal-limit.ts';
import { appPayments, appPaymentsConfig, appPaymentEventSink } from './payments.ts';
import { handleSandboxRequest } from './sandbox/sandbox.http.ts';
import { handlePaymentWebhookRequest } from './webhook.ts';

/**
 * The Next route handlers' bodies (the files under `src/app/api` only re-export these).
 */

/** `/api/payments-sandbox/v1/...`: the embedded Stripe-compatible sandbox; 404 when Stripe is configured. */
export async function sandboxRoute(request: Request): Promise<Response> {
  const config = appPaymentsConfig();
  if (config.kind !== 'sandbox') {
    return Response.json(
      { error: { type: 'invalid_request_error', message: 'The payments sandbox is disabled: STRIPE_SECRET_KEY is set.' } },
      { status: 404 },
    );
  }
  const { handle } = await services();
  return handleSandboxRequest({ db: handle.db, secretKey: config.secretKey }, request);
}

/** `POST /api/webhooks/payments`: Stripe-signed payment events (from Stripe or the sandbox). */
export async function paymentWebhookRoute(request: Request): Promise<Response> {
  return withRefusalLimit(webhookRefusals, request, async () => {
    const limited = await limitJsonBody(request);
    if (limited instanceof Response) return limited;
    const { handle } = await services();
    return handlePaymentWebhookRequest({ db: handle.db, payments: appPayments(), sink: appPaymentEventSink() }, limited);
  });
}
