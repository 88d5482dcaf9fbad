import createMiddleware from 'next-intl/middleware';
import { routing } from './i18n/routing.ts';

/** Locale routing: `/` → `/zh`, and every page lives under `/zh/…` or `/en/…`. */
export default createMiddleware(routing);

export const config = {
  matcher: ['/((?!api|_next|_vercel|.*\\..*).*)'],
};
