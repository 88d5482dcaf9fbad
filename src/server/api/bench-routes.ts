import { ZodError, type z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { msg } from '../../lib/messages.ts';
import { hasPermission, type Permission } from '../../lib/permissions.ts';
import { benchRoutesEnabled } from '../env.ts';
import { withRequestId } from '../observability/request-scope.ts';
import type { RequestContext } from './context.ts';
import { appErrorResponse } from './http-error.ts';
import { contextForRequest } from './http.ts';
import type { OrgContext } from './trpc.ts';

/** The checks of `orgProcedure` (trpc.ts), in its order, on a request context. */
function orgContextOf(ctx: RequestContext, permission: Permission): OrgContext {
  if (ctx.apiKeyInvalid) throw new AppError('UNAUTHENTICATED', msg('auth.apiKeyInvalid'));
  if (!ctx.user && !ctx.apiKeyId) throw new AppError('UNAUTHENTICATED', msg('auth.required'));
  if (!ctx.activeOrg) throw new AppError('FORBIDDEN', msg('org.required'));
  if (!hasPermission(ctx.permissions, permission)) throw new AppError('FORBIDDEN', msg('org.forbidden', { permission }));
  return { ...ctx, activeOrg: ctx.activeOrg };
}

function validationError(error: ZodError): AppError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return new AppError('VALIDATION', `${field}: ${issue?.message ?? 'invalid input'}`, { field });
}

/**
 * A bare route handler for the load benchmark (`npm run bench:load`): the request context of the
 * tRPC endpoint (cookie session or API key), the checks of `orgProcedure`, the procedure's zod input
 * (from the query string or the JSON body) and the same service call, answered as plain JSON, with
 * the request id and log line every route handler has — the same work without tRPC, so the benchmark
 * can tell what the tRPC layer costs. It answers 404 unless BENCAO_BENCH_ROUTES=1, so a deployment
 * never exposes it.
 */
export function benchOrgRoute<S extends z.ZodType>(
  options: { permission: Permission; input: S; from: 'query' | 'body' },
  run: (ctx: OrgContext, input: z.output<S>) => Promise<unknown>,
): (req: Request) => Promise<Response> {
  const handle = withRequestId(async (req: Request): Promise<Response> => {
    try {
      const ctx = orgContextOf(await contextForRequest(req), options.permission);
      const raw: unknown = options.from === 'query' ? Object.fromEntries(new URL(req.url).searchParams) : await req.json();
      return Response.json(await run(ctx, options.input.parse(raw)));
    } catch (error) {
      if (error instanceof AppError) return appErrorResponse(req, error);
      if (error instanceof ZodError) return appErrorResponse(req, validationError(error));
      if (error instanceof SyntaxError) return appErrorResponse(req, new AppError('BAD_REQUEST', 'body: not JSON'));
      throw error;
    }
  });
  return async (req) => (benchRoutesEnabled() ? handle(req) : new Response(null, { status: 404 }));
}
