import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import nextConfig from '../../../next.config.ts';
import proxy, { config as proxyConfig } from '../../proxy.ts';
import { STRICT_CONTENT_SECURITY_POLICY, parseContentSecurityPolicy } from './content-security-policy.core.ts';

/**
 * The security headers: next.config.ts on every path (pages and API answers alike), the static CSP on
 * API answers, and the per-request nonce CSP the proxy puts on pages.
 */
describe('secure headers', () => {
  it('every path gets HSTS, nosniff, a referrer policy and no framing; API answers are same-origin resources with a strict CSP', async () => {
    const rules = await nextConfig.headers!();
    const everywhere = rules.find((r) => r.source === '/:path*');
    const headers = Object.fromEntries((everywhere?.headers ?? []).map((h) => [h.key.toLowerCase(), h.value]));
    expect(Number(/max-age=(\d+)/.exec(headers['strict-transport-security']!)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy']).toBe('camera=(), microphone=(), geolocation=(self)');
    // Pages get their policy from the proxy: a second one here would be enforced too (policies intersect).
    expect(headers['content-security-policy']).toBeUndefined();
    const api = rules.find((r) => r.source === '/api/:path*');
    expect(api?.headers).toContainEqual({ key: 'Cross-Origin-Resource-Policy', value: 'same-origin' });
    expect(api?.headers).toContainEqual({ key: 'Content-Security-Policy', value: STRICT_CONTENT_SECURITY_POLICY });
    // The API rule comes after the general one, so both apply to API answers (later keys win on a clash).
    expect(rules.indexOf(api!)).toBeGreaterThan(rules.indexOf(everywhere!));
    // Files (paths with a dot, which the proxy skips too) get the strict policy; no other rule sets one.
    const files = rules.find((r) => r.source === '/:path((?!api/).*\\..*)');
    expect(files?.headers).toEqual([{ key: 'Content-Security-Policy', value: STRICT_CONTENT_SECURITY_POLICY }]);
    expect(rules.filter((r) => r.headers.some((h) => h.key.toLowerCase() === 'content-security-policy'))).toEqual([files, api]);
  });

  it('the proxy (pages) gives every request a fresh nonce, on the answer and on the request passed to the page, after locale routing', () => {
    const seen = new Set<string>();
    for (const path of ['/zh/catalog', '/en/market', '/zh/tenders/tdr_x?tab=bids']) {
      const response = proxy(new NextRequest(`http://localhost:3000${path}`, { headers: { cookie: 'NEXT_LOCALE=zh', 'x-nonce': 'forged' } }));
      const policy = response.headers.get('content-security-policy')!;
      const script = parseContentSecurityPolicy(policy)['script-src']!;
      const nonce = /^'nonce-(.+)'$/.exec(script.find((s) => s.startsWith("'nonce-"))!)![1]!;
      expect(script).toContain("'strict-dynamic'");
      expect(script).not.toContain("'unsafe-inline'");
      expect(script).not.toContain("'unsafe-eval'");
      expect(parseContentSecurityPolicy(policy)['frame-ancestors']).toEqual(["'none'"]);
      seen.add(nonce);
      // What Next.js hands the page: the request headers the proxy overrode (its documented mechanism).
      const overridden = response.headers.get('x-middleware-override-headers')!.split(',');
      expect(overridden).toEqual(expect.arrayContaining(['x-nonce', 'content-security-policy', 'x-next-intl-locale']));
      expect(response.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
      expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(policy);
      expect(response.headers.get('x-middleware-request-x-next-intl-locale')).toBe(path.slice(1, 3));
      expect(response.headers.get('x-middleware-request-cookie')).toBe('NEXT_LOCALE=zh');
    }
    expect(seen.size).toBe(3);
  });

  it('the locale redirect (`/` → `/zh`) still happens and carries the policy too', () => {
    const response = proxy(new NextRequest('http://localhost:3000/'));
    expect(response.status).toBe(307);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/zh');
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  });

  it('the proxy leaves API answers, build assets and files to next.config.ts', () => {
    const [source] = proxyConfig.matcher;
    const matches = (path: string) => new RegExp(`^${source}$`).test(path);
    expect(['/', '/zh', '/zh/catalog', '/en/tenders/tdr_1'].filter(matches)).toHaveLength(4);
    expect(['/api/trpc/x', '/api/uploads/up_1', '/_next/static/chunks/a.js', '/favicon.ico'].filter(matches)).toEqual([]);
  });
});
