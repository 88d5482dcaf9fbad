import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { seedDemoApiKey } from '../../../testing/api-keys.ts';
import { createRequestContext } from '../../context.ts';
import { createRestV1Handler } from '../../rest.ts';

/** Tenant isolation over REST v1: an organisation's API key sees its own organisation and nobody else's. */
describe('GET /api/v1/orgs/{id}', () => {
  let app: TestApp;
  let handler: (req: Request) => Promise<Response>;
  let pharmacyKey: string;
  let hospitalKey: string;
  beforeAll(async () => {
    app = await createTestApp();
    handler = createRestV1Handler((req) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers }));
    pharmacyKey = await seedDemoApiKey(app, 'pharmacy');
    hospitalKey = await seedDemoApiKey(app, 'hospital');
  });
  afterAll(async () => app.close());

  const get = async (path: string, key?: string) => {
    const res = await handler(new Request(`http://localhost/api/v1${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} }));
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ownId = async (key: string) => {
    const ctx = await createRequestContext({ db: app.handle.db, auth: app.auth, headers: new Headers({ authorization: `Bearer ${key}` }) });
    return ctx.activeOrg!.id;
  };

  it('answers the key’s own organisation', async () => {
    const id = await ownId(pharmacyKey);
    const own = await get(`/orgs/${id}`, pharmacyKey);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id, kind: 'pharmacy', kybStatus: 'approved' });
  });

  it('answers 404 for another organisation and for unknown ids alike, 401 without a valid key', async () => {
    const hospitalId = await ownId(hospitalKey);
    const other = await get(`/orgs/${hospitalId}`, pharmacyKey);
    expect(other).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: expect.any(String), field: 'id' } } });
    const unknown = await get('/orgs/org_00000000000000000000000000', pharmacyKey);
    expect(unknown.status).toBe(404);
    expect((await get(`/orgs/${hospitalId}`)).status).toBe(401);
    expect((await get(`/orgs/${hospitalId}`, 'bc_forged')).status).toBe(401);
    const long = await get(`/orgs/${'x'.repeat(65)}`, pharmacyKey);
    expect(long).toMatchObject({ status: 400, body: { error: { field: 'id' } } });
  });
});
