import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../lib/ids.ts';
import type { DbHandle } from '../../db/client.ts';
import { lot, marketCommand, stockReservation } from '../../db/schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { herbIdFor, upsertHerbMasterData } from '../catalog/herbs.seed.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import type { MarketCommandInput } from './market.core.ts';
import { addMarketLot, addMarketOrg, grantNetTermsAmong } from './market.testkit.ts';
import { bookSnapshot, clearBookCache, createInstrument, submitCommand } from './market.service.ts';

let handle: DbHandle;
let operator: Actor;
let grower: Actor;
let supplier: Actor;
let hospital: Actor;
const grades = ['ungraded', 'selected', 'graded'] as const;
const processings = ['raw', 'stir_fried', 'prepared'] as const;
let specCounter = 0;

const addOrg = (kind: string): Promise<Actor> => addMarketOrg(handle.db, kind);

type Spec = { form: 'raw'; cut: 'none'; processing: (typeof processings)[number]; grade: (typeof grades)[number] };

/** A 当归 instrument with a spec no other test used. */
async function newInstrument(): Promise<{ id: string; spec: Spec }> {
  const i = specCounter++;
  const spec: Spec = { form: 'raw', cut: 'none', processing: processings[Math.floor(i / grades.length) % processings.length]!, grade: grades[i % grades.length]! };
  const row = await createInstrument(handle.db, operator, { herbId: herbIdFor('当归'), ...spec });
  return { id: row.id, spec };
}

async function newLot(owner: Actor, spec: { form: string; cut: string; processing: string; grade: string }, quantityG: number): Promise<string> {
  return addMarketLot(handle.db, owner, '当归', spec, quantityG, '甘肃岷县');
}

async function stockOf(lotId: string) {
  const [row] = await handle.db.select({ quantityG: lot.quantityG, reservedG: lot.reservedG }).from(lot).where(eq(lot.id, lotId));
  return row!;
}

async function logCount(instrumentId: string): Promise<number> {
  const [row] = await handle.db.select({ n: count() }).from(marketCommand).where(eq(marketCommand.instrumentId, instrumentId));
  return row!.n;
}

function sell(lotId: string, qtyG: number, fenPerKg: number, tif: 'GTC' | 'IOC' = 'GTC'): MarketCommandInput {
  return { kind: 'place', idempotencyKey: newId('idem'), side: 'sell', qtyG, fenPerKg, tif, lotId };
}

function buy(qtyG: number, fenPerKg: number, tif: 'GTC' | 'IOC' = 'GTC'): MarketCommandInput {
  return { kind: 'place', idempotencyKey: newId('idem'), side: 'buy', qtyG, fenPerKg, tif, funding: 'net_terms' };
}

beforeAll(async () => {
  handle = await createTestDb();
  await upsertHerbMasterData(handle.db);
  operator = await addOrg('operator');
  grower = await addOrg('grower');
  supplier = await addOrg('supplier');
  hospital = await addOrg('hospital');
  await grantNetTermsAmong(handle.db, [grower, supplier, hospital]);
});
afterAll(async () => handle.close());

describe('sell orders backed by a lot', () => {
  it('reserves on place, releases on amend-down and cancel, and logs the lot with the command', async () => {
    const { id, spec } = await newInstrument();
    const lotId = await newLot(grower, spec, 100_000);
    const ask = await submitCommand(handle.db, grower, id, sell(lotId, 60_000, 3000));
    expect(await stockOf(lotId)).toEqual({ quantityG: 100_000, reservedG: 60_000 });
    const [logged] = await handle.db.select().from(marketCommand).where(eq(marketCommand.id, ask.commandId));
    expect(logged!.lotId).toBe(lotId);

    await submitCommand(handle.db, grower, id, { kind: 'amend', idempotencyKey: newId('idem'), orderId: ask.orderId, qtyG: 45_000 });
    expect((await stockOf(lotId)).reservedG).toBe(45_000);
    await submitCommand(handle.db, grower, id, { kind: 'cancel', idempotencyKey: newId('idem'), orderId: ask.orderId });
    expect((await stockOf(lotId)).reservedG).toBe(0);
  });

  it('a fill hands the held grams to the buyer as a reservation at the trade price; an IOC rest goes back', async () => {
    const { id, spec } = await newInstrument();
    const lotId = await newLot(grower, spec, 100_000);
    const ask = await submitCommand(handle.db, grower, id, sell(lotId, 50_000, 3000));
    const bid = await submitCommand(handle.db, hospital, id, buy(20_000, 3100));
    expect(bid.trades).toHaveLength(1);
    // Still reserved on the lot: 30 000 g resting + 20 000 g now the buyer's.
    expect(await stockOf(lotId)).toEqual({ quantityG: 100_000, reservedG: 50_000 });
    const held = await handle.db.select().from(stockReservation).where(and(eq(stockReservation.lotId, lotId), eq(stockReservation.buyerOrgId, hospital.orgId!)));
    expect(held).toEqual([expect.objectContaining({ sellerOrgId: grower.orgId, grams: 20_000, unitPriceFenPerKg: 3000, totalFen: 60_000, status: 'held', listingId: null })]);

    // A sell IOC that crosses a bid partly: the filled grams go to the buyer, the rest back to the lot.
    await submitCommand(handle.db, grower, id, { kind: 'cancel', idempotencyKey: newId('idem'), orderId: ask.orderId });
    expect((await stockOf(lotId)).reservedG).toBe(20_000);
    await submitCommand(handle.db, hospital, id, buy(10_000, 2900));
    const ioc = await submitCommand(handle.db, grower, id, sell(lotId, 25_000, 2800, 'IOC'));
    expect(ioc.trades.map((t) => t.qtyG)).toEqual([10_000]);
    expect(ioc.restingQtyG).toBe(0);
    expect((await stockOf(lotId)).reservedG).toBe(30_000);
    const all = await handle.db.select().from(stockReservation).where(eq(stockReservation.lotId, lotId));
    expect(all.map((r) => r.grams).sort((a, b) => a - b)).toEqual([10_000, 20_000]);
  });

  it('refuses a quantity above the lot\'s free stock naming qtyG, and writes and reserves nothing', async () => {
    const { id, spec } = await newInstrument();
    const lotId = await newLot(grower, spec, 10_000);
    await submitCommand(handle.db, grower, id, sell(lotId, 6000, 3000));
    await expect(submitCommand(handle.db, grower, id, sell(lotId, 4001, 3000))).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'qtyG' } });
    expect(await logCount(id)).toBe(1);
    expect((await stockOf(lotId)).reservedG).toBe(6000);
    expect(await bookSnapshot(handle.db, id)).toEqual({ bids: [], asks: [[3000, 6000]], seq: 1 });
  });

  it('refuses another organisation\'s lot, a lot of another form, and a sell without a lot', async () => {
    const { id, spec } = await newInstrument();
    const theirs = await newLot(supplier, spec, 10_000);
    await expect(submitCommand(handle.db, grower, id, sell(theirs, 1000, 3000))).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'lotId' } });
    await expect(submitCommand(handle.db, grower, id, sell('lot_missing', 1000, 3000))).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'lotId' } });
    const otherForm = await newLot(grower, { ...spec, form: spec.form === 'raw' ? 'decoction_piece' : 'raw' }, 10_000);
    await expect(submitCommand(handle.db, grower, id, sell(otherForm, 1000, 3000))).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'lotId' } });
    const { lotId: _omitted, ...naked } = sell(theirs, 1000, 3000) as MarketCommandInput & { lotId: string };
    await expect(submitCommand(handle.db, grower, id, naked)).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'lotId' } });
    expect(await logCount(id)).toBe(0);
    expect((await stockOf(theirs)).reservedG).toBe(0);
    expect((await stockOf(otherForm)).reservedG).toBe(0);
  });

  it('parallel sells on one lot never reserve more than it holds', async () => {
    const { id, spec } = await newInstrument();
    const lotId = await newLot(grower, spec, 10_000);
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => submitCommand(handle.db, grower, id, sell(lotId, 3000, 3000 + i))));
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(3);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'CONFLICT', details: { field: 'qtyG' } });
    expect(await stockOf(lotId)).toEqual({ quantityG: 10_000, reservedG: 9000 });
    expect(await logCount(id)).toBe(3);
  });

  it('a replayed idempotency key and a rebuilt book move no stock', async () => {
    const { id, spec } = await newInstrument();
    const lotId = await newLot(grower, spec, 10_000);
    const command = sell(lotId, 4000, 3000);
    const first = await submitCommand(handle.db, grower, id, command);
    expect(await submitCommand(handle.db, grower, id, { ...command })).toEqual(first);
    await expect(submitCommand(handle.db, grower, id, { ...command, lotId: await newLot(grower, spec, 10_000) })).rejects.toMatchObject({ details: { field: 'idempotencyKey' } });
    clearBookCache();
    expect(await bookSnapshot(handle.db, id)).toEqual({ bids: [], asks: [[3000, 4000]], seq: 1 });
    expect((await stockOf(lotId)).reservedG).toBe(4000);
  });
});
