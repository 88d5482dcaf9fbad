import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../lib/ids.ts';
import { lot, member, stockReservation } from '../../../db/schema/index.ts';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { createInstrument } from '../../../domains/market/market.service.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';

// The market procedures over real sessions and the database: permissions, org scoping, lot backing.
let app: TestApp;
let grower: TestOrg;
let hospital: TestOrg;
let otherHospital: TestOrg;
let physician: Awaited<ReturnType<TestApp['caller']>>;
let instrumentId: string;
let lotId: string;
const spec = { form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'selected' } as const;

function key(): string {
  return `mkt-${randomBytes(6).toString('hex')}`;
}

async function reservedOf(id: string): Promise<number> {
  const [row] = await app.handle.db.select({ reservedG: lot.reservedG }).from(lot).where(eq(lot.id, id));
  return row!.reservedG;
}

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  grower = await createTestOrg(app, 'grower', { tag: 'mkt-grower' });
  hospital = await createTestOrg(app, 'hospital', { tag: 'mkt-hosp' });
  otherHospital = await createTestOrg(app, 'hospital', { tag: 'mkt-hosp2' });
  const op = await app.signUp(`mkt-op-${randomBytes(3).toString('hex')}@example.cn`);
  const opOrg = await app.makeOperator(op.userId);
  instrumentId = (await createInstrument(app.handle.db, { userId: op.userId, orgId: opOrg }, { herbId: herbIdFor('黄芪'), ...spec })).id;
  const product = await grower.api.catalog.createProduct({ herbId: herbIdFor('黄芪'), ...spec, origin: '甘肃陇西', daoDi: true });
  lotId = (await grower.api.catalog.createLot({ batchNo: `HQ-${randomBytes(3).toString('hex')}`, quantityG: 50_000, productionDate: '2025-10-01', expiryDate: '2027-09-30', productId: product.id })).id;
  // A physician of the hospital: a member without market:trade.
  const doc = await app.signUp(`mkt-doc-${randomBytes(3).toString('hex')}@example.cn`);
  await app.handle.db.insert(member).values({ id: newId('member'), organizationId: hospital.id, userId: doc.userId, role: 'physician' });
  physician = await app.caller(doc.headers);
});
afterAll(async () => app.close());

describe('market procedures', () => {
  it('a grower sells from its lot, a hospital buys; book, last price, orders and trades follow', async () => {
    expect(await hospital.api.market.instruments()).toContainEqual(expect.objectContaining({ id: instrumentId, name: '黄芪 饮片 片 生 选货', lastFenPerKg: null }));
    const ask = await grower.api.market.place({ instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 30_000, fenPerKg: 6000, lotId });
    expect(ask).toMatchObject({ kind: 'place', restingQtyG: 30_000, trades: [] });
    expect(await reservedOf(lotId)).toBe(30_000);
    expect(await hospital.api.market.book({ instrumentId })).toMatchObject({ bids: [], asks: [[6000, 30_000]] });

    const bid = await hospital.api.market.place({ instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 10_000, fenPerKg: 6100 });
    expect(bid.trades).toEqual([expect.objectContaining({ buyerOrgId: hospital.id, sellerOrgId: grower.id, qtyG: 10_000, fenPerKg: 6000 })]);
    expect(await hospital.api.market.instruments()).toContainEqual(expect.objectContaining({ id: instrumentId, lastFenPerKg: 6000 }));
    expect(await hospital.api.market.myTrades()).toEqual([expect.objectContaining({ side: 'buy', orderId: bid.orderId, counterpartyOrgId: grower.id, grams: 10_000, totalFen: 60_000 })]);
    expect(await grower.api.market.myTrades()).toEqual([expect.objectContaining({ side: 'sell', orderId: ask.orderId, counterpartyOrgId: hospital.id })]);
    expect(await grower.api.market.myOrders()).toEqual([expect.objectContaining({ orderId: ask.orderId, side: 'sell', lotId, filledG: 10_000, openG: 20_000 })]);
    expect(await otherHospital.api.market.myTrades()).toEqual([]);
    const [held] = await app.handle.db.select().from(stockReservation).where(eq(stockReservation.lotId, lotId));
    expect(held).toMatchObject({ buyerOrgId: hospital.id, grams: 10_000, status: 'held' });

    expect(await grower.api.market.amend({ instrumentId, idempotencyKey: key(), orderId: ask.orderId, qtyG: 5000 })).toMatchObject({ restingQtyG: 5000 });
    expect(await reservedOf(lotId)).toBe(15_000);
    expect(await grower.api.market.cancel({ instrumentId, idempotencyKey: key(), orderId: ask.orderId })).toMatchObject({ restingQtyG: 0 });
    expect(await reservedOf(lotId)).toBe(10_000);
    expect(await hospital.api.market.book({ instrumentId })).toMatchObject({ bids: [], asks: [] });
  });

  it('commands need market:trade; reading the market does not', async () => {
    expect(await physician.market.instruments()).toContainEqual(expect.objectContaining({ id: instrumentId }));
    expect(await errorOf(() => physician.market.place({ instrumentId, idempotencyKey: key(), side: 'buy', qtyG: 1000, fenPerKg: 5000 }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => physician.market.myOrders())).toMatchObject({ data: { code: 'FORBIDDEN' } });
    const anonymous = await app.caller(new Headers());
    expect(await errorOf(() => anonymous.market.book({ instrumentId }))).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('another organisation can neither cancel or amend an order nor sell from a lot it does not hold', async () => {
    const ask = await grower.api.market.place({ instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 2000, fenPerKg: 7000, lotId });
    expect(await errorOf(() => otherHospital.api.market.cancel({ instrumentId, idempotencyKey: key(), orderId: ask.orderId }))).toMatchObject({ data: { code: 'FORBIDDEN', field: 'orderId' } });
    expect(await errorOf(() => otherHospital.api.market.amend({ instrumentId, idempotencyKey: key(), orderId: ask.orderId, qtyG: 1000 }))).toMatchObject({ data: { code: 'FORBIDDEN', field: 'orderId' } });
    expect(await errorOf(() => hospital.api.market.place({ instrumentId, idempotencyKey: key(), side: 'sell', qtyG: 1000, fenPerKg: 7000, lotId }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'lotId' } });
    expect(await hospital.api.market.book({ instrumentId })).toMatchObject({ asks: [[7000, 2000]] });
    await grower.api.market.cancel({ instrumentId, idempotencyKey: key(), orderId: ask.orderId });
  });

  it('bad input is refused naming the field, with a translated message', async () => {
    const base = { instrumentId, idempotencyKey: key(), side: 'sell' as const, qtyG: 1000, fenPerKg: 6000, lotId };
    expect(await errorOf(() => grower.api.market.place({ ...base, qtyG: 1.5 }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'qtyG' } });
    expect(await errorOf(() => grower.api.market.place({ ...base, fenPerKg: 0 }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'fenPerKg' } });
    const { lotId: _lot, ...naked } = base;
    expect(await errorOf(() => grower.api.market.place(naked))).toMatchObject({ data: { field: 'lotId' } });
    const before = await reservedOf(lotId);
    const tooMuch = await errorOf(() => grower.api.market.place({ ...base, qtyG: 50_000 - before + 1 }));
    expect(tooMuch).toMatchObject({ data: { code: 'CONFLICT', field: 'qtyG' } });
    expect(tooMuch.message).toContain(String(50_000 - before));
    expect(tooMuch.message).not.toMatch(/^market\./);
    expect(await reservedOf(lotId)).toBe(before);
    expect(await errorOf(() => grower.api.market.book({ instrumentId: 'ins_missing' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'instrumentId' } });
  });
});
