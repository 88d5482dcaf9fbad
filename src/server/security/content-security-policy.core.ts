/**
 * Content-Security-Policy values. Pages get a policy with a fresh nonce per request (made by the
 * proxy, `src/proxy.ts`): only scripts carrying that nonce run, and scripts they load are trusted in
 * turn ('strict-dynamic'), so an injected inline `<script>` or event handler attribute never runs.
 * Next.js reads the nonce from the request's policy and puts it on its own scripts; a page adding an
 * inline script of its own reads it with `(await headers()).get(NONCE_HEADER)`. API answers (outside
 * the proxy) and files get one static policy from `next.config.ts`.
 */

/** The request header that carries the page's nonce to server components. */
export const NONCE_HEADER = 'x-nonce';

/** 128 random bits, base64. */
export const NONCE_BYTES = 16;

const NONCE_SHAPE = /^[A-Za-z0-9+/]{22,}={0,2}$/;

export function createNonce(fill: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  const bytes = fill(new Uint8Array(NONCE_BYTES));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export interface PagePolicyOptions {
  /** `next dev` only: React rebuilds server error stacks in the browser with eval. */
  dev?: boolean;
}

/** The policy of a page answer for one nonce. */
export function pageContentSecurityPolicy(nonce: string, options: PagePolicyOptions = {}): string {
  if (!NONCE_SHAPE.test(nonce)) throw new Error('a CSP nonce is base64 of at least 128 bits');
  return [
    "default-src 'self'",
    // 'self' only counts for browsers without 'strict-dynamic' (CSP level 2); newer ones trust the nonce.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    // Styles keep 'unsafe-inline': ECharts and React `style` props write style attributes, which no
    // nonce can cover. No nonce here either: a nonce would make browsers ignore 'unsafe-inline'.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * Answers that are not pages (API answers — JSON, uploaded documents, lot labels — and files) load
 * nothing: no script, frame or connection. Two allowances are for documents opened in a tab: Chrome
 * shows a PDF through an `<embed>` of the document itself (object-src 'self') in a page styled inline.
 */
export const STRICT_CONTENT_SECURITY_POLICY = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Directive name → its source list, for tests and checks. */
export function parseContentSecurityPolicy(policy: string): Record<string, string[]> {
  const directives: Record<string, string[]> = {};
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives[name.toLowerCase()] = values;
  }
  return directives;
}
