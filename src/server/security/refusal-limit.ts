import { localeFromHeaders } from '../../lib/locale.ts';
import { msg, translate } from '../../lib/messages.ts';
import { clientAddress, createRefusalLimiter, type RefusalLimiter } from './refusal-limit.core.ts';

/** Webhook endpoints: 30 refused deliveries per minute per address, then 429 until the minute ends. */
export const webhookRefusals: RefusalLimiter = createRefusalLimiter({ max: 30, windowMs: 60_000 });

/**
 * Runs `handle` unless the request's address (as the proxy reports it) has been refused too often lately (429 with Retry-After
 * and the usual error body); a 4xx answer other than 429 counts as one more refusal.
 */
export async function withRefusalLimit(limiter: RefusalLimiter, request: Request, handle: () => Promise<Response>, now: () => number = Date.now): Promise<Response> {
  const key = clientAddress(request.headers);
  if (key === null) return handle();
  const waitMs = limiter.retryAfterMs(key, now());
  if (waitMs > 0) {
    const message = translate(msg('webhook.rateLimited'), localeFromHeaders(request.headers));
    return Response.json({ error: { code: 'rate_limited', message, field: null } }, { status: 429, headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) } });
  }
  const response = await handle();
  if (response.status >= 400 && response.status < 500 && response.status !== 429) limiter.record(key, now());
  return response;
}
