/**
 * Cross-site request forgery guard for cookie-authenticated mutations (the tRPC endpoint). A browser
 * sends `Origin` (and `Sec-Fetch-Site`) with every POST; a POST that carries the session cookie from
 * another site is refused. The site is the host the request was addressed to, as the proxy in front
 * of the app reports it (`X-Forwarded-Host`, else `Host`) — the same rule Next.js applies to server
 * actions. Requests without a cookie (API keys, webhooks) and non-browser clients (no `Origin`, no
 * `Sec-Fetch-Site`) are not affected: forgery needs a victim's browser.
 */
export interface CsrfFacts {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
  forwardedHost: string | null;
  hasCookie: boolean;
  hasBearer: boolean;
}

export function isForgedRequest(f: CsrfFacts): boolean {
  if (f.method === 'GET' || f.method === 'HEAD' || f.method === 'OPTIONS') return false;
  if (!f.hasCookie || f.hasBearer) return false;
  const site = (f.forwardedHost ?? f.host)?.split(',')[0]?.trim().toLowerCase() ?? null;
  if (f.origin !== null) {
    if (f.origin === 'null') return true;
    let originHost: string;
    try {
      originHost = new URL(f.origin).host.toLowerCase();
    } catch {
      return true;
    }
    return site === null || originHost !== site;
  }
  return f.secFetchSite !== null && f.secFetchSite !== 'same-origin' && f.secFetchSite !== 'none';
}

export function csrfFactsOf(request: Request): CsrfFacts {
  const h = request.headers;
  return {
    method: request.method.toUpperCase(),
    origin: h.get('origin'),
    secFetchSite: h.get('sec-fetch-site'),
    host: h.get('host'),
    forwardedHost: h.get('x-forwarded-host'),
    hasCookie: (h.get('cookie') ?? '').length > 0,
    hasBearer: /^bearer\s+\S/i.test(h.get('authorization') ?? ''),
  };
}
