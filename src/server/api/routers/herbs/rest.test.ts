import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createRequestContext } from '../../context.ts';
import { openApiDocument } from '../../rest.ts';
import { appRouter } from '../../root.ts';

interface RawError {
  message?: string;
  code?: string;
  data?: { field?: string | null; fieldErrors?: { field: string; message: string }[]; appCode?: string | null };
}

interface SearchBody {
  query: string | null;
  total: number;
  limit: number;
  offset: number;
  items: { id: string; name: string; pinyin: string; initials: string; doseMinG: number | null; doseMaxG: number | null; matchedBy: string | null }[];
}

/**
 * REST v1 for the catalogue: the same trpc-to-openapi fetch handler `handleRestV1` serves, with a
 * context on this test's database (the process-wide services read DATABASE_URL instead).
 */
describe('GET /api/v1/herbs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await upsertHerbMasterData(app.handle.db);
  });
  afterAll(async () => app.close());

  async function get(path: string, headers: Record<string, string> = {}) {
    const req = new Request(`http://localhost${path}`, { headers });
    const res = await createOpenApiFetchHandler({
      endpoint: '/api/v1',
      req,
      router: appRouter,
      createContext: () => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it('answers JSON items for initials, with numbers coerced from the query string', async () => {
    const { status, body } = await get('/api/v1/herbs?q=hq&limit=5');
    expect(status).toBe(200);
    const result = body as SearchBody;
    expect(result).toMatchObject({ query: 'hq', limit: 5, offset: 0 });
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.items.length).toBeLessThanOrEqual(5);
    expect(result.items.map((i) => i.name)).toContain('黄芪');
    const huangqi = result.items.find((i) => i.name === '黄芪')!;
    expect(huangqi).toMatchObject({ pinyin: 'huang qi', initials: 'hq', doseMinG: 9, doseMaxG: 30, matchedBy: 'initials' });
    expect(huangqi.id).toMatch(/^hrb_/);
  });

  it('finds Chinese, traditional, pinyin and processed-form queries (URL-encoded)', async () => {
    for (const [q, expected] of [
      ['黄芪', '黄芪'],
      ['黃芪', '黄芪'],
      ['huang qi', '黄芪'],
      ['法半夏', '半夏'],
      ['Astragali', '黄芪'],
    ] as const) {
      const { status, body } = await get(`/api/v1/herbs?q=${encodeURIComponent(q)}&limit=3`);
      expect(status).toBe(200);
      expect((body as SearchBody).items[0]?.name).toBe(expected);
    }
  });

  it('accepts filters, sort and offset; no query lists the catalogue', async () => {
    const { status, body } = await get('/api/v1/herbs?toxicity=high&sort=name&limit=100&offset=0');
    expect(status).toBe(200);
    const result = body as SearchBody;
    expect(result.total).toBe(result.items.length);
    expect(result.items.map((i) => i.name)).toContain('巴豆霜');
    const empty = await get('/api/v1/herbs?q=%F0%9F%8C%BF');
    expect(empty).toMatchObject({ status: 200, body: { total: 0, items: [] } });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=101', 'limit'],
    ['limit=2.5', 'limit'],
    ['offset=-1', 'offset'],
    ['toxicity=deadly', 'toxicity'],
    ['sort=price', 'sort'],
    [`q=${'a'.repeat(51)}`, 'q'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const { status, body } = await get(`/api/v1/herbs?${query}`);
    expect(status).toBe(400);
    const error = body as RawError;
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data?.field).toBe(field);
    expect(error.data?.appCode).toBe('VALIDATION');
  });

  it('translates the validation message to English on request', async () => {
    const { body } = await get('/api/v1/herbs?limit=0', { 'accept-language': 'en-US' });
    expect((body as RawError).data?.fieldErrors?.[0]?.field).toBe('limit');
    expect((body as RawError).data?.fieldErrors?.[0]?.message).toMatch(/>=\s*1|at least|too small/i);
  });

  it('is in the OpenAPI document with its query parameters', () => {
    const doc = openApiDocument();
    const op = doc.paths?.['/herbs']?.get;
    expect(op).toBeDefined();
    const params = (op?.parameters ?? []) as { name: string; in: string }[];
    expect(params.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'limit', 'offset', 'category', 'toxicity', 'pregnancy', 'sort']),
    );
  });
});

describe('tRPC herbs.get', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await upsertHerbMasterData(app.handle.db);
  });
  afterAll(async () => app.close());

  it('answers the herb by id, and NOT_FOUND naming id for an unknown one', async () => {
    const api = await app.caller(new Headers());
    const [first] = (await api.herbs.search({ q: '甘草', limit: 1 })).items;
    const herb = await api.herbs.get({ id: first!.id });
    expect(herb).toMatchObject({ name: '甘草', doseMinG: 2, doseMaxG: 10 });
    expect(herb.incompatibilities[0]?.partners.map((p) => p.name)).toContain('甘遂');
    const error = await errorOf(() => api.herbs.get({ id: 'hrb_unknown' }), new Headers({ 'accept-language': 'en' }));
    expect(error).toMatchObject({ message: 'Herb not found.', data: { code: 'NOT_FOUND', field: 'id', appCode: 'NOT_FOUND' } });
  });
});
