import { errorHttpStatus, type AppError } from '../../lib/errors.ts';
import { localeFromHeaders } from '../../lib/locale.ts';
import { translate } from '../../lib/messages.ts';

/**
 * The REST error answer for an `AppError` (CONTRACTS.md): its HTTP status and
 * `{"error":{"code","message","field"}}` with the message in the caller's language. `field` may be
 * renamed to what the caller sent (a query parameter's name).
 */
export function appErrorResponse(req: Request, error: AppError, options: { field?: string | null; headers?: Record<string, string> } = {}): Response {
  const message = translate(error.message, localeFromHeaders(req.headers));
  const field = options.field !== undefined ? options.field : (error.field ?? null);
  return Response.json({ error: { code: error.code, message, field } }, { status: errorHttpStatus(error.code), ...(options.headers ? { headers: options.headers } : {}) });
}
