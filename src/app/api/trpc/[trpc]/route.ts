import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { contextForRequest } from '@/server/api/http.ts';
import { appRouter } from '@/server/api/root.ts';
import { logger, withRequestId } from '@/server/observability/request-scope.ts';
import { refuseForgedRequest } from '@/server/security/csrf.ts';
import { limitTrpcBody } from '@/server/api/trpc-body-limit.ts';

async function handler(request: Request): Promise<Response> {
  const forged = refuseForgedRequest(request);
  if (forged) return forged;
  const req = await limitTrpcBody(request);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => contextForRequest(req),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') logger().error({ err: error.cause ?? error, procedure: path ?? null }, 'tRPC procedure failed');
    },
  });
}

const handleWithRequestId = withRequestId(handler);

export { handleWithRequestId as GET, handleWithRequestId as POST };
