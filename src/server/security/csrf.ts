import { localeFromHeaders } from '../../lib/locale.ts';
import { msg, translate } from '../../lib/messages.ts';
import { csrfFactsOf, isForgedRequest } from './csrf.core.ts';

/** A 403 for a cookie-authenticated mutation sent from another site (csrf.core.ts), else null. */
export function refuseForgedRequest(request: Request): Response | null {
  if (!isForgedRequest(csrfFactsOf(request))) return null;
  const message = translate(msg('security.crossSite'), localeFromHeaders(request.headers));
  return Response.json({ error: { code: 'FORBIDDEN', message, field: null } }, { status: 403 });
}
