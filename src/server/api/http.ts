import { createRequestContext } from './context.ts';
import { services } from '../services.ts';

/** Builds the tRPC context for an HTTP request (cookie session or `Authorization: Bearer <api key>`). */
export async function contextForRequest(request: Request) {
  const { handle, auth } = await services();
  return createRequestContext({ db: handle.db, auth, headers: request.headers, requestId: request.headers.get('x-request-id') ?? undefined });
}
