import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listing } from '../../db/schema/index.ts';
import { appJobs } from '../../jobs/registry.ts';
import { createJobRunner } from '../../jobs/runner.ts';
import { listingInput, lotInput, productInput } from '../../testing/catalog-inputs.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { createTestOrg } from '../../testing/test-orgs.ts';
import { upsertHerbMasterData } from './herbs.seed.ts';
import { searchListings, type ListingSearch } from './listing-search.service.ts';

let app: TestApp;
let listingId: string;
let sellerApi: Awaited<ReturnType<typeof createTestOrg>>['api'];

const noMeili = { MEILI_URL: undefined, MEILI_KEY: undefined };
const cached = { ...noMeili, SEARCH_CACHE_TTL_MS: 60_000 };
const uncached = { ...noMeili, SEARCH_CACHE_TTL_MS: 0 };
const question = (q: string, extra: Partial<ListingSearch> = {}): ListingSearch => ({ q, sort: 'relevance', limit: 100, offset: 0, ...extra });

async function drain() {
  await createJobRunner({ db: app.handle.db, registry: appJobs }).drainOnce?.();
}

/** Changes the listing's price in the database only: no indexing job, so the index does not change. */
async function setPriceBehindTheIndex(fenPerKg: number) {
  await app.handle.db.update(listing).set({ priceFenPerKg: fenPerKg }).where(eq(listing.id, listingId));
}

const priceIn = (answer: Awaited<ReturnType<typeof searchListings>>) => answer.items.find((i) => i.id === listingId)?.priceFenPerKg;

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  const seller = await createTestOrg(app, 'supplier', { tag: 'cache' });
  sellerApi = seller.api;
  const product = await seller.api.catalog.createProduct(productInput);
  const created = await seller.api.catalog.createLot({ ...lotInput(`CACHE-${randomBytes(3).toString('hex')}`), productId: product.id });
  const l = await seller.api.catalog.createListing({ ...listingInput(created.id), tiers: [] });
  await seller.api.catalog.setListingStatus({ id: l.id, status: 'active' });
  listingId = l.id;
  await drain();
}, 120_000);
afterAll(async () => app.close());

describe('market search answers kept in memory', () => {
  it('answers a repeated question from memory, and reads again once this process writes to the search index', async () => {
    const first = await searchListings(app.handle.db, cached, question('huangqi'));
    expect(priceIn(first)).toBe(6800);
    await setPriceBehindTheIndex(6900);
    const again = await searchListings(app.handle.db, cached, question('huangqi'));
    expect(again).toBe(first);
    // Uncached, the same question sees the database as it is.
    expect(priceIn(await searchListings(app.handle.db, uncached, question('huangqi')))).toBe(6900);

    // The seller changes the price through the product: the indexing job writes the index and the memory is dropped.
    await sellerApi.catalog.updateListing({ id: listingId, priceFenPerKg: 7000 });
    await drain();
    expect(priceIn(await searchListings(app.handle.db, cached, question('huangqi')))).toBe(7000);
  });

  it('keeps each question apart: another query, filter, sort or page is read on its own', async () => {
    const base = await searchListings(app.handle.db, cached, question('黄芪'));
    await setPriceBehindTheIndex(7100);
    expect(priceIn(await searchListings(app.handle.db, cached, question('黄芪')))).toBe(priceIn(base));
    expect(priceIn(await searchListings(app.handle.db, cached, question('黄芪', { grade: 'selected' })))).toBe(7100);
    expect(priceIn(await searchListings(app.handle.db, cached, question('黄芪', { sort: 'price_asc' })))).toBe(7100);
    expect(priceIn(await searchListings(app.handle.db, cached, question('hq')))).toBe(7100);
    // The same question with its fields in another order and an absent filter spelled out is the same question.
    const reordered = await searchListings(app.handle.db, cached, { offset: 0, limit: 100, sort: 'relevance', grade: undefined, q: '黄芪' });
    expect(reordered).toBe(base);
  });

  it('lets concurrent identical questions share one read', async () => {
    await setPriceBehindTheIndex(7200);
    const answers = await Promise.all(Array.from({ length: 8 }, () => searchListings(app.handle.db, cached, question('huang qi'))));
    expect(new Set(answers).size).toBe(1);
    expect(priceIn(answers[0]!)).toBe(7200);
  });

  it('forgets an answer when its time to live ends', async () => {
    const short = { ...noMeili, SEARCH_CACHE_TTL_MS: 50 };
    await setPriceBehindTheIndex(7300);
    const first = await searchListings(app.handle.db, short, question('黄芪 饮片'));
    await setPriceBehindTheIndex(7400);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const later = await searchListings(app.handle.db, short, question('黄芪 饮片'));
    expect(priceIn(first)).toBe(7300);
    expect(priceIn(later)).toBe(7400);
  });
});
