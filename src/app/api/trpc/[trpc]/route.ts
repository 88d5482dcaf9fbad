import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { contextForRequest } from '@/server/api/http.ts';
import { appRouter } from '@/server/api/root.ts';
import { refuseForgedRequest } from '@/server/security/csrf.ts';

async function handler(req: Request): Promise<Response> {
  const forged = refuseForgedRequest(req);
  if (forged) return forged;
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => contextForRequest(req),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'} failed`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
