/**
 * Checkout under contention: B buyers check out 1 kg each, C at a time, against one lot through the real
 * tRPC procedures (cart → checkout: stock reservation, order, lines with VAT, timeline, hash-chained
 * audit, outbox job, all in one transaction). Baseline in the same run: the bare conditional stock
 * update alone (`update lot … where quantity − reserved ≥ grams`) at the same concurrency. Then a lot
 * with less stock than asked for: exactly the stock is sold, the rest refused, nothing oversold.
 * PostgreSQL when DATABASE_URL is set (a throwaway database), else PGlite in-process.
 */
import { and, eq, sql } from 'drizzle-orm';
import { lot, order, orderLine } from '../src/server/db/schema/index.ts';
import { verifyAuditChain } from '../src/server/domains/audit/audit.service.ts';
import { upsertHerbMasterData } from '../src/server/domains/catalog/herbs.seed.ts';
import { listingInput, lotInput, productInput } from '../src/server/testing/catalog-inputs.ts';
import { createTestApp } from '../src/server/testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../src/server/testing/test-orgs.ts';
import { percentile, writeReport, type BenchRow } from './lib/report.ts';

const BUYERS = 16;
const CHECKOUTS_PER_BUYER = 25;
const GRAMS = 1000;

async function listing(seller: TestOrg, quantityG: number) {
  const product = await seller.api.catalog.createProduct(productInput);
  const created = await seller.api.catalog.createLot({ ...lotInput(`BENCH-${Date.now().toString(36)}-${quantityG}`, quantityG), productId: product.id });
  const l = await seller.api.catalog.createListing(listingInput(created.id));
  await seller.api.catalog.setListingStatus({ id: l.id, status: 'active' });
  return { lotId: created.id, listingId: l.id };
}

/** Runs `perWorker` tasks on each of `workers` in parallel; answers each task's latency in ms. */
async function run(workers: number, perWorker: number, task: (worker: number, i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; i < perWorker; i += 1) {
        const t0 = performance.now();
        if (await task(w, i)) ok += 1;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { ok, total: workers * perWorker, perSecond: (workers * perWorker) / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export default async function ordersBench() {
  const app = await createTestApp();
  try {
    await upsertHerbMasterData(app.handle.db);
    const seller = await createTestOrg(app, 'supplier', { tag: 'bench-seller' });
    const buyers: TestOrg[] = [];
    for (let i = 0; i < BUYERS; i += 1) buyers.push(await createTestOrg(app, 'hospital', { tag: `bench-buyer-${i}` }));
    const db = app.handle.db;

    // 1. Ample stock: every checkout succeeds.
    const ample = await listing(seller, BUYERS * CHECKOUTS_PER_BUYER * GRAMS * 2);
    const ours = await run(BUYERS, CHECKOUTS_PER_BUYER, async (w, i) => {
      const buyer = buyers[w]!;
      await buyer.api.orders.addToCart({ listingId: ample.listingId, grams: GRAMS });
      await buyer.api.orders.checkout({ idempotencyKey: `bench-${w}-${i}-ample`, paymentMethod: 'card' });
      return true;
    });

    // Baseline: the bare conditional reservation, same concurrency and count, on a lot of its own.
    const bare = await listing(seller, BUYERS * CHECKOUTS_PER_BUYER * GRAMS * 2);
    const baseline = await run(BUYERS, CHECKOUTS_PER_BUYER, async () => {
      const rows = await db.transaction((tx) =>
        tx
          .update(lot)
          .set({ reservedG: sql`${lot.reservedG} + ${GRAMS}` })
          .where(and(eq(lot.id, bare.lotId), sql`${lot.quantityG} - ${lot.reservedG} >= ${GRAMS}`))
          .returning({ id: lot.id }),
      );
      return rows.length === 1;
    });

    // 2. Scarce stock: 150 kg for 400 one-kilogram checkouts.
    const scarceStock = 150 * GRAMS;
    const scarce = await listing(seller, scarceStock);
    const contended = await run(BUYERS, CHECKOUTS_PER_BUYER, async (w, i) => {
      const buyer = buyers[w]!;
      try {
        await buyer.api.orders.addToCart({ listingId: scarce.listingId, grams: GRAMS });
        await buyer.api.orders.checkout({ idempotencyKey: `bench-${w}-${i}-scarce`, paymentMethod: 'card' });
        return true;
      } catch {
        await buyer.api.orders.cart().then(async (c) => {
          for (const s of c.sellers) for (const l of s.lines) await buyer.api.orders.removeCartItem({ id: l.id });
        });
        return false;
      }
    });

    const stock = async (lotId: string) => (await db.select({ reservedG: lot.reservedG, quantityG: lot.quantityG }).from(lot).where(eq(lot.id, lotId)))[0]!;
    const linesOf = async (lotId: string) =>
      Number((await db.select({ g: sql<string>`coalesce(sum(${orderLine.grams}), 0)` }).from(orderLine).innerJoin(order, eq(order.id, orderLine.orderId)).where(eq(orderLine.lotId, lotId)))[0]!.g);
    const ampleStock = await stock(ample.lotId);
    const scarceAfter = await stock(scarce.lotId);
    const audit = await verifyAuditChain(db);

    const rows: BenchRow[] = [
      { variant: 'checkout via tRPC (ample stock)', adapter: app.handle.kind, concurrency: BUYERS, ops: ours.total, succeeded: ours.ok, 'ops/s': Math.round(ours.perSecond), 'p50 ms': ours.p50, 'p99 ms': ours.p99 },
      { variant: 'bare conditional reservation (baseline)', adapter: app.handle.kind, concurrency: BUYERS, ops: baseline.total, succeeded: baseline.ok, 'ops/s': Math.round(baseline.perSecond), 'p50 ms': baseline.p50, 'p99 ms': baseline.p99 },
      { variant: 'checkout via tRPC (150 kg for 400 kg asked)', adapter: app.handle.kind, concurrency: BUYERS, ops: contended.total, succeeded: contended.ok, 'ops/s': Math.round(contended.perSecond), 'p50 ms': contended.p50, 'p99 ms': contended.p99 },
    ];
    writeReport({
      name: 'orders',
      description: `Checkout under contention: ${BUYERS} buyers × ${CHECKOUTS_PER_BUYER} one-kilogram checkouts on one lot (add to cart + checkout, each checkout one transaction with reservation, order, VAT lines, timeline, audit and outbox), against the bare conditional stock update.`,
      rows,
      ratios: { 'checkout ÷ bare reservation (ops/s)': ours.perSecond / baseline.perSecond },
      checks: {
        'ample: reserved = ordered grams': ampleStock.reservedG === (await linesOf(ample.lotId)) && ampleStock.reservedG === ours.ok * GRAMS,
        'scarce: sold exactly the stock': contended.ok === scarceStock / GRAMS,
        'scarce: reserved = ordered grams ≤ stock': scarceAfter.reservedG === (await linesOf(scarce.lotId)) && scarceAfter.reservedG <= scarceAfter.quantityG,
        'audit chain verifies': audit.ok,
      },
    });
  } finally {
    await app.close();
  }
}
