import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as addToCartRoute from '../../app/api/bench/add-to-cart/route.ts';
import * as catalogSearchRoute from '../../app/api/bench/catalog-search/route.ts';
import * as checkoutRoute from '../../app/api/bench/checkout/route.ts';
import * as floorRoute from '../../app/api/bench/floor/route.ts';
import * as prescriptionsRoute from '../../app/api/bench/prescriptions/route.ts';
import type { Auth } from '../auth/auth.ts';
import type { DbHandle } from '../db/client.ts';
import { upsertHerbMasterData } from '../domains/catalog/herbs.seed.ts';
import { resetEnvCache } from '../env.ts';
import { appJobs } from '../jobs/registry.ts';
import { createJobRunner } from '../jobs/runner.ts';
import { listingInput, lotInput, productInput } from '../testing/catalog-inputs.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createTestOrg } from '../testing/test-orgs.ts';

let app: TestApp;
const servicesGlobal = globalThis as unknown as { __bencaoServices?: Promise<{ handle: DbHandle; auth: Auth }> };
let previousServices: (typeof servicesGlobal)['__bencaoServices'];

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  // The route handlers take their database and auth from `services()`: point it at this test's.
  previousServices = servicesGlobal.__bencaoServices;
  servicesGlobal.__bencaoServices = Promise.resolve({ handle: app.handle, auth: app.auth });
}, 120_000);
afterAll(async () => {
  servicesGlobal.__bencaoServices = previousServices;
  delete process.env.BENCAO_BENCH_ROUTES;
  resetEnvCache();
  await app.close();
});

function withBenchRoutes(value: '0' | '1' | undefined) {
  if (value === undefined) delete process.env.BENCAO_BENCH_ROUTES;
  else process.env.BENCAO_BENCH_ROUTES = value;
  resetEnvCache();
}

const url = (path: string) => `http://localhost/api/bench/${path}`;
const post = (path: string, body: unknown, headers: Headers = new Headers()) =>
  new Request(url(path), { method: 'POST', headers: { ...Object.fromEntries(headers), 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the load benchmark’s bare route handlers (/api/bench/…)', () => {
  it('answer 404 unless BENCAO_BENCH_ROUTES=1', async () => {
    for (const value of [undefined, '0'] as const) {
      withBenchRoutes(value);
      expect((await catalogSearchRoute.GET(new Request(url('catalog-search?q=hq')))).status).toBe(404);
      expect(floorRoute.GET().status).toBe(404);
      expect((await addToCartRoute.POST(post('add-to-cart', {}))).status).toBe(404);
      expect((await checkoutRoute.POST(post('checkout', {}))).status).toBe(404);
      expect((await prescriptionsRoute.POST(post('prescriptions', {}))).status).toBe(404);
    }
  });

  it('check the caller as the tRPC endpoint does and answer what the procedures answer', async () => {
    withBenchRoutes('1');
    // The floor answers anyone a fixed body: it measures Next alone.
    const floor = floorRoute.GET();
    expect(floor.status).toBe(200);
    expect(await floor.json()).toEqual({ ok: true });
    expect((await catalogSearchRoute.GET(new Request(url('catalog-search?q=hq')))).status).toBe(401);
    expect((await prescriptionsRoute.POST(post('prescriptions', {}))).status).toBe(401);

    const seller = await createTestOrg(app, 'supplier', { tag: 'bench-rt' });
    const buyer = await createTestOrg(app, 'pharmacy', { tag: 'bench-rt' });
    const product = await seller.api.catalog.createProduct(productInput);
    const lot = await seller.api.catalog.createLot({ ...lotInput(`BENCH-RT-${randomBytes(3).toString('hex')}`), productId: product.id });
    const listing = await seller.api.catalog.createListing(listingInput(lot.id));
    await seller.api.catalog.setListingStatus({ id: listing.id, status: 'active' });
    await createJobRunner({ db: app.handle.db, registry: appJobs }).drainOnce?.();

    const bare = await catalogSearchRoute.GET(new Request(url('catalog-search?q=hq&limit=100'), { headers: buyer.headers }));
    expect(bare.status).toBe(200);
    const viaTrpc = await buyer.api.catalog.search({ q: 'hq', limit: 100 });
    expect(viaTrpc.items.map((i) => i.id)).toContain(listing.id);
    expect(await bare.json()).toEqual(viaTrpc);

    expect((await addToCartRoute.POST(post('add-to-cart', { listingId: listing.id, grams: 0 }, buyer.headers))).status).toBe(400);
    expect((await addToCartRoute.POST(post('add-to-cart', { listingId: listing.id, grams: 2000 }, buyer.headers))).status).toBe(200);
    const checkout = await checkoutRoute.POST(post('checkout', { idempotencyKey: 'bench-route-test-1' }, buyer.headers));
    expect(checkout.status).toBe(200);
    const placed = (await checkout.json()) as { replayed: boolean; orders: { sellerOrgId: string }[] };
    expect(placed).toMatchObject({ replayed: false, orders: [{ sellerOrgId: seller.id }] });
    // The same key over tRPC answers the first result.
    expect(await buyer.api.orders.checkout({ idempotencyKey: 'bench-route-test-1' })).toEqual({ ...placed, replayed: true });
  });
});
