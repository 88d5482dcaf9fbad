import { describe, expect, it } from 'vitest';
import { cookieHeaderAfter, LOAD_KINDS, loadKindsFromEnv, setCookiesOf, loadRatios, loadRow, loadTargetChecks, procStatCpuSeconds, type AutocannonFigures } from './load.core.ts';

const result = (total: number, p50: number, p99: number, extra: Partial<AutocannonFigures> = {}): AutocannonFigures => ({
  duration: 10,
  requests: { total },
  latency: { p50, p99 },
  non2xx: 0,
  errors: 0,
  ...extra,
});

describe('load bench summary', () => {
  it('turns an autocannon result into req/s, ops/s, latency, failures and server CPU per request', () => {
    expect(loadRow('order placement', 'tRPC', result(2_000, 30, 90, { non2xx: 3, errors: 1 }), 2, 4.5)).toEqual({
      kind: 'order placement',
      path: 'tRPC',
      'req/s': 200,
      'ops/s': 100,
      'p50 ms': 30,
      'p99 ms': 90,
      'non-2xx': 3,
      errors: 1,
      requests: 2_000,
      'server CPU ms/req': 2.25,
    });
    expect(loadRow('search', 'raw SQL', result(0, 0, 0))).toMatchObject({ 'req/s': 0, 'server CPU ms/req': null });
  });

  it('reports tRPC ÷ bare for every kind, tRPC ÷ raw SQL and ÷ the Next floor where measured, and checks the targets', () => {
    const rows = [
      loadRow('search', 'tRPC', result(16_000, 20, 45), 1, 80),
      loadRow('search', 'bare route', result(20_000, 15, 40), 1, 80),
      loadRow('search', 'raw SQL', result(40_000, 8, 20)),
      loadRow('search', 'Next floor', result(50_000, 5, 10)),
      loadRow('search', 'tRPC on node:http', result(24_000, 12, 30)),
      loadRow('prescription submission', 'tRPC', result(1_000, 500, 900)),
      loadRow('prescription submission', 'bare route', result(2_000, 300, 600, { non2xx: 1 })),
    ];
    const ratios = loadRatios(rows);
    expect(ratios).toEqual({
      'search: tRPC ÷ bare route (req/s)': 0.8,
      'search: tRPC ÷ bare route (requests per server CPU second)': 0.8,
      'search: tRPC ÷ raw SQL (req/s)': 0.4,
      'search: tRPC ÷ Next floor (req/s)': 0.32,
      'search: tRPC on node:http ÷ tRPC through Next (req/s)': 1.5,
      'prescription submission: tRPC ÷ bare route (req/s)': 0.5,
    });
    expect(loadTargetChecks(rows, ratios)).toMatchObject({
      'search over tRPC ≥ 1,500 req/s': true,
      'search over tRPC p99 ≤ 50 ms': true,
      'search over tRPC on node:http ≥ 1,500 req/s': true,
      'search over tRPC on node:http p99 ≤ 50 ms': true,
      'search: tRPC ÷ bare ≥ 0.6': true,
      'search: tRPC ÷ bare ≥ 0.6 per server CPU second': true,
      'prescription submission: tRPC ÷ bare ≥ 0.6': false,
      'prescription submission over bare route: every answer 2xx': false,
    });
  });

  it('reads user + system CPU seconds from /proc/<pid>/stat, whatever the command name holds', () => {
    const stat = '4242 (next-server (v16.4.5)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 566 0 0 20 0 11 0 100 0 0';
    expect(procStatCpuSeconds(stat)).toBe(18);
  });

  it('measures every kind by default, or the kinds BENCH_LOAD_KINDS names, in the bench order', () => {
    expect(loadKindsFromEnv(undefined)).toEqual([...LOAD_KINDS]);
    expect(loadKindsFromEnv(' ')).toEqual([...LOAD_KINDS]);
    expect(loadKindsFromEnv('prescription submission, search')).toEqual(['search', 'prescription submission']);
    expect(() => loadKindsFromEnv('search,searches')).toThrow(/unknown kind "searches"/);
  });

  it('keeps cookies as a browser does: a Set-Cookie replaces its name, Max-Age=0 or a past Expires removes it', () => {
    const jar = 'better-auth.session_token=tok; better-auth.session_data=old; NEXT_LOCALE=zh';
    expect(cookieHeaderAfter(jar, ['better-auth.session_data=new; Max-Age=300; Path=/; HttpOnly; SameSite=Lax'])).toBe('better-auth.session_token=tok; better-auth.session_data=new; NEXT_LOCALE=zh');
    expect(cookieHeaderAfter(jar, ['better-auth.session_data=; Max-Age=0; Path=/'])).toBe('better-auth.session_token=tok; NEXT_LOCALE=zh');
    expect(cookieHeaderAfter(jar, ['NEXT_LOCALE=en; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], Date.parse('2026-12-06T00:00:00Z'))).toBe('better-auth.session_token=tok; better-auth.session_data=old');
    expect(cookieHeaderAfter('a=1', ['b=2; Path=/', 'junk'])).toBe('a=1; b=2');
    expect(setCookiesOf({ 'Set-Cookie': ['a=1', 'b=2'], 'content-type': 'application/json' })).toEqual(['a=1', 'b=2']);
    expect(setCookiesOf({ 'set-cookie': 'a=1' })).toEqual(['a=1']);
  });
});
