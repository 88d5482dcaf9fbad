import { notFound } from 'next/navigation';

/**
 * An unknown path under a locale gets the locale's own not-found page (translated, in the app shell,
 * rendered per request like every page, so its scripts carry the request's CSP nonce) instead of
 * Next.js's prerendered default one.
 */
export default function UnknownPage(): never {
  notFound();
}
