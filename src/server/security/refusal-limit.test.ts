import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientAddress, createRefusalLimiter } from './refusal-limit.core.ts';
import { withRefusalLimit } from './refusal-limit.ts';

const request = (ip: string, lang = 'zh-CN') => new Request('http://localhost/api/webhooks/carriers/sf', { method: 'POST', headers: { 'x-forwarded-for': `${ip}, 10.0.0.1`, 'accept-language': lang } });

describe('refused-request limiter', () => {
  it('turns an address away after max refusals in the window, until the window ends; other addresses are not affected', async () => {
    let now = 1_000_000;
    const limiter = createRefusalLimiter({ max: 3, windowMs: 60_000 });
    let handled = 0;
    const refuse = async () => {
      handled += 1;
      return Response.json({ error: { code: 'bad_signature' } }, { status: 401 });
    };
    for (let i = 0; i < 3; i += 1) expect((await withRefusalLimit(limiter, request('203.0.113.9'), refuse, () => now)).status).toBe(401);
    now += 10_000;
    const blocked = await withRefusalLimit(limiter, request('203.0.113.9'), refuse, () => now);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('50');
    expect(await blocked.json()).toEqual({ error: { code: 'rate_limited', message: '来自该地址的无效请求过多，请稍后再试。', field: null } });
    expect(handled).toBe(3);
    expect((await withRefusalLimit(limiter, request('198.51.100.7'), refuse, () => now)).status).toBe(401);
    now += 50_000;
    expect((await withRefusalLimit(limiter, request('203.0.113.9'), refuse, () => now)).status).toBe(401);
    expect(handled).toBe(5);
  });

  it('never counts accepted deliveries, so a busy sender is not slowed', async () => {
    const limiter = createRefusalLimiter({ max: 2, windowMs: 60_000 });
    const accept = async () => Response.json({ received: true });
    for (let i = 0; i < 50; i += 1) expect((await withRefusalLimit(limiter, request('203.0.113.9', 'en'), accept, () => 5)).status).toBe(200);
  });

  it('blocks exactly after max refusals whatever the timing within a window (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 59_999 }), { minLength: 1, maxLength: 40 }), (max, offsets) => {
        const limiter = createRefusalLimiter({ max, windowMs: 60_000 });
        const times = [...offsets].sort((a, b) => a - b);
        let recorded = 0;
        for (const t of times) {
          const blocked = limiter.retryAfterMs('a', t) > 0;
          expect(blocked).toBe(recorded >= max);
          if (!blocked) {
            limiter.record('a', t);
            recorded += 1;
          }
        }
      }),
    );
  });

  it('reads the first forwarded address, else the real-ip header', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }))).toBe('203.0.113.9');
    expect(clientAddress(new Headers({ 'x-real-ip': '198.51.100.7' }))).toBe('198.51.100.7');
    expect(clientAddress(new Headers())).toBeNull();
  });

  it('does not limit a request whose address no proxy reported (all would share one bucket)', async () => {
    const limiter = createRefusalLimiter({ max: 1, windowMs: 60_000 });
    const refuse = async () => Response.json({ error: { code: 'bad_signature' } }, { status: 401 });
    const bare = () => new Request('http://localhost/api/webhooks/payments', { method: 'POST' });
    for (let i = 0; i < 5; i += 1) expect((await withRefusalLimit(limiter, bare(), refuse, () => 0)).status).toBe(401);
  });
});
