import { LRUCache } from 'lru-cache';
import type { Auth } from './auth.ts';

/**
 * Who a request's session cookie says is calling. The session's row (still there? which organisation
 * is chosen in the switcher?) is read live by the request context, not taken from the cookie.
 */
export interface SessionCaller {
  sessionId: string;
  user: { id: string; email: string; name: string };
}

export interface SessionLookup {
  caller: SessionCaller | null;
  /** Set-Cookie values the answer should carry (better-auth refreshing its cookie cache). */
  responseCookies: string[];
}

/** How long this process reuses a verified cookie without verifying it again. */
const VERIFIED_COOKIE_MS = 30_000;
const VERIFIED_COOKIES = 10_000;

/** Per auth instance (tests run several, each with its own database and secret). */
const verified = new WeakMap<Auth, LRUCache<string, SessionCaller>>();

function memoOf(auth: Auth): LRUCache<string, SessionCaller> {
  let memo = verified.get(auth);
  if (!memo) {
    memo = new LRUCache<string, SessionCaller>({ max: VERIFIED_COOKIES, ttl: VERIFIED_COOKIE_MS });
    verified.set(auth, memo);
  }
  return memo;
}

/**
 * The session of a request (better-auth, which reads it from its signed cookie cache or the database).
 * A Cookie header verified without better-auth asking for a new cookie is remembered for 30 s (never
 * past the session's expiry): the same bytes would verify the same way, and verifying costs about a
 * millisecond of CPU. Whether the session still exists is not decided here: the request context reads
 * the session row with the membership (context.ts), so a signed-out or revoked session stops at once.
 */
export async function lookUpSession(auth: Auth, headers: Headers): Promise<SessionLookup> {
  const cookie = headers.get('cookie');
  if (!cookie) return { caller: null, responseCookies: [] };
  const memo = memoOf(auth);
  const known = memo.get(cookie);
  if (known) return { caller: known, responseCookies: [] };
  const { headers: answer, response } = await auth.api.getSession({ headers, returnHeaders: true });
  const responseCookies = answer.getSetCookie();
  if (!response) return { caller: null, responseCookies };
  const caller: SessionCaller = {
    sessionId: response.session.id,
    user: { id: response.user.id, email: response.user.email, name: response.user.name },
  };
  const left = new Date(response.session.expiresAt).getTime() - Date.now();
  if (responseCookies.length === 0 && left > 0) memo.set(cookie, caller, { ttl: Math.min(VERIFIED_COOKIE_MS, left) });
  return { caller, responseCookies };
}
