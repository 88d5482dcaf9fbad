import { createRequestContext } from './context.ts';
import { services } from '../services.ts';
import { currentRequestId } from '../observability/request-scope.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from '../observability/request-id.core.ts';

/** Builds the tRPC context for an HTTP request (cookie session or `Authorization: Bearer <api key>`). */
export async function contextForRequest(request: Request) {
  const { handle, auth } = await services();
  const requestId = currentRequestId() ?? requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  return createRequestContext({ db: handle.db, auth, headers: request.headers, requestId });
}
