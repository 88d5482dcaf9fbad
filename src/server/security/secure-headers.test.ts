import { describe, expect, it } from 'vitest';
import nextConfig from '../../../next.config.ts';

/** The security headers of next.config.ts: on every path (pages and API answers alike). */
describe('secure headers', () => {
  it('every path gets CSP (frame-ancestors none), HSTS, nosniff, a referrer policy and no framing; API answers are same-origin resources', async () => {
    const rules = await nextConfig.headers!();
    const everywhere = rules.find((r) => r.source === '/:path*');
    const headers = Object.fromEntries((everywhere?.headers ?? []).map((h) => [h.key.toLowerCase(), h.value]));
    const csp = Object.fromEntries(headers['content-security-policy']!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['base-uri']).toEqual(["'self'"]);
    expect(csp['form-action']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(Number(/max-age=(\d+)/.exec(headers['strict-transport-security']!)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    const api = rules.find((r) => r.source === '/api/:path*');
    expect(api?.headers).toContainEqual({ key: 'Cross-Origin-Resource-Policy', value: 'same-origin' });
    // The API rule comes after the general one, so both apply to API answers (later keys win on a clash).
    expect(rules.indexOf(api!)).toBeGreaterThan(rules.indexOf(everywhere!));
  });
});
