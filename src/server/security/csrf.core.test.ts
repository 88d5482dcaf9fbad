import { describe, expect, it } from 'vitest';
import { csrfFactsOf, isForgedRequest, type CsrfFacts } from './csrf.core.ts';

const base: CsrfFacts = { method: 'POST', origin: 'https://bencao.example', secFetchSite: 'same-origin', host: 'bencao.example', forwardedHost: null, hasCookie: true, hasBearer: false };

describe('CSRF guard', () => {
  it('lets a same-site browser POST with the session cookie through', () => {
    expect(isForgedRequest(base)).toBe(false);
    expect(isForgedRequest({ ...base, host: 'localhost:3000', forwardedHost: 'bencao.example' })).toBe(false);
    expect(isForgedRequest({ ...base, origin: 'http://localhost:3123', host: 'localhost:3123' })).toBe(false);
  });

  it('refuses a POST carrying the cookie from another site, an opaque origin or a bad Origin', () => {
    expect(isForgedRequest({ ...base, origin: 'https://evil.example', secFetchSite: 'cross-site' })).toBe(true);
    expect(isForgedRequest({ ...base, origin: 'https://bencao.example.evil.example' })).toBe(true);
    expect(isForgedRequest({ ...base, origin: 'null' })).toBe(true);
    expect(isForgedRequest({ ...base, origin: 'not a url' })).toBe(true);
    expect(isForgedRequest({ ...base, origin: null, secFetchSite: 'cross-site' })).toBe(true);
    expect(isForgedRequest({ ...base, origin: 'https://bencao.example', host: null, forwardedHost: null })).toBe(true);
  });

  it('leaves reads, cookie-less calls, API keys and non-browser clients alone', () => {
    expect(isForgedRequest({ ...base, method: 'GET', origin: 'https://evil.example' })).toBe(false);
    expect(isForgedRequest({ ...base, hasCookie: false, origin: 'https://evil.example' })).toBe(false);
    expect(isForgedRequest({ ...base, hasBearer: true, origin: 'https://evil.example' })).toBe(false);
    expect(isForgedRequest({ ...base, origin: null, secFetchSite: null })).toBe(false);
  });

  it('reads the facts from a request', () => {
    const request = new Request('http://localhost:3000/api/trpc/orders.cancel', {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie: 'session=1', host: 'localhost:3000', 'sec-fetch-site': 'cross-site', authorization: 'Basic x' },
    });
    expect(csrfFactsOf(request)).toMatchObject({ method: 'POST', origin: 'https://evil.example', hasCookie: true, hasBearer: false, secFetchSite: 'cross-site' });
    expect(isForgedRequest(csrfFactsOf(request))).toBe(true);
  });
});

describe('the tRPC endpoint', () => {
  it('answers a forged mutation 403 in the caller language before any procedure runs', async () => {
    const { refuseForgedRequest } = await import('./csrf.ts');
    const forged = refuseForgedRequest(new Request('http://localhost:3000/api/trpc/orders.cancel', { method: 'POST', headers: { origin: 'https://evil.example', cookie: 'session=1', 'accept-language': 'en' } }));
    expect(forged?.status).toBe(403);
    expect(await forged?.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'The request came from another site and was refused (cross-site request forgery protection).', field: null } });
    expect(refuseForgedRequest(new Request('http://localhost:3000/api/trpc/orders.cancel', { method: 'POST', headers: { cookie: 'session=1' } }))).toBeNull();
  });
});
