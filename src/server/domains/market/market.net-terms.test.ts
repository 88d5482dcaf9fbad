import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../lib/ids.ts';
import { sqlRows, type DbHandle } from '../../db/client.ts';
import { creditLine, invoice, lot, marketCommand, marketFunding } from '../../db/schema/index.ts';
import { herbIdFor } from '../catalog/herbs.seed.ts';
import { outstandingFen } from '../orders/credit.repo.ts';
import { checkNetTermsExposure } from '../orders/net-terms-owed.service.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import type { MarketCommandInput } from './market.core.ts';
import { addMarketLot, addMarketOrg, marketParties } from './market.testkit.ts';
import { bookSnapshot, clearBookCache, createInstrument, submitCommand } from './market.service.ts';

/**
 * Net-terms buys hold credit while they rest, and a replayed idempotency key must ask for the same
 * funding, constraints and expiry. The seller grants the buyer ¥1,000.00 (100,000 fen) of terms.
 */
let handle: DbHandle;
let operator: Actor;
let seller: Actor;
let buyer: Actor;
let sellerLot: string;
let instrumentId: string;
const spec = { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' } as const;
const LIMIT_FEN = 100_000;

function buy(qtyG: number, fenPerKg: number, extra: Partial<MarketCommandInput & { kind: 'place' }> = {}): MarketCommandInput {
  return { kind: 'place', idempotencyKey: newId('idem'), side: 'buy', qtyG, fenPerKg, tif: 'GTC', funding: 'net_terms', ...extra } as MarketCommandInput;
}

function sell(qtyG: number, fenPerKg: number): MarketCommandInput {
  return { kind: 'place', idempotencyKey: newId('idem'), side: 'sell', qtyG, fenPerKg, tif: 'GTC', lotId: sellerLot };
}

const cancel = (orderId: string): MarketCommandInput => ({ kind: 'cancel', idempotencyKey: newId('idem'), orderId });

async function fundingStatus(orderId: string) {
  const [row] = await handle.db.select({ status: marketFunding.status }).from(marketFunding).where(eq(marketFunding.orderId, orderId));
  return row?.status;
}

beforeAll(async () => {
  ({ handle, operator, seller, buyer } = await marketParties());
  sellerLot = await addMarketLot(handle.db, seller, '黄芪', spec, 10_000_000, '甘肃陇西');
  await handle.db.insert(creditLine).values({ id: newId('crl'), sellerOrgId: seller.orgId!, buyerOrgId: buyer.orgId!, limitFen: LIMIT_FEN, termDays: 30 });
  instrumentId = (await createInstrument(handle.db, operator, { herbId: herbIdFor('黄芪'), ...spec })).id;
});
afterAll(async () => handle.close());
// The exposure read from running totals and the buys' recorded sellers equals the exposure summed afresh
// from the orders, trades and place commands, whatever each test did.
afterEach(async () => {
  expect((await checkNetTermsExposure(handle.db)).differ).toEqual([]);
});

describe('net-terms buys hold credit while they rest', () => {
  it('a resting buy counts its notional against the line; a second one that would pass the limit is refused until the first is cancelled', async () => {
    // 20 kg at ¥30.00/kg = ¥600.00 rests (no sell yet).
    const first = await submitCommand(handle.db, buyer, instrumentId, buy(20_000, 3000));
    expect(first.restingQtyG).toBe(20_000);
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(60_000);
    await expect(submitCommand(handle.db, buyer, instrumentId, buy(20_000, 3000))).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', details: { field: 'funding' } });
    // ¥400.00 still fits.
    const small = await submitCommand(handle.db, buyer, instrumentId, buy(10_000, 4000));
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(100_000);
    await submitCommand(handle.db, buyer, instrumentId, cancel(first.orderId));
    expect(await fundingStatus(first.orderId)).toBe('released');
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(40_000);
    const second = await submitCommand(handle.db, buyer, instrumentId, buy(20_000, 3000));
    expect(second.restingQtyG).toBe(20_000);
    await submitCommand(handle.db, buyer, instrumentId, cancel(second.orderId));
    await submitCommand(handle.db, buyer, instrumentId, cancel(small.orderId));
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(0);
  });

  it('two buys in one batch cannot share the last of the limit', async () => {
    // The writer takes the first command alone; the two buys queue behind it and go in the next batch together.
    const [, ...answers] = await Promise.allSettled([
      submitCommand(handle.db, seller, instrumentId, cancel('mor_unknown')),
      submitCommand(handle.db, buyer, instrumentId, buy(20_000, 3000)),
      submitCommand(handle.db, buyer, instrumentId, buy(20_000, 3000)),
    ]);
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'rejected').map((a) => (a as PromiseRejectedResult).reason)).toMatchObject([{ code: 'PRECONDITION_FAILED', details: { field: 'funding' } }]);
    const placed = answers.find((a) => a.status === 'fulfilled') as PromiseFulfilledResult<{ orderId: string }>;
    await submitCommand(handle.db, buyer, instrumentId, cancel(placed.value.orderId));
  });

  it('a filled buy stops holding its notional; its trade counts at the trade price until its order is written', async () => {
    await submitCommand(handle.db, seller, instrumentId, sell(10_000, 2500));
    // 10 kg at ¥30.00 limit fills at the resting ¥25.00: ¥250.00 traded on terms.
    const filled = await submitCommand(handle.db, buyer, instrumentId, buy(10_000, 3000, { tif: 'IOC' }));
    expect(filled.trades).toMatchObject([{ qtyG: 10_000, fenPerKg: 2500 }]);
    expect(await fundingStatus(filled.orderId)).toBe('released');
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(25_000);
    // ¥750.00 of room is left: ¥760.00 is refused, ¥750.00 fits.
    await expect(submitCommand(handle.db, buyer, instrumentId, buy(19_000, 4000))).rejects.toMatchObject({ details: { field: 'funding' } });
    const rest = await submitCommand(handle.db, buyer, instrumentId, buy(15_000, 5000));
    await submitCommand(handle.db, buyer, instrumentId, cancel(rest.orderId));
  });
});

describe('an amend-down of a resting net-terms buy', () => {
  it('gives back the credit of the grams taken off at once, and a cancel after it gives back the rest', async () => {
    const base = await outstandingFen(handle.db, seller.orgId!, buyer.orgId!);
    // 20 kg at ¥30.00 = ¥600.00 rests; another ¥600.00 does not fit beside it.
    const first = await submitCommand(handle.db, buyer, instrumentId, buy(20_000, 3000));
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(base + 60_000);
    await expect(submitCommand(handle.db, buyer, instrumentId, buy(20_000, 3000))).rejects.toMatchObject({ details: { field: 'funding' } });
    // Down to 5 kg: it holds ¥150.00, and the second ¥600.00 fits now.
    const amended = await submitCommand(handle.db, buyer, instrumentId, { kind: 'amend', idempotencyKey: newId('idem'), orderId: first.orderId, qtyG: 5_000 });
    expect(amended.restingQtyG).toBe(5_000);
    const [funding] = await handle.db.select({ amountFen: marketFunding.amountFen, status: marketFunding.status }).from(marketFunding).where(eq(marketFunding.orderId, first.orderId));
    expect(funding).toEqual({ amountFen: 15_000, status: 'on_terms' });
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(base + 15_000);
    const second = await submitCommand(handle.db, buyer, instrumentId, buy(20_000, 3000));
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(base + 75_000);
    await submitCommand(handle.db, buyer, instrumentId, cancel(first.orderId));
    await submitCommand(handle.db, buyer, instrumentId, cancel(second.orderId));
    expect(await outstandingFen(handle.db, seller.orgId!, buyer.orgId!)).toBe(base);
  });
});

describe('resting buys that may match different sets of sellers', () => {
  it('each holds against every seller it may match, and only those', async () => {
    const second = await addMarketOrg(handle.db, 'grower');
    const secondLine = newId('crl');
    await handle.db.insert(creditLine).values({ id: secondLine, sellerOrgId: second.orgId!, buyerOrgId: buyer.orgId!, limitFen: LIMIT_FEN, termDays: 30 });
    const owed = async () => [await outstandingFen(handle.db, seller.orgId!, buyer.orgId!), await outstandingFen(handle.db, second.orgId!, buyer.orgId!)];
    const [firstBefore, secondBefore] = await owed();
    // ¥10.00 may match either seller; then, with only the first seller left, ¥20.00 and ¥5.00 may match only it.
    const both = await submitCommand(handle.db, buyer, instrumentId, buy(1_000, 1000));
    await handle.db.delete(creditLine).where(eq(creditLine.id, secondLine));
    const onlyFirst = await submitCommand(handle.db, buyer, instrumentId, buy(2_000, 1000));
    const onlyFirstToo = await submitCommand(handle.db, buyer, instrumentId, buy(1_000, 500));
    expect(await owed()).toEqual([firstBefore! + 1_000 + 2_000 + 500, secondBefore! + 1_000]);
    for (const placed of [both, onlyFirst, onlyFirstToo]) await submitCommand(handle.db, buyer, instrumentId, cancel(placed.orderId));
    expect(await owed()).toEqual([firstBefore, secondBefore]);
  });
});

describe('an overdue invoice', () => {
  it('stops net-terms buys from that seller until it is paid; a line with another seller still buys', async () => {
    const other = await addMarketOrg(handle.db, 'grower');
    await handle.db.insert(creditLine).values({ id: newId('crl'), sellerOrgId: other.orgId!, buyerOrgId: buyer.orgId!, limitFen: LIMIT_FEN, termDays: 30 });
    const invoiceId = newId('ivc');
    // The invoice's order is not what this test is about: written without its foreign keys checked.
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.insert(invoice).values({ id: invoiceId, orderId: newId('ord'), sellerOrgId: seller.orgId!, buyerOrgId: buyer.orgId!, amountFen: 1_000, taxFen: 0, status: 'overdue', issuedAt: new Date(), dueAt: new Date() });
    });
    // Only the other seller may fill it now.
    const placed = await submitCommand(handle.db, buyer, instrumentId, buy(1_000, 1000));
    const [logged] = await handle.db.select({ command: marketCommand.command }).from(marketCommand).where(eq(marketCommand.orderId, placed.orderId));
    expect((logged?.command as { constraints?: { sellers?: string[] } }).constraints?.sellers).toEqual([other.orgId]);
    await submitCommand(handle.db, buyer, instrumentId, cancel(placed.orderId));
    await handle.db.delete(creditLine).where(eq(creditLine.sellerOrgId, other.orgId!));
    await expect(submitCommand(handle.db, buyer, instrumentId, buy(1_000, 1000))).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', details: { field: 'funding' } });
    await handle.db.update(invoice).set({ status: 'paid', paidAt: new Date() }).where(eq(invoice.id, invoiceId));
    const after = await submitCommand(handle.db, buyer, instrumentId, buy(1_000, 1000));
    await submitCommand(handle.db, buyer, instrumentId, cancel(after.orderId));
  });
});

describe('a replayed idempotency key', () => {
  it('answers the first answer only when funding, constraints and expiry are the same', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const first = buy(1_000, 1000, { constraints: { origins: ['甘肃', '内蒙古'], minGrade: 'ungraded' }, expiresAt });
    const answer = await submitCommand(handle.db, buyer, instrumentId, first);
    // The same request, written differently: origins reordered and repeated, the expiry in China time.
    const chinaTime = new Date(new Date(expiresAt).getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    await expect(submitCommand(handle.db, buyer, instrumentId, { ...first, constraints: { origins: ['内蒙古', '甘肃', '甘肃'], minGrade: 'ungraded' }, expiresAt: chinaTime })).resolves.toEqual(answer);
    for (const changed of [{ funding: 'card' as const }, { constraints: { origins: ['甘肃'], minGrade: 'ungraded' as const } }, { constraints: { origins: ['甘肃', '内蒙古'], minGrade: 'selected' as const } }, { expiresAt: undefined }]) {
      await expect(submitCommand(handle.db, buyer, instrumentId, { ...first, ...changed })).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'idempotencyKey' } });
    }
    await submitCommand(handle.db, buyer, instrumentId, cancel(answer.orderId));
  });
});

describe('a cache behind the log', () => {
  it('a cancel of a sell the cached book does not know still gives its lot back (the batch runs again with the lot locked)', async () => {
    const [before] = await handle.db.select({ reservedG: lot.reservedG }).from(lot).where(eq(lot.id, sellerLot));
    const ask = await submitCommand(handle.db, seller, instrumentId, sell(3_000, 9000));
    clearBookCache();
    await submitCommand(handle.db, seller, instrumentId, cancel(ask.orderId));
    const [after] = await handle.db.select({ reservedG: lot.reservedG }).from(lot).where(eq(lot.id, sellerLot));
    expect(after!.reservedG).toBe(before!.reservedG);
    expect((await bookSnapshot(handle.db, instrumentId)).asks.find(([price]) => price === 9000)).toBeUndefined();
  });
});

// Needs two connections at once, which the in-memory PGlite of a run without DATABASE_URL does not have.
describe.skipIf(!process.env.DATABASE_URL)('a sell filling a resting net-terms buy, beside an order being written for the same buyer and seller', () => {
  it('neither waits for the other for good: the lot is locked against updates, not against rows that refer to it', async () => {
    // What the market.trade-orders job does for an earlier trade of the pair, in its order: the buyer's order
    // (net terms) adds to the pair's owed total, then its line refers to the sell's lot (a foreign-key check).
    const buyOrder = await submitCommand(handle.db, buyer, instrumentId, buy(1_000, 9_900));
    let releaseJob!: () => void;
    const jobMayFinish = new Promise<void>((resolve) => (releaseJob = resolve));
    let jobHoldsTotal!: () => void;
    const totalHeld = new Promise<void>((resolve) => (jobHoldsTotal = resolve));
    const job = handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into net_terms_owed (buyer_org_id, seller_org_id, fen) values (${buyer.orgId}, ${seller.orgId}, 0)
        on conflict (buyer_org_id, seller_org_id) do update set fen = net_terms_owed.fen`);
      jobHoldsTotal();
      await jobMayFinish;
      await tx.execute(sql`insert into stock_reservation (id, lot_id, seller_org_id, buyer_org_id, grams, unit_price_fen_per_kg, total_fen, idempotency_key, status)
        values (${newId('rsv')}, ${sellerLot}, ${seller.orgId}, ${buyer.orgId}, 1, 9900, 10, ${newId('idem')}, 'released')`);
      tx.rollback();
    });
    const jobDone = job.then(
      () => 'committed',
      (error: unknown) => ((error as Error).message.includes('Rollback') ? 'rolled back' : `failed: ${(error as Error).message}`),
    );
    await totalHeld;
    // The sell locks its lot, matches the buy, and its trade waits for the pair's total the job holds.
    const filling = submitCommand(handle.db, seller, instrumentId, sell(1_000, 9_900)).then(
      (answer) => answer,
      (error: unknown) => error as Error,
    );
    await waitForLockWait();
    releaseJob();
    expect(await jobDone).toBe('rolled back');
    const answer = await filling;
    expect(answer).toMatchObject({ trades: [{ qtyG: 1_000, fenPerKg: 9_900, buyOrderId: buyOrder.orderId }] });
  });
});

/** Resolves once some backend of the test database waits for a row lock (at most 10 s). */
async function waitForLockWait(): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const rows = await sqlRows(handle.db, sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no backend waited for a lock within 10 s');
}
