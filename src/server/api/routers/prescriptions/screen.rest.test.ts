import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { createRequestContext } from '../../context.ts';
import { createRestV1Handler } from '../../rest.ts';
import { seedDemoApiKey } from '../../../testing/api-keys.ts';

/** POST /api/v1/prescriptions/screen through the real REST handler (contract error shape included). */
describe('POST /api/v1/prescriptions/screen', () => {
  let app: TestApp;
  let key: string;
  let handler: (req: Request) => Promise<Response>;
  beforeAll(async () => {
    app = await createTestApp();
    key = await seedDemoApiKey(app, 'hospital');
    handler = createRestV1Handler((req) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers }));
  });
  afterAll(async () => app.close());

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await handler(
      new Request('http://localhost/api/v1/prescriptions/screen', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const rx = {
    patient: { sex: 'F', ageYears: 34, pregnant: false },
    decoction: true,
    doses: 7,
    items: [
      { herb: '炙甘草', grams: 6 },
      { herb: '海藻', grams: 9 },
      { herb: '黄芪', grams: 30 },
    ],
  };

  it('answers the same flags as bencao rx-screen, in the caller’s language', async () => {
    const zh = await post(rx);
    expect(zh.status).toBe(200);
    expect(zh.body).toEqual({ flags: [{ code: 'INCOMPATIBLE_18FAN', severity: 'block', herbs: ['炙甘草', '海藻'], message: expect.stringContaining('十八反') }] });
    const en = await post(rx, { 'accept-language': 'en' });
    expect((en.body.flags as { message: string }[])[0]!.message).toMatch(/[A-Za-z]/);
    const clean = await post({ ...rx, items: [{ herb: '黄芪', grams: 15 }] });
    expect(clean.body).toEqual({ flags: [] });
  });

  it('refuses bad input with the contract error shape naming the field', async () => {
    const bad = await post({ ...rx, items: [{ herb: '黄芪', grams: 1.2345 }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('items.0.grams'), field: 'items.0.grams' } });
    const missing = await post({ ...rx, items: undefined });
    expect(missing.body).toMatchObject({ error: { field: 'items' } });
    const notJson = await post('{"items": [');
    expect(notJson.status).toBe(400);
  });

  it('needs an API key or a session', async () => {
    const res = await handler(new Request('http://localhost/api/v1/prescriptions/screen', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rx) }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const revoked = await post(rx, { authorization: 'Bearer bc_not_a_key' });
    expect(revoked.status).toBe(401);
  });
});
