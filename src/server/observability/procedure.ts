import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { TRPCError } from '@trpc/server';
import { AppError } from '../../lib/errors.ts';
import { logger, withLogScope } from './request-scope.ts';
import { tracer } from './tracing.ts';

/**
 * What every tRPC procedure call leaves behind: a `trpc <path>` span (type, path, ok, error codes)
 * with the call's database statements as children, and one log line (procedure, caller's org / user /
 * API key id, request id, duration, outcome). Everything logged inside the procedure carries the same
 * fields. Error stacks are logged by the HTTP handlers (`onError`), not here.
 */
export interface ProcedureCall {
  path: string;
  type: string;
  requestId: string;
  orgId: string | null;
  userId: string | null;
  apiKeyId: string | null;
}

type Outcome = { ok: true } | { ok: false; error: TRPCError };

export function observeProcedure<R extends Outcome>(call: ProcedureCall, next: () => Promise<R>): Promise<R> {
  const fields = { requestId: call.requestId, procedure: call.path, orgId: call.orgId, userId: call.userId, apiKeyId: call.apiKeyId };
  return withLogScope(fields, () =>
    tracer().startActiveSpan(
      `trpc ${call.path}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'rpc.system': 'trpc',
          'trpc.type': call.type,
          'trpc.path': call.path,
          'bencao.request_id': call.requestId,
          ...(call.orgId ? { 'bencao.org_id': call.orgId } : {}),
          ...(call.userId ? { 'bencao.user_id': call.userId } : {}),
        },
      },
      async (span) => {
        const started = performance.now();
        try {
          const result = await next();
          const durationMs = Math.round((performance.now() - started) * 10) / 10;
          span.setAttribute('trpc.ok', result.ok);
          if (result.ok) {
            logger().info({ type: call.type, ok: true, durationMs }, 'procedure');
            return result;
          }
          const code = result.error.code;
          const appCode = result.error.cause instanceof AppError ? result.error.cause.code : null;
          span.setAttribute('trpc.error_code', code);
          if (appCode) span.setAttribute('app.error_code', appCode);
          if (code === 'INTERNAL_SERVER_ERROR') {
            span.recordException(result.error.cause ?? result.error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
          }
          logger()[code === 'INTERNAL_SERVER_ERROR' ? 'error' : 'info']({ type: call.type, ok: false, code, appCode, durationMs }, 'procedure');
          return result;
        } finally {
          span.end();
        }
      },
    ),
  );
}
