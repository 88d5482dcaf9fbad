import { AsyncLocalStorage } from 'node:async_hooks';
import { rootLogger, type Logger } from './logger.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.core.ts';

/**
 * The scope of the work in progress (an HTTP request, a tRPC procedure, a job delivery), carried
 * through async calls: its request id and a child logger bound to it. Scopes nest: an inner scope
 * keeps the outer request id unless it brings its own and adds its fields to the outer logger.
 */
interface Scope {
  requestId: string | null;
  log: Logger;
  /** Set-Cookie values for the answer of the HTTP request in progress (shared by the scopes inside it); null outside one. */
  responseCookies: string[] | null;
}

/** Fields bound to the scope's logger. Never emails, names or secrets: ids and names of things. */
export type ScopeFields = { requestId?: string | null } & Record<string, string | number | boolean | null | undefined>;

// One store per process, even when the bundler loads this module more than once.
const globalForScope = globalThis as unknown as { __bencaoScope?: AsyncLocalStorage<Scope> };
const storage = (globalForScope.__bencaoScope ??= new AsyncLocalStorage<Scope>());

/** The logger of the current scope (with its request id and fields), or the root logger outside any. */
export function logger(): Logger {
  return storage.getStore()?.log ?? rootLogger();
}

/** The request id of the current scope, or null outside any. */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

/**
 * Runs `fn` in a scope whose logger carries `fields` (null/undefined fields are left out). Giving a
 * `requestId` (even null) other than the current one starts a fresh scope from the root logger (a job
 * delivery is its own context, even when drained inside a request); otherwise the outer fields stay.
 */
export function withLogScope<T>(fields: ScopeFields, fn: () => T): T {
  return runScope(fields, undefined, fn);
}

/** `withLogScope`, starting a request's list of response cookies when `responseCookies` is given. */
function runScope<T>(fields: ScopeFields, responseCookies: string[] | undefined, fn: () => T): T {
  const outer = storage.getStore();
  const { requestId: given, ...rest } = fields;
  const fresh = given !== undefined && given !== (outer?.requestId ?? null);
  const requestId = given !== undefined ? given : (outer?.requestId ?? null);
  const bindings = Object.fromEntries(Object.entries({ ...(fresh ? { requestId } : {}), ...rest }).filter(([, value]) => value !== null && value !== undefined));
  const parent = fresh || !outer ? rootLogger() : outer.log;
  const cookies = responseCookies ?? (fresh ? null : (outer?.responseCookies ?? null));
  return storage.run({ requestId, log: parent.child(bindings), responseCookies: cookies }, fn);
}

/**
 * Adds Set-Cookie values to the answer of the HTTP request in progress (`withRequestId`), e.g. a
 * session cookie cache better-auth refreshed while the request's context was built. Outside a request
 * (a job, a server-rendered page) they are dropped: nobody would receive them.
 */
export function addResponseCookies(cookies: readonly string[]): void {
  if (cookies.length === 0) return;
  storage.getStore()?.responseCookies?.push(...cookies);
}

/**
 * Wraps a route handler: the request id (the caller's `x-request-id` when sane, else a new one) scopes
 * everything the handler does, the response echoes it in `x-request-id` and carries the cookies added
 * with `addResponseCookies`, and one line is logged per request (method, path without the query,
 * status, duration).
 */
export function withRequestId<A extends unknown[]>(handler: (request: Request, ...rest: A) => Promise<Response>) {
  return async (request: Request, ...rest: A): Promise<Response> => {
    const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    const started = performance.now();
    const responseCookies: string[] = [];
    return runScope({ requestId }, responseCookies, async () => {
      const log = logger();
      const path = new URL(request.url).pathname;
      let response: Response;
      try {
        response = await handler(request, ...rest);
      } catch (error) {
        log.error({ err: error, method: request.method, path, durationMs: elapsed(started) }, 'request failed');
        throw error;
      }
      log.info({ method: request.method, path, status: response.status, durationMs: elapsed(started) }, 'request');
      return withHeaders(response, (headers) => {
        headers.set(REQUEST_ID_HEADER, requestId);
        for (const cookie of responseCookies) headers.append('set-cookie', cookie);
      });
    });
  };
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}

/** `response` with its headers changed by `change`; a copy when they are immutable (e.g. a fetched response). */
function withHeaders(response: Response, change: (headers: Headers) => void): Response {
  try {
    change(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    change(copy.headers);
    return copy;
  }
}
