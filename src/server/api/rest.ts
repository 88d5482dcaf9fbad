import { createOpenApiFetchHandler, generateOpenApiDocument } from 'trpc-to-openapi';
import { localeFromHeaders } from '../../lib/locale.ts';
import { translate } from '../../lib/messages.ts';
import { appUrl } from '../env.ts';
import { logger } from '../observability/request-scope.ts';
import type { RequestContext } from './context.ts';
import { checkedRestRequest } from './rest-input.ts';
import { contextForRequest } from './http.ts';
import { appRouter } from './root.ts';

interface TrpcOpenApiError {
  message?: string;
  code?: string;
  data?: { field?: string | null; fieldErrors?: { field: string; message: string }[] };
}

/**
 * REST v1: the tRPC procedures that carry `openapi` meta, served at /api/v1/*. Errors are reshaped to
 * the public contract `{"error":{"code","message","field"}}` (CONTRACTS.md).
 */
export function createRestV1Handler(makeContext: (req: Request) => Promise<RequestContext>) {
  return (req: Request) => restV1(req, makeContext);
}

export const handleRestV1 = createRestV1Handler(contextForRequest);

async function restV1(request: Request, makeContext: (req: Request) => Promise<RequestContext>): Promise<Response> {
  const req = await checkedRestRequest(request);
  if (req instanceof Response) return req;
  const response = await createOpenApiFetchHandler({
    endpoint: '/api/v1',
    req,
    router: appRouter,
    createContext: () => makeContext(req),
    onError({ error }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') logger().error({ err: error.cause ?? error }, 'REST v1 request failed');
    },
  });
  if (response.ok) return response;
  let body: TrpcOpenApiError = {};
  try {
    body = (await response.clone().json()) as TrpcOpenApiError;
  } catch {
    /* not JSON: keep the status, describe it below */
  }
  const first = body.data?.fieldErrors?.[0];
  const field = body.data?.field ?? first?.field ?? null;
  const locale = localeFromHeaders(req.headers);
  const message = first ? `${first.field}: ${first.message}` : translate(body.message ?? response.statusText, locale);
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify({ error: { code: body.code ?? 'ERROR', message, field } }), { status: response.status, headers });
}

export function openApiDocument() {
  return generateOpenApiDocument(appRouter, {
    title: 'Bencao 本草 REST API',
    description: 'Public REST v1 for hospital systems, alliance auditors and carriers. Mass in grams, money in fen, prices in fen per kg.',
    version: '1.0.0',
    baseUrl: `${appUrl()}/api/v1`,
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Organisation API key from the settings page' } },
  });
}
