import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lot } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { releaseStock, reserveStock } from '../../../domains/catalog/lots.service.ts';
import { listingInput, lotInput, productInput } from '../../../testing/catalog-inputs.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg, type TestOrgKind } from '../../../testing/test-orgs.ts';

let app: TestApp;
const orgOf = (kind: TestOrgKind, options: { approve?: boolean; licence?: boolean } = {}) => createTestOrg(app, kind, { ...options, tag: 'cat' });
type Api = TestOrg['api'];

async function activeListingOf(api: Api, batchNo: string, quantityG = 100_000) {
  const product = await api.catalog.createProduct(productInput);
  const created = await api.catalog.createLot({ ...lotInput(batchNo, quantityG), productId: product.id });
  const listing = await api.catalog.createListing({ ...listingInput(created.id), minOrderG: 1000, tiers: [] });
  await api.catalog.setListingStatus({ id: listing.id, status: 'active' });
  return { productId: product.id, lotId: created.id, listingId: listing.id };
}

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
}, 120_000);
afterAll(async () => app.close());

describe('catalog: product → lot → listing → market', () => {
  it('runs the happy path and the buyer sees the listing', async () => {
    const seller = await orgOf('supplier');
    const buyer = await orgOf('pharmacy');
    const product = await seller.api.catalog.createProduct(productInput);
    expect(product.id).toMatch(/^prd_/);
    expect(product.name).toBe('黄芪 饮片 片 生 选货 甘肃陇西');
    const created = await seller.api.catalog.createLot({ ...lotInput('HQ-2025-001'), productId: product.id });
    expect(created.id).toMatch(/^lot_/);
    const lots = await seller.api.catalog.myLots();
    expect(lots).toHaveLength(1);
    expect(lots[0]).toMatchObject({ batchNo: 'HQ-2025-001', quantityG: 100_000, reservedG: 0, availableG: 100_000, contentPct: '0.085', so2Ppm: 40, productName: product.name });

    const listing = await seller.api.catalog.createListing(listingInput(created.id));
    expect(listing).toMatchObject({ status: 'draft' });
    expect(listing.id).toMatch(/^lst_/);
    // A draft is not on the market and not visible to others.
    expect((await buyer.api.catalog.listings()).map((l) => l.id)).not.toContain(listing.id);
    expect(await errorOf(() => buyer.api.catalog.listing({ id: listing.id }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'id' } });

    expect(await seller.api.catalog.setListingStatus({ id: listing.id, status: 'active' })).toEqual({ id: listing.id, status: 'active' });
    const market = await buyer.api.catalog.listings();
    const seen = market.find((l) => l.id === listing.id);
    expect(seen).toMatchObject({ productName: product.name, priceFenPerKg: 6800, availableG: 100_000, minOrderG: 1000, origin: '甘肃陇西', grade: 'selected', deliveryRegions: ['330106', '310101'] });
    expect(seen?.sellerName).toContain('测试supplier');
    expect(seen?.tiers).toEqual(listingInput(created.id).tiers);
    expect((await buyer.api.catalog.listings({ grade: 'ungraded' })).map((l) => l.id)).not.toContain(listing.id);
    expect(await buyer.api.catalog.listing({ id: listing.id })).toMatchObject({ id: listing.id, status: 'active' });

    // Reserve 12 kg at the 10 kg tier, then release it.
    const r = await reserveStock(app.handle.db, { listingId: listing.id, grams: 12_000, buyerOrgId: buyer.id, idempotencyKey: 'order-0001-line-1' });
    expect(r).toMatchObject({ grams: 12_000, unitPriceFenPerKg: 6500, totalFen: 78_000, replayed: false });
    expect((await seller.api.catalog.myLots())[0]).toMatchObject({ reservedG: 12_000, availableG: 88_000 });
    await releaseStock(app.handle.db, { reservationId: r.reservationId, buyerOrgId: buyer.id });
    expect(await releaseStock(app.handle.db, { reservationId: r.reservationId, buyerOrgId: buyer.id })).toMatchObject({ replayed: true, status: 'released' });
    expect((await seller.api.catalog.myLots())[0]).toMatchObject({ reservedG: 0, availableG: 100_000 });

    // Pause → close; closed is final.
    await seller.api.catalog.setListingStatus({ id: listing.id, status: 'paused' });
    expect((await buyer.api.catalog.listings()).map((l) => l.id)).not.toContain(listing.id);
    await seller.api.catalog.setListingStatus({ id: listing.id, status: 'closed' });
    expect(await errorOf(() => seller.api.catalog.setListingStatus({ id: listing.id, status: 'active' }))).toMatchObject({ data: { code: 'CONFLICT', appCode: 'INVALID_TRANSITION', field: 'status' } });
    // A buyer (pharmacy buyer role would lack listing:manage; owner has it) sees its own empty lists.
    expect(await buyer.api.catalog.myLots()).toEqual([]);
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const seller = await orgOf('supplier');
    const zh = (fn: () => Promise<unknown>) => errorOf(fn, seller.headers);
    expect(await zh(() => seller.api.catalog.createProduct({ ...productInput, herbId: 'hrb_nope' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'herbId' }, message: '找不到该药材。' });
    expect(await zh(() => seller.api.catalog.createProduct({ ...productInput, grade: 'best' as never }))).toMatchObject({ data: { field: 'grade' } });
    const product = await seller.api.catalog.createProduct(productInput);
    const lotFor = (over: Record<string, unknown>) => seller.api.catalog.createLot({ ...lotInput('B-1'), productId: product.id, ...over });
    expect(await zh(() => lotFor({ quantityG: 0 }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'quantityG' }, message: expect.stringContaining('整数克数') });
    expect(await zh(() => lotFor({ quantityG: -5 }))).toMatchObject({ data: { field: 'quantityG' } });
    expect(await zh(() => lotFor({ quantityG: 10.5 }))).toMatchObject({ data: { field: 'quantityG' } });
    expect(await zh(() => lotFor({ expiryDate: '2025-01-01' }))).toMatchObject({ data: { field: 'expiryDate' } });
    expect(await zh(() => lotFor({ harvestDate: '2025-12-01' }))).toMatchObject({ data: { field: 'harvestDate' } });
    expect(await zh(() => lotFor({ moisturePct: '9,8' }))).toMatchObject({ data: { field: 'moisturePct' } });
    expect(await zh(() => lotFor({ productId: 'prd_unknown' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'productId' } });
    const created = await lotFor({});
    expect(await zh(() => lotFor({}))).toMatchObject({ data: { code: 'CONFLICT', field: 'batchNo' }, message: expect.stringContaining('B-1') });

    const base = listingInput(created.id);
    expect(await zh(() => seller.api.catalog.createListing({ ...base, priceFenPerKg: 68.5 }))).toMatchObject({ data: { field: 'priceFenPerKg' }, message: expect.stringContaining('分') });
    expect(await zh(() => seller.api.catalog.createListing({ ...base, priceFenPerKg: 0 }))).toMatchObject({ data: { field: 'priceFenPerKg' } });
    expect(await zh(() => seller.api.catalog.createListing({ ...base, minOrderG: 0 }))).toMatchObject({ data: { field: 'minOrderG' } });
    expect(await zh(() => seller.api.catalog.createListing({ ...base, minOrderG: 200_000, tiers: [] }))).toMatchObject({ data: { field: 'minOrderG' } });
    expect(await zh(() => seller.api.catalog.createListing({ ...base, tiers: [{ minG: 10_000, priceFenPerKg: 7000 }] }))).toMatchObject({ data: { field: 'tiers.0.priceFenPerKg' } });
    expect(await zh(() => seller.api.catalog.createListing({ ...base, tiers: [{ minG: 20_000, priceFenPerKg: 6000 }, { minG: 10_000, priceFenPerKg: 5000 }] }))).toMatchObject({ data: { field: 'tiers.1.minG' } });
    expect(await zh(() => seller.api.catalog.createListing({ ...base, deliveryRegions: ['999999'] }))).toMatchObject({ data: { field: 'deliveryRegions.0' } });
    expect(await seller.api.catalog.myListings()).toEqual([]);
    expect(await seller.api.catalog.myLots()).toHaveLength(1);

    // Reservations: zero/negative/fractional grams, below minimum order, own listing, unknown listing.
    const buyer = await orgOf('pharmacy');
    const listing = await seller.api.catalog.createListing(base);
    await seller.api.catalog.setListingStatus({ id: listing.id, status: 'active' });
    const reserve = (grams: number, extra: Partial<{ buyerOrgId: string; listingId: string }> = {}) =>
      reserveStock(app.handle.db, { listingId: listing.id, grams, buyerOrgId: buyer.id, idempotencyKey: `bad-${grams}-${buyer.id}`, ...extra });
    await expect(reserve(0)).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'grams' } });
    await expect(reserve(-1000)).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'grams' } });
    await expect(reserve(1500.5)).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'grams' } });
    await expect(reserve(500)).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'grams' } });
    await expect(reserve(200_000)).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'grams' } });
    await expect(reserve(2000, { buyerOrgId: seller.id })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'listingId' } });
    await expect(reserve(2000, { listingId: 'lst_unknown' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'listingId' } });
    const [row] = await app.handle.db.select({ reservedG: lot.reservedG }).from(lot).where(eq(lot.id, created.id));
    expect(row?.reservedG).toBe(0);
  });

  it('refuses listing for a seller that may not trade (KYB pending, licence missing)', async () => {
    const pending = await orgOf('supplier', { approve: false, licence: false });
    const product = await pending.api.catalog.createProduct(productInput);
    const created = await pending.api.catalog.createLot({ ...lotInput('P-1'), productId: product.id });
    expect(await errorOf(() => pending.api.catalog.createListing(listingInput(created.id)))).toMatchObject({ data: { code: 'FORBIDDEN', appCode: 'ORG_NOT_APPROVED' } });
    const unlicensed = await orgOf('supplier', { licence: false });
    const p2 = await unlicensed.api.catalog.createProduct(productInput);
    const l2 = await unlicensed.api.catalog.createLot({ ...lotInput('P-1'), productId: p2.id });
    expect(await errorOf(() => unlicensed.api.catalog.createListing(listingInput(l2.id)))).toMatchObject({ data: { code: 'FORBIDDEN', appCode: 'LICENCE_REQUIRED' } });
    expect(await pending.api.catalog.myListings()).toEqual([]);
  });

  it('keeps organisations apart', async () => {
    const a = await orgOf('supplier');
    const b = await orgOf('grower');
    const { lotId, listingId, productId } = await activeListingOf(a.api, 'A-1');
    // Same batch number in another organisation is fine.
    const bProduct = await b.api.catalog.createProduct({ ...productInput, form: 'raw', cut: 'none', grade: 'ungraded' });
    await b.api.catalog.createLot({ ...lotInput('A-1'), productId: bProduct.id });
    expect((await b.api.catalog.myLots()).map((l) => l.id)).not.toContain(lotId);
    expect((await b.api.catalog.myProducts()).map((p) => p.id)).not.toContain(productId);
    expect((await b.api.catalog.myListings()).map((l) => l.id)).not.toContain(listingId);
    expect(await errorOf(() => b.api.catalog.createListing(listingInput(lotId)))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'lotId' } });
    expect(await errorOf(() => b.api.catalog.createLot({ ...lotInput('X-1'), productId }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'productId' } });
    expect(await errorOf(() => b.api.catalog.setListingStatus({ id: listingId, status: 'paused' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'id' } });
    expect(await errorOf(() => b.api.catalog.updateListing({ id: listingId, priceFenPerKg: 1 }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'id' } });
    expect((await a.api.catalog.listing({ id: listingId })).status).toBe('active');
    expect((await a.api.catalog.myListings())[0]).toMatchObject({ priceFenPerKg: 6800 });
    // B cannot release a reservation A's buyer holds.
    const buyer = await orgOf('pharmacy');
    const r = await reserveStock(app.handle.db, { listingId, grams: 2000, buyerOrgId: buyer.id, idempotencyKey: 'iso-0000-1' });
    await expect(releaseStock(app.handle.db, { reservationId: r.reservationId, buyerOrgId: b.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('stock reservation under concurrency', () => {
  it('20 parallel reservations over the stock: exactly the fitting ones succeed, never oversold', async () => {
    const seller = await orgOf('grower');
    const buyer = await orgOf('pharmacy');
    // 50 kg; 20 × 3 kg asked = 60 kg → exactly 16 fit (48 kg), 4 get CONFLICT.
    const { listingId, lotId } = await activeListingOf(seller.api, 'C-1', 50_000);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => reserveStock(app.handle.db, { listingId, grams: 3000, buyerOrgId: buyer.id, idempotencyKey: `par-${String(i).padStart(4, '0')}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(16);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'CONFLICT', details: { field: 'grams' } });
    const [row] = await app.handle.db.select().from(lot).where(eq(lot.id, lotId));
    expect(row).toMatchObject({ quantityG: 50_000, reservedG: 48_000 });

    // The last 2 kg in parallel with itself: one wins, then the listing is sold out.
    const last = await Promise.allSettled([1, 2, 3].map((i) => reserveStock(app.handle.db, { listingId, grams: 2000, buyerOrgId: buyer.id, idempotencyKey: `last-000${i}` })));
    expect(last.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [after] = await app.handle.db.select().from(lot).where(eq(lot.id, lotId));
    expect(after?.reservedG).toBe(50_000);
    expect((await seller.api.catalog.myListings())[0]?.status).toBe('sold_out');
    expect((await buyer.api.catalog.listings()).map((l) => l.id)).not.toContain(listingId);

    // Releasing one reservation puts the listing back on the market.
    const first = ok[0];
    if (first?.status !== 'fulfilled') throw new Error('expected a reservation');
    await releaseStock(app.handle.db, { reservationId: first.value.reservationId, buyerOrgId: buyer.id });
    expect((await seller.api.catalog.myListings())[0]?.status).toBe('active');
    expect((await seller.api.catalog.myLots())[0]).toMatchObject({ reservedG: 47_000, availableG: 3000 });
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  }, 60_000);

  it('replays an idempotency key with the first result, also when retried in parallel', async () => {
    const seller = await orgOf('grower');
    const buyer = await orgOf('pharmacy');
    const { listingId, lotId } = await activeListingOf(seller.api, 'I-1', 20_000);
    const input = { listingId, grams: 5000, buyerOrgId: buyer.id, idempotencyKey: 'checkout-abc-123' };
    const twins = await Promise.all([reserveStock(app.handle.db, input), reserveStock(app.handle.db, input), reserveStock(app.handle.db, input)]);
    expect(new Set(twins.map((t) => t.reservationId)).size).toBe(1);
    expect(twins.filter((t) => !t.replayed)).toHaveLength(1);
    // Price changes later do not change the replayed answer.
    await seller.api.catalog.updateListing({ id: listingId, priceFenPerKg: 9900 });
    const again = await reserveStock(app.handle.db, input);
    expect(again).toMatchObject({ reservationId: twins[0]!.reservationId, unitPriceFenPerKg: 6800, totalFen: 34_000, replayed: true });
    const [row] = await app.handle.db.select().from(lot).where(eq(lot.id, lotId));
    expect(row?.reservedG).toBe(5000);
    await expect(reserveStock(app.handle.db, { ...input, grams: 6000 })).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'idempotencyKey' } });
  }, 60_000);
});
