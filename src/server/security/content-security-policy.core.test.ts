import { describe, expect, it } from 'vitest';
import { STRICT_CONTENT_SECURITY_POLICY, createNonce, NONCE_BYTES, pageContentSecurityPolicy, parseContentSecurityPolicy } from './content-security-policy.core.ts';

describe('content security policy', () => {
  it('a nonce is base64 of 128 random bits, fresh every time', () => {
    const nonces = new Set(Array.from({ length: 200 }, () => createNonce()));
    expect(nonces.size).toBe(200);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(atob(nonce)).toHaveLength(NONCE_BYTES);
    }
    expect(createNonce((bytes) => bytes.fill(0xff))).toBe('/////////////////////w==');
  });

  it('pages: scripts need the nonce (strict-dynamic), never unsafe-inline; the other directives as before', () => {
    const csp = parseContentSecurityPolicy(pageContentSecurityPolicy('AAECAwQFBgcICQoLDA0ODw=='));
    expect(csp['script-src']).toEqual(["'self'", "'nonce-AAECAwQFBgcICQoLDA0ODw=='", "'strict-dynamic'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'self'"]);
    expect(csp['form-action']).toEqual(["'self'"]);
    expect(Object.keys(csp)).toHaveLength(8);
  });

  it("only `next dev` gets 'unsafe-eval'", () => {
    const nonce = createNonce();
    expect(pageContentSecurityPolicy(nonce)).not.toContain('unsafe-eval');
    expect(parseContentSecurityPolicy(pageContentSecurityPolicy(nonce, { dev: true }))['script-src']).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", "'unsafe-eval'"]);
  });

  it('refuses a nonce that is short or could break out of the header', () => {
    for (const bad of ['', 'abc', "AAECAwQFBgcICQoLDA0ODw=='; script-src *", 'AAECAwQFBgcICQoLDA0ODw==\r\nX: y', 'AAECAwQF BgcICQoLDA0ODw==']) {
      expect(() => pageContentSecurityPolicy(bad)).toThrow();
    }
  });

  it('API answers and files load no script, frame, connection or image from anywhere', () => {
    const csp = parseContentSecurityPolicy(STRICT_CONTENT_SECURITY_POLICY);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    for (const fallsBack of ['script-src', 'connect-src', 'frame-src', 'img-src']) expect(csp[fallsBack]).toBeUndefined();
  });
});
