import createMiddleware from 'next-intl/middleware';
import { NextRequest, type NextResponse } from 'next/server';
import { routing } from './i18n/routing.ts';
import { createNonce, NONCE_HEADER, pageContentSecurityPolicy } from './server/security/content-security-policy.core.ts';

const handleI18nRouting = createMiddleware(routing);

/**
 * Every page request: locale routing (`/` → `/zh`, every page lives under `/zh/…` or `/en/…`) and a
 * Content-Security-Policy with a fresh nonce. The nonce and the policy travel on the request headers
 * the locale middleware passes on (Next.js reads the nonce from the request's policy and puts it on its
 * own scripts; server components read `x-nonce`), and the policy goes out on the answer.
 */
export default function proxy(request: NextRequest): NextResponse {
  const nonce = createNonce();
  const policy = pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set('content-security-policy', policy);
  // The locale middleware reads the URL, headers and cookies of the request it is given and forwards its
  // headers; the body (if any) stays with the original request.
  const response = handleI18nRouting(new NextRequest(request.url, { method: request.method, headers }));
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // API answers, build assets and files get their headers from next.config.ts.
  matcher: ['/((?!api|_next|_vercel|.*\\..*).*)'],
};
