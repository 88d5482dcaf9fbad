import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import { AppError, errorTrpcCode, type ErrorCode } from '../../lib/errors.ts';
import { localeFromHeaders } from '../../lib/locale.ts';
import { msg, translate } from '../../lib/messages.ts';
import { hasPermission, type Permission } from '../../lib/permissions.ts';
import { translateIssue, type FieldError } from '../../lib/validation-messages.ts';
import { observeProcedure } from '../observability/procedure.ts';
import type { RequestContext } from './context.ts';
import { findInputProblem, MAX_INPUT_DEPTH } from '../../lib/input-guard.core.ts';

/**
 * tRPC core: context, error shape and the three procedure kinds. Domain errors (`AppError`) become
 * tRPC errors with the same code; every error message is translated into the caller's language and
 * names the field when it is about one.
 */
const t = initTRPC
  .context<RequestContext>()
  .meta<OpenApiMeta>()
  .create({
    // Live streams (server-sent events): a comment ping keeps proxies from closing an idle stream, and
    // the client reconnects (and refetches) when nothing came for twice that long.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 30_000 } },
    errorFormatter({ shape, error, ctx }) {
      const locale = ctx ? localeFromHeaders(ctx.headers) : 'zh';
      const cause = error.cause;
      let fieldErrors: FieldError[] = [];
      let appCode: ErrorCode | null = null;
      let message = translate(error.message, locale);
      if (cause instanceof ZodError) {
        fieldErrors = cause.issues.map((i) => translateIssue(i, locale));
        message = fieldErrors[0] ? `${fieldErrors[0].field}: ${fieldErrors[0].message}` : message;
        appCode = 'VALIDATION';
      } else if (cause instanceof AppError) {
        appCode = cause.code;
        if (cause.field) fieldErrors = [{ field: cause.field, message }];
      } else if (error.code === 'INTERNAL_SERVER_ERROR') {
        message = translate(msg('internal'), locale);
      }
      return {
        ...shape,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          appCode,
          field: fieldErrors[0]?.field ?? null,
          fieldErrors,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns AppError into TRPCError so transports map the code; other errors pass through. */
const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: errorTrpcCode(cause.code), message: cause.message, cause });
  }
  return result;
});

/** A span, a log line and a log scope (request id, procedure, caller) for every procedure call. */
const observed = t.middleware(({ ctx, path, type, next }) =>
  observeProcedure({ path, type, requestId: ctx.requestId, orgId: ctx.activeOrg?.id ?? null, userId: ctx.user?.id ?? null, apiKeyId: ctx.apiKeyId }, next),
);

/** Refuses input PostgreSQL cannot store (NUL, lone surrogates) or nested too deeply, naming the field (input-guard.core.ts). */
const wellFormedInput = t.middleware(async ({ getRawInput, next }) => {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch {
    // Unparseable: the procedure's input parser reports it (a procedure without input ignores its body,
    // as tRPC's own client sends none for such a mutation).
    return next();
  }
  const problem = findInputProblem(raw);
  if (problem) throw new AppError('VALIDATION', msg(`input.${problem.problem}`, problem.problem === 'tooDeep' ? { max: MAX_INPUT_DEPTH } : {}), { field: problem.field });
  return next();
});

export const publicProcedure = t.procedure.use(observed).use(errorMapping).use(({ ctx, next }) => {
  if (ctx.apiKeyInvalid) throw new AppError('UNAUTHENTICATED', msg('auth.apiKeyInvalid'));
  return next({ ctx });
}).use(wellFormedInput);

/** Signed in with a session, or authenticated with an organisation API key. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user && !ctx.apiKeyId) throw new AppError('UNAUTHENTICATED', msg('auth.required'));
  return next({ ctx });
});

/** A signed-in user (not an API key), e.g. to create an organisation or accept an invitation. */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED', msg('auth.required'));
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Acting for the active organisation with `permission` granted by the caller's role there. */
export function orgProcedure(permission: Permission) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!ctx.activeOrg) throw new AppError('FORBIDDEN', msg('org.required'));
    if (!hasPermission(ctx.permissions, permission)) throw new AppError('FORBIDDEN', msg('org.forbidden', { permission }));
    return next({ ctx: { ...ctx, activeOrg: ctx.activeOrg } });
  });
}

export type OrgContext = RequestContext & { activeOrg: NonNullable<RequestContext['activeOrg']> };
