import { AppError } from '../../lib/errors.ts';
import { msg } from '../../lib/messages.ts';
import { appErrorResponse } from '../api/http-error.ts';
import { csrfFactsOf, isForgedRequest } from './csrf.core.ts';

/** A 403 for a cookie-authenticated mutation sent from another site (csrf.core.ts), else null. */
export function refuseForgedRequest(request: Request): Response | null {
  if (!isForgedRequest(csrfFactsOf(request))) return null;
  return appErrorResponse(request, new AppError('FORBIDDEN', msg('security.crossSite')));
}
