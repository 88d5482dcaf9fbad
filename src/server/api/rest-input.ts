import { AppError, errorHttpStatus, errorTrpcCode } from '../../lib/errors.ts';
import { localeFromHeaders } from '../../lib/locale.ts';
import { msg, translate } from '../../lib/messages.ts';
import { bufferedWithin, MAX_JSON_BODY_BYTES } from './body-limit.ts';

/**
 * What REST v1 refuses before the OpenAPI adapter sees a request, because the adapter mishandles it:
 * a body over MAX_JSON_BODY_BYTES (413; the adapter reads any size), a query parameter named like an
 * `Object.prototype` member (`constructor`, `__proto__`, `toString`: the adapter's query parser crashes
 * on it), and a JSON body that is not an object (the adapter spreads it into one, a key per character
 * of a string, and then reports missing fields). Answers the request to pass on, or the 4xx answer.
 */
export async function checkedRestRequest(request: Request): Promise<Request | Response> {
  try {
    const req = await bufferedWithin(request, MAX_JSON_BODY_BYTES);
    for (const key of new URL(req.url).searchParams.keys()) {
      if (key in Object.prototype) throw new AppError('VALIDATION', msg('request.badParam', { param: key }), { field: key });
    }
    if (req.body && (req.headers.get('content-type') ?? '').includes('application/json')) {
      let body: unknown;
      try {
        body = JSON.parse(await req.clone().text());
      } catch {
        return req; // not JSON: the adapter answers its parse error
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION', msg('request.notObject'), { field: '(input)' });
    }
    return req;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // REST v1 names codes as the procedures' errors do (tRPC codes: BAD_REQUEST, PAYLOAD_TOO_LARGE).
    const message = translate(error.message, localeFromHeaders(request.headers));
    return Response.json({ error: { code: errorTrpcCode(error.code), message, field: error.field ?? null } }, { status: errorHttpStatus(error.code) });
  }
}
