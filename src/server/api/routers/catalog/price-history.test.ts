import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../lib/ids.ts';
import { order, orderLine, stockReservation } from '../../../db/schema/index.ts';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { shanghaiIsoWeek } from '../../../domains/orders/price-history.core.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg } from '../../../testing/test-orgs.ts';

let app: TestApp;

const orgOf = (kind: 'supplier' | 'pharmacy') => createTestOrg(app, kind, { tag: 'ph' });
type Party = Awaited<ReturnType<typeof orgOf>>;

async function productWithListing(seller: Party) {
  const product = await seller.api.catalog.createProduct({ herbId: herbIdFor('黄芪'), form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected', origin: '甘肃陇西', daoDi: true });
  const created = await seller.api.catalog.createLot({ batchNo: `PH-${randomBytes(3).toString('hex')}`, quantityG: 1_000_000, productionDate: '2025-10-01', expiryDate: '2027-09-30', productId: product.id });
  const listing = await seller.api.catalog.createListing({ lotId: created.id, priceFenPerKg: 6800, tiers: [], minOrderG: 1000, deliveryRegions: ['330106'], leadTimeDays: 3 });
  await seller.api.catalog.setListingStatus({ id: listing.id, status: 'active' });
  return { productId: product.id, lotId: created.id, listingId: listing.id };
}

/** An order with one line, written directly with a controlled timestamp and status. */
async function tradeAt(seller: Party, buyer: Party, offer: { lotId: string; listingId: string }, at: Date, status: string, priceFenPerKg: number, grams: number) {
  const orderId = newId('ord');
  const lineTotalFen = Math.round((priceFenPerKg * grams) / 1000);
  const reservationId = newId('rsv');
  const db = app.handle.db;
  await db.insert(stockReservation).values({
    id: reservationId,
    listingId: offer.listingId,
    lotId: offer.lotId,
    sellerOrgId: seller.id,
    buyerOrgId: buyer.id,
    grams,
    unitPriceFenPerKg: priceFenPerKg,
    totalFen: lineTotalFen,
    idempotencyKey: `${orderId}:1`,
    status: 'released',
    createdAt: at,
    releasedAt: at,
  });
  await db.insert(order).values({
    id: orderId,
    buyerOrgId: buyer.id,
    sellerOrgId: seller.id,
    status,
    paymentMethod: 'pm_card_visa',
    subtotalFen: lineTotalFen,
    totalFen: lineTotalFen,
    checkoutKey: `chk-${orderId}`,
    idempotencyKey: `chk-${orderId}:${seller.id}`,
    createdAt: at,
    updatedAt: at,
  });
  await db.insert(orderLine).values({
    id: newId('oln'),
    orderId,
    lineNo: 1,
    listingId: offer.listingId,
    lotId: offer.lotId,
    productName: '黄芪',
    grams,
    priceFenPerKg,
    lineTotalFen,
    reservationId,
    reservationKey: `${orderId}:1`,
  });
}

const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
}, 120_000);
afterAll(async () => app.close());

describe('catalog.priceHistory', () => {
  it('aggregates traded prices per Shanghai ISO week, without parties', async () => {
    const seller = await orgOf('supplier');
    const buyer = await orgOf('pharmacy');
    const other = await orgOf('pharmacy');
    const offer = await productWithListing(seller);
    const otherOffer = await productWithListing(seller);

    const now = Date.now();
    const thisWeek = new Date(now);
    const lastWeek = new Date(now - 7 * DAY);
    const longAgo = new Date(now - 40 * 7 * DAY);
    // This week: four traded lines (lower median of 6500/6700/6900/7100 is 6700).
    await tradeAt(seller, buyer, offer, thisWeek, 'accepted', 6900, 2000);
    await tradeAt(seller, other, offer, thisWeek, 'completed', 6500, 3000);
    await tradeAt(seller, buyer, offer, thisWeek, 'refunded', 7100, 1000);
    await tradeAt(seller, buyer, offer, thisWeek, 'shipped', 6700, 4000);
    // Not traded: never paid, paid but not accepted, cancelled or rejected.
    await tradeAt(seller, buyer, offer, thisWeek, 'pending_payment', 100, 1000);
    await tradeAt(seller, buyer, offer, thisWeek, 'paid', 99_999, 1000);
    await tradeAt(seller, buyer, offer, thisWeek, 'cancelled', 1, 1000);
    await tradeAt(seller, buyer, offer, thisWeek, 'rejected', 1, 1000);
    // Last week: two lines (lower median = the smaller).
    await tradeAt(seller, buyer, offer, lastWeek, 'delivered', 6000, 5000);
    await tradeAt(seller, other, offer, lastWeek, 'partially_refunded', 6400, 1500);
    // Outside a 26-week window, and another product.
    await tradeAt(seller, buyer, offer, longAgo, 'completed', 5000, 1000);
    await tradeAt(seller, buyer, otherOffer, thisWeek, 'completed', 9000, 1000);

    const history = await other.api.catalog.priceHistory({ productId: offer.productId, weeks: 26 });
    expect(history.product).toMatchObject({ id: offer.productId, name: '黄芪 饮片 片 生 选货 甘肃陇西', herbName: '黄芪', grade: 'selected', origin: '甘肃陇西', daoDi: true });
    expect(history.weeks).toEqual([
      { ...shanghaiIsoWeek(lastWeek), minFenPerKg: 6000, medianFenPerKg: 6000, maxFenPerKg: 6400, volumeG: 6500, lines: 2 },
      { ...shanghaiIsoWeek(thisWeek), minFenPerKg: 6500, medianFenPerKg: 6700, maxFenPerKg: 7100, volumeG: 10_000, lines: 4 },
    ]);
    // The 52-week window reaches the old trade; the default is 26 weeks.
    const year = await buyer.api.catalog.priceHistory({ productId: offer.productId, weeks: 52 });
    expect(year.weeks[0]).toMatchObject({ ...shanghaiIsoWeek(longAgo), minFenPerKg: 5000, volumeG: 1000 });
    expect((await seller.api.catalog.priceHistory({ productId: offer.productId })).weeks).toHaveLength(2);

    // Market data: the answer names no party (ids or names) and no order.
    const text = JSON.stringify(history);
    for (const party of [seller.id, buyer.id, other.id, '价格']) expect(text).not.toContain(party);
    expect(text).not.toMatch(/ord_|oln_|rsv_|lot_|lst_/);
    expect(Object.keys(history.product).sort()).toEqual(['cut', 'daoDi', 'form', 'grade', 'herbId', 'herbName', 'id', 'name', 'origin', 'processing']);

    // A product without trades answers an empty history.
    const quiet = await productWithListing(seller);
    expect((await buyer.api.catalog.priceHistory({ productId: quiet.productId })).weeks).toEqual([]);
  });

  it('refuses bad input and anonymous callers', async () => {
    const buyer = await orgOf('pharmacy');
    expect(await errorOf(() => buyer.api.catalog.priceHistory({ productId: 'prd_nope' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'productId' } });
    expect(await errorOf(() => buyer.api.catalog.priceHistory({ productId: 'prd_x', weeks: 105 }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'weeks' } });
    expect(await errorOf(() => buyer.api.catalog.priceHistory({ productId: 'prd_x', weeks: 0 }))).toMatchObject({ data: { field: 'weeks' } });
    expect(await errorOf(() => buyer.api.catalog.priceHistory({ productId: 'prd_x', weeks: 2.5 }))).toMatchObject({ data: { field: 'weeks' } });
    const anonymous = await app.caller(new Headers());
    expect(await errorOf(() => anonymous.catalog.priceHistory({ productId: 'prd_x' }))).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });
});
