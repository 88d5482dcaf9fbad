import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../../db/client.ts';
import { logger } from '../../../observability/request-scope.ts';
import {
  cancelIntentParams,
  captureIntentParams,
  confirmIntentParams,
  createIntentParams,
  createRefundParams,
  listRefundsParams,
  parseStripeForm,
  requestFingerprint,
  retrieveIntentParams,
  type FormObject,
} from './form.core.ts';
import { sandboxId } from './ids.ts';
import { SANDBOX_API_VERSION } from './objects.core.ts';
import type { CoreResult, StripeErrorBody } from './sandbox.core.ts';
import { claimIdempotencyKey, completeIdempotencyKey, reclaimIdempotencyKey } from './sandbox.repo.ts';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  createRefund,
  listRefundsFor,
  retrievePaymentIntent,
  type OperationContext,
  type SandboxResponse,
} from './sandbox.service.ts';

/**
 * The sandbox's HTTP surface: a Stripe-API-compatible subset, one function for every route. The Next
 * route `/api/payments-sandbox/v1/[...path]` and the tests' `node:http` server both call
 * `handleSandboxRequest` with a standard `Request`; the path is read from `/v1/` on, so the mount
 * point does not matter.
 *
 *   POST /v1/payment_intents                 create (and confirm with `confirm=true`)
 *   GET  /v1/payment_intents/:id             retrieve (`expand[]=latest_charge`)
 *   POST /v1/payment_intents/:id/confirm
 *   POST /v1/payment_intents/:id/capture     `amount_to_capture` (partial capture)
 *   POST /v1/payment_intents/:id/cancel
 *   POST /v1/refunds                         `payment_intent` | `charge`, `amount`
 *   GET  /v1/refunds                         `payment_intent`, `charge`, `limit`, `starting_after`
 *
 * Authentication: `Authorization: Bearer <sandbox secret key>` (or Basic with the key as user), 401
 * otherwise. POSTs honour `Idempotency-Key` (Stripe semantics: replay the first response; the same key
 * with another request is a 400 `idempotency_error`; records expire after 24 h). Parameter validation
 * errors are not recorded (as on Stripe); everything after is.
 */
export interface SandboxHttpDeps {
  db: Db;
  /** The accepted secret key (`sk_test_sandbox_…`). */
  secretKey: string;
  now?: () => Date;
}

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { 'content-type': 'application/json', 'stripe-version': SANDBOX_API_VERSION, ...headers },
  });
}

function errorResponse(status: number, error: StripeErrorBody, headers: Record<string, string> = {}): Response {
  return json(status, { error }, headers);
}

function authenticate(request: Request, secretKey: string): Response | null {
  const header = request.headers.get('authorization');
  let provided: string | null = null;
  if (header?.startsWith('Bearer ')) provided = header.slice('Bearer '.length).trim();
  else if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    provided = decoded.split(':')[0] ?? '';
  }
  if (!provided) {
    return errorResponse(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  const a = Buffer.from(provided);
  const b = Buffer.from(secretKey);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return errorResponse(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${provided.slice(0, 8)}****${provided.slice(-4)}` });
  }
  return null;
}

type Route =
  | { kind: 'create_intent' }
  | { kind: 'retrieve_intent'; id: string }
  | { kind: 'confirm_intent'; id: string }
  | { kind: 'capture_intent'; id: string }
  | { kind: 'cancel_intent'; id: string }
  | { kind: 'create_refund' }
  | { kind: 'list_refunds' };

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function route(method: string, path: string): Route | null {
  const decoded = path.split('/').filter(Boolean).map(safeDecode);
  if (decoded.some((p) => p === null)) return null;
  const parts = decoded as string[];
  if (parts[0] !== 'v1') return null;
  const [, resource, id, action, ...rest] = parts;
  if (rest.length > 0) return null;
  if (resource === 'payment_intents') {
    if (id === undefined) return method === 'POST' ? { kind: 'create_intent' } : null;
    if (action === undefined) return method === 'GET' ? { kind: 'retrieve_intent', id } : null;
    if (method !== 'POST') return null;
    if (action === 'confirm') return { kind: 'confirm_intent', id };
    if (action === 'capture') return { kind: 'capture_intent', id };
    if (action === 'cancel') return { kind: 'cancel_intent', id };
    return null;
  }
  if (resource === 'refunds' && id === undefined) {
    if (method === 'POST') return { kind: 'create_refund' };
    if (method === 'GET') return { kind: 'list_refunds' };
  }
  return null;
}

/** The path from `/v1/` on (`/api/payments-sandbox/v1/refunds` → `/v1/refunds`). */
export function sandboxPath(url: URL): string | null {
  const at = url.pathname.indexOf('/v1/');
  if (at >= 0) return url.pathname.slice(at);
  return url.pathname.endsWith('/v1') ? '/v1' : null;
}

type Prepared =
  | { read: true; run: (db: Db) => Promise<SandboxResponse> }
  | { read: false; run: (ctx: OperationContext) => Promise<SandboxResponse> };

function prepare(r: Route, form: FormObject): CoreResult<Prepared> {
  const then = <P>(parsed: CoreResult<P>, build: (p: P) => Prepared): CoreResult<Prepared> => (parsed.ok ? { ok: true, value: build(parsed.value) } : parsed);
  switch (r.kind) {
    case 'create_intent':
      return then(createIntentParams(form), (p) => ({ read: false, run: (ctx) => createPaymentIntent(ctx, p) }));
    case 'retrieve_intent':
      return then(retrieveIntentParams(form), (p) => ({ read: true, run: (db) => retrievePaymentIntent(db, r.id, p) }));
    case 'confirm_intent':
      return then(confirmIntentParams(form), (p) => ({ read: false, run: (ctx) => confirmPaymentIntent(ctx, r.id, p) }));
    case 'capture_intent':
      return then(captureIntentParams(form), (p) => ({ read: false, run: (ctx) => capturePaymentIntent(ctx, r.id, p) }));
    case 'cancel_intent':
      return then(cancelIntentParams(form), (p) => ({ read: false, run: (ctx) => cancelPaymentIntent(ctx, r.id, p) }));
    case 'create_refund':
      return then(createRefundParams(form), (p) => ({ read: false, run: (ctx) => createRefund(ctx, p) }));
    case 'list_refunds':
      return then(listRefundsParams(form), (p) => ({ read: true, run: (db) => listRefundsFor(db, p) }));
  }
}

function idempotencyMismatch(key: string): StripeErrorBody {
  return {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  };
}

class Replay {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly requestId: string,
  ) {}
}

export async function handleSandboxRequest(deps: SandboxHttpDeps, request: Request): Promise<Response> {
  const requestId = sandboxId('req');
  const base = { 'request-id': requestId };
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const path = sandboxPath(url);

  const denied = authenticate(request, deps.secretKey);
  if (denied) {
    denied.headers.set('request-id', requestId);
    return denied;
  }
  const r = path ? route(method, path) : null;
  if (!path || !r) {
    return errorResponse(
      404,
      { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path ?? url.pathname}). The payments sandbox serves a subset of the Stripe API.` },
      base,
    );
  }

  const rawForm = method === 'GET' ? url.search.slice(1) : await request.text();
  const form = parseStripeForm(rawForm);
  if (!form.ok) return errorResponse(form.failure.status, form.failure.error, base);
  const prepared = prepare(r, form.value);
  if (!prepared.ok) return errorResponse(prepared.failure.status, prepared.failure.error, { ...base, 'stripe-should-retry': 'false' });
  const op = prepared.value;

  const now = deps.now?.() ?? new Date();
  try {
    if (op.read) {
      const response = await op.run(deps.db);
      return json(response.status, response.body, base);
    }
    const key = request.headers.get('idempotency-key');
    if (key !== null && (key.trim() === '' || key.length > 255)) {
      return errorResponse(400, { type: 'invalid_request_error', message: 'Idempotency keys must be 1 to 255 characters long.' }, base);
    }
    const keyHeaders: Record<string, string> = key !== null ? { 'idempotency-key': key } : {};
    const requestHash = requestFingerprint(method, path, form.value);

    const outcome = await deps.db.transaction(async (tx): Promise<SandboxResponse | Replay> => {
      if (key !== null) {
        const claim = { key, requestHash, method, path, requestId, now };
        const claimed = await claimIdempotencyKey(tx, claim);
        if (!claimed.claimed) {
          const existing = claimed.existing;
          const expired = now.getTime() - existing.createdAt.getTime() > IDEMPOTENCY_TTL_MS;
          if (!expired || !(await reclaimIdempotencyKey(tx, { ...claim, previousCreatedAt: existing.createdAt }))) {
            if (existing.requestHash !== requestHash) return { status: 400, body: { error: idempotencyMismatch(key) } };
            if (existing.statusCode === 0) {
              return {
                status: 409,
                body: { error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: `There is currently another in-progress request using the idempotency key '${key}'. Try again later.` } },
              };
            }
            return new Replay(existing.statusCode, existing.responseBody, existing.requestId);
          }
        }
      }
      const response = await op.run({ tx, now, requestId, idempotencyKey: key });
      if (key !== null) await completeIdempotencyKey(tx, key, { statusCode: response.status, body: JSON.stringify(response.body, null, 2) });
      return response;
    });

    if (outcome instanceof Replay) {
      return new Response(outcome.body, {
        status: outcome.status,
        headers: {
          'content-type': 'application/json',
          'stripe-version': SANDBOX_API_VERSION,
          'request-id': outcome.requestId,
          'original-request': outcome.requestId,
          'idempotent-replayed': 'true',
          ...keyHeaders,
        },
      });
    }
    return json(outcome.status, outcome.body, { ...base, ...keyHeaders });
  } catch (error) {
    logger().error({ err: error, method, path }, 'payments sandbox request failed');
    return errorResponse(500, { type: 'api_error', message: 'An unexpected error occurred in the payments sandbox.' }, base);
  }
}
