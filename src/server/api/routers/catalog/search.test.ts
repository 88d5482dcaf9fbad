import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { usccCheckChar } from '../../../domains/orgs/identity.core.ts';
import { decideKyb } from '../../../domains/orgs/orgs.service.ts';
import { createRestV1Handler } from '../../rest.ts';
import { createRequestContext } from '../../context.ts';
import { appJobs } from '../../../jobs/registry.ts';
import { createJobRunner } from '../../../jobs/runner.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';

let app: TestApp;
let n = 0;

async function orgOf(kind: 'supplier' | 'pharmacy' | 'grower', options: { approve?: boolean; licence?: boolean } = {}) {
  n += 1;
  const tag = `${n}-${randomBytes(3).toString('hex')}`;
  const owner = await app.signUp(`srch-${tag}@example.cn`);
  const api0 = await app.caller(owner.headers);
  const stem = `91330106MA${randomBytes(4).toString('hex').toUpperCase().replace(/[IOSVZ]/g, 'A').slice(0, 7)}`;
  const { id } = await api0.orgs.create({ name: `测试${kind} ${tag}`, kind, uscc: stem + usccCheckChar(stem), regionCode: '330106', address: '杭州', lat: 30.27, lng: 120.15 });
  if (options.approve !== false) {
    const op = await app.signUp(`srch-op-${tag}@example.cn`);
    const opOrg = await app.makeOperator(op.userId);
    await decideKyb(app.handle.db, { userId: op.userId, orgId: opOrg }, { orgId: id, decision: 'approved' });
  }
  const api = await app.caller(owner.headers);
  if (options.licence !== false && kind !== 'grower') {
    const type = kind === 'supplier' ? 'drug_manufacturing' : 'drug_distribution';
    await api.orgs.addLicence({ type, number: `LIC-${tag}`, scope: '中药饮片', validFrom: '2024-01-01', expiresOn: '2035-01-01' });
  }
  return { id, api, headers: owner.headers };
}


const HUANGQI = herbIdFor('黄芪');
const productInput = { herbId: HUANGQI, form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected', origin: '甘肃陇西', daoDi: true } as const;
const lotInput = (batchNo: string, quantityG = 100_000) => ({
  batchNo,
  quantityG,
  productionDate: '2025-10-01',
  expiryDate: '2027-09-30',
  contentPct: '0.085',
  moisturePct: '9.8',
  totalAshPct: '4.2',
  heavyMetalsPpm: '8.5',
  pesticidePpm: '0.02',
  so2Ppm: 40,
  growerBase: '陇西首阳镇基地',
  harvestDate: '2025-09-20',
});
const listingInput = (lotId: string) => ({
  lotId,
  priceFenPerKg: 6800,
  tiers: [
    { minG: 10_000, priceFenPerKg: 6500 },
    { minG: 50_000, priceFenPerKg: 6200 },
  ],
  minOrderG: 1000,
  deliveryRegions: ['330106', '310101'],
  leadTimeDays: 3,
});

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
    const empty = await buyer.api.catalog.search({ q: '😀', limit: 10 });
    expect(empty).toMatchObject({ total: 0, items: [] });
  });
});
