import { localeFromHeaders } from '../../../lib/locale.ts';
import { msg, translate } from '../../../lib/messages.ts';
import type { Db } from '../../db/client.ts';
import { ingestCarrierDelivery, WebhookRefusal, type DeliveryResult } from '../../domains/delivery/shipments.service.ts';
import type { CarrierAdapter, WebhookError } from './carriers.port.ts';
import { createLogger, type LogFn } from './log.ts';

export interface CarrierWebhookDeps {
  db: Db;
  carriers: { get(code: string): CarrierAdapter | null };
  /** Structured log of refusals and failures (default: JSON lines on stderr, LOG_LEVEL). */
  log?: LogFn;
  now?: () => Date;
}

export type CarrierWebhookBody = ({ received: true } & Omit<DeliveryResult, 'results'> & { results: DeliveryResult['results'] }) | { error: { code: string; message: string; field: string | null } };

export interface CarrierWebhookResult {
  status: number;
  body: CarrierWebhookBody;
}

const defaultLog = createLogger();

/**
 * One delivery of `POST /api/webhooks/carriers/{carrier}`: unknown carrier 404; signature and
 * timestamp over the raw body 401; body shape 400; the same signed delivery again 401 (replay);
 * an unknown tracking number 404; otherwise the events are ingested in one transaction and the answer
 * counts what was applied, ignored (late, not allowed) and duplicate. Every refusal is logged and
 * changes nothing; errors are `{"error":{"code","message","field"}}` in the caller's language.
 */
export async function handleCarrierWebhook(deps: CarrierWebhookDeps, carrierCode: string, rawBody: string | Uint8Array, headers: Headers): Promise<CarrierWebhookResult> {
  const log = deps.log ?? defaultLog;
  const now = deps.now?.() ?? new Date();
  const locale = localeFromHeaders(headers);
  const refuse = (error: WebhookError): CarrierWebhookResult => {
    log(error.status >= 500 ? 'error' : 'warn', 'carrier webhook refused', {
      carrier: carrierCode.slice(0, 32),
      status: error.status,
      code: error.code,
      field: error.field,
      bytes: typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : rawBody.byteLength,
      from: headers.get('x-forwarded-for') ?? headers.get('x-real-ip') ?? null,
    });
    return { status: error.status, body: { error: { code: error.code, message: translate(error.message, locale), field: error.field } } };
  };

  const adapter = deps.carriers.get(carrierCode);
  if (!adapter) return refuse({ status: 404, code: 'unknown_carrier', message: msg('webhook.unknownCarrier', { carrier: carrierCode.slice(0, 32) }), field: 'carrier' });
  const verified = adapter.verify(rawBody, headers, now);
  if (!verified.ok) return refuse(verified.error);
  try {
    const result = await ingestCarrierDelivery(deps.db, { carrier: adapter.code, signature: verified.signature, signedAt: verified.signedAt, events: verified.events }, now);
    return { status: 200, body: { received: true, ...result } };
  } catch (error) {
    if (error instanceof WebhookRefusal) return refuse(error.error);
    log('error', 'carrier webhook failed', { carrier: adapter.code, error: error instanceof Error ? error.message : String(error) });
    return refuse({ status: 500, code: 'processing_failed', message: msg('webhook.failed'), field: null });
  }
}

/** The route handler's body: the raw bytes (never re-serialised JSON), the headers and the carrier from the path. */
export async function handleCarrierWebhookRequest(deps: CarrierWebhookDeps, request: Request, carrierCode: string): Promise<Response> {
  const rawBody = new Uint8Array(await request.arrayBuffer());
  const result = await handleCarrierWebhook(deps, carrierCode, rawBody, request.headers);
  return Response.json(result.body, { status: result.status });
}
