import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { createRestV1Handler } from '../../rest.ts';
import { createRequestContext } from '../../context.ts';
import { appJobs } from '../../../jobs/registry.ts';
import { createJobRunner } from '../../../jobs/runner.ts';
import { listingInput, lotInput, productInput } from '../../../testing/catalog-inputs.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrgKind } from '../../../testing/test-orgs.ts';

let app: TestApp;
const orgOf = (kind: TestOrgKind, options: { approve?: boolean; licence?: boolean } = {}) => createTestOrg(app, kind, { ...options, tag: 'srch' });

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
}, 120_000);
afterAll(async () => app.close());

async function drain() {
  const runner = createJobRunner({ db: app.handle.db, registry: appJobs });
  await runner.drainOnce?.();
}

describe('catalog.search: listings indexed through the outbox', () => {
  it('finds an activated listing by initials, pinyin and traditional characters; pausing removes it', async () => {
    const seller = await orgOf('supplier');
    const buyer = await orgOf('pharmacy');
    const product = await seller.api.catalog.createProduct(productInput);
    const created = await seller.api.catalog.createLot({ ...lotInput(`SRCH-${randomBytes(3).toString('hex')}`), productId: product.id });
    const draft = await seller.api.catalog.createListing({ ...listingInput(created.id), tiers: [] });
    await drain();
    // Drafts are not on the market.
    expect((await buyer.api.catalog.search({ q: 'hq', limit: 100 })).items.map((i) => i.id)).not.toContain(draft.id);

    await seller.api.catalog.setListingStatus({ id: draft.id, status: 'active' });
    await drain();
    for (const q of ['hq', 'huangqi', '黃芪', '黄芪', 'huang qi']) {
      const result = await buyer.api.catalog.search({ q, limit: 100 });
      const item = result.items.find((i) => i.id === draft.id);
      expect(item, q).toMatchObject({ productName: expect.stringContaining('黄芪'), origin: '甘肃陇西', grade: 'selected', priceFenPerKg: 6800, availableG: 100_000, minOrderG: 1000 });
      expect(item?.sellerName).toContain('测试supplier');
      expect(result.facets.grade.selected).toBeGreaterThanOrEqual(1);
    }
    const filtered = await buyer.api.catalog.search({ q: 'hq', grade: 'selected', form: 'decoction_piece', daoDi: true, inStock: true, priceMax: 6800, limit: 100 });
    expect(filtered.items.map((i) => i.id)).toContain(draft.id);
    expect((await buyer.api.catalog.search({ q: 'hq', priceMax: 6799, limit: 100 })).items.map((i) => i.id)).not.toContain(draft.id);
    // Certificates: the lot has a quality report; the supplier holds no GAP base certificate.
    expect((await buyer.api.catalog.search({ q: 'hq', certificate: 'quality_report', limit: 100 })).items.map((i) => i.id)).toContain(draft.id);
    expect((await buyer.api.catalog.search({ q: 'hq', certificate: 'gap', limit: 100 })).items.map((i) => i.id)).not.toContain(draft.id);
    expect((await buyer.api.catalog.search({ q: 'hq', grade: 'ungraded', limit: 100 })).items.map((i) => i.id)).not.toContain(draft.id);

    await seller.api.catalog.updateListing({ id: draft.id, priceFenPerKg: 7000 });
    await drain();
    expect((await buyer.api.catalog.search({ q: 'huangqi', limit: 100 })).items.find((i) => i.id === draft.id)?.priceFenPerKg).toBe(7000);

    await seller.api.catalog.setListingStatus({ id: draft.id, status: 'paused' });
    await drain();
    const after = await buyer.api.catalog.search({ q: 'hq', limit: 100 });
    expect(after.items.map((i) => i.id)).not.toContain(draft.id);
  });

  it('answers over REST too (GET /listings/search)', async () => {
    const buyer = await orgOf('pharmacy');
    const rest = createRestV1Handler((req) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers }));
    const res = await rest(new Request('http://localhost/api/v1/listings/search?q=hq&daoDi=true&inStock=false&limit=5', { headers: buyer.headers }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; items: unknown[]; facets: { grade: Record<string, number> } };
    expect(body.items.length).toBeLessThanOrEqual(5);
    expect(typeof body.total).toBe('number');
  });

  it('validates its input', async () => {
    const buyer = await orgOf('pharmacy');
    await expect(buyer.api.catalog.search({ q: 'hq', limit: 0 })).rejects.toThrow();
    await expect(buyer.api.catalog.search({ q: 'x'.repeat(51), limit: 10 })).rejects.toThrow();
    await expect(buyer.api.catalog.search({ q: 'hq', certificate: 'iso9001' as 'gap', limit: 10 })).rejects.toThrow();
    const empty = await buyer.api.catalog.search({ q: '😀', limit: 10 });
    expect(empty).toMatchObject({ total: 0, items: [] });
  });
});
