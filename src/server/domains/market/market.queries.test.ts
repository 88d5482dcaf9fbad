import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../lib/ids.ts';
import type { DbHandle } from '../../db/client.ts';
import { lot, marketTrade, organization } from '../../db/schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { herbIdFor, upsertHerbMasterData } from '../catalog/herbs.seed.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import { instrumentOhlc, instrumentQuote, instrumentQuotes, recentTrades, sellableLots, tradeCounterparties } from './market.queries.ts';
import { createInstrument } from './market.service.ts';
import { addMarketLot, addMarketOrg } from './market.testkit.ts';

// The market's read side over a real database: trades are written as the order log writes them
// (`market_trade` rows with their sequence), so the queries are tested apart from the matching path.
let handle: DbHandle;
let operator: Actor;
let grower: Actor;
let hospital: Actor;
let stranger: Actor;
let huangqi: string; // 黄芪 药材 生 统货
let danggui: string; // 当归 药材 生 选货
let quiet: string; // 党参 药材 生 统货, never traded
const raw = { form: 'raw', cut: 'none', processing: 'raw' } as const;

let seq = 0;
/** A trade of `instrumentId` at `iso`, appended in log order (one trade per command). */
async function trade(instrumentId: string, iso: string, fenPerKg: number, grams: number, buyer: Actor = hospital, seller: Actor = grower): Promise<string> {
  seq += 1;
  const id = newId('mtr');
  await handle.db.insert(marketTrade).values({
    id,
    instrumentId,
    seq,
    ordinal: 0,
    buyerOrgId: buyer.orgId!,
    sellerOrgId: seller.orgId!,
    buyOrderId: newId('mor'),
    sellOrderId: newId('mor'),
    fenPerKg,
    grams,
    at: new Date(iso),
    onNetTerms: false,
  });
  return id;
}

async function nameOf(actor: Actor): Promise<string> {
  const [row] = await handle.db.select({ name: organization.name }).from(organization).where(eq(organization.id, actor.orgId!));
  return row!.name;
}

beforeAll(async () => {
  handle = await createTestDb();
  await upsertHerbMasterData(handle.db);
  operator = await addMarketOrg(handle.db, 'operator');
  grower = await addMarketOrg(handle.db, 'grower');
  hospital = await addMarketOrg(handle.db, 'hospital');
  stranger = await addMarketOrg(handle.db, 'pharmacy');
  huangqi = (await createInstrument(handle.db, operator, { herbId: herbIdFor('黄芪'), ...raw, grade: 'ungraded' })).id;
  danggui = (await createInstrument(handle.db, operator, { herbId: herbIdFor('当归'), ...raw, grade: 'selected' })).id;
  quiet = (await createInstrument(handle.db, operator, { herbId: herbIdFor('党参'), ...raw, grade: 'ungraded' })).id;
  // 黄芪: 1 March closes at 60.00 ¥/kg; 2 March (China time) trades at 61.00 then 61.50.
  await trade(huangqi, '2026-03-01T02:00:00Z', 5900, 1000);
  await trade(huangqi, '2026-03-01T15:59:59Z', 6000, 2000); // 23:59:59 on 1 March in Shanghai
  await trade(huangqi, '2026-03-01T16:00:00Z', 6100, 3000); // 00:00 on 2 March in Shanghai
  await trade(huangqi, '2026-03-02T03:00:00Z', 6150, 500);
  await trade(danggui, '2026-03-02T03:30:00Z', 9600, 4000, stranger, grower);
});
afterAll(async () => handle.close());

describe('quotes', () => {
  it('last price and change against the previous China-time day’s close', async () => {
    const now = new Date('2026-03-02T06:00:00Z');
    expect(await instrumentQuote(handle.db, huangqi, now)).toMatchObject({ id: huangqi, name: '黄芪 药材 生 统货', status: 'active', lastFenPerKg: 6150, prevCloseFenPerKg: 6000, changeFenPerKg: 150, changeBp: 250 });
    // The next day without trades: the last price is the previous close, no change.
    expect(await instrumentQuote(handle.db, huangqi, new Date('2026-03-03T06:00:00Z'))).toMatchObject({ lastFenPerKg: 6150, prevCloseFenPerKg: 6150, changeFenPerKg: 0, changeBp: 0 });
    // Only today's trades: a last price, nothing to compare with.
    expect(await instrumentQuote(handle.db, danggui, now)).toMatchObject({ lastFenPerKg: 9600, prevCloseFenPerKg: null, changeFenPerKg: null });
    const all = await instrumentQuotes(handle.db, now);
    expect(all.map((q) => q.id)).toEqual(expect.arrayContaining([huangqi, danggui, quiet]));
    expect(all.find((q) => q.id === quiet)).toMatchObject({ lastFenPerKg: null, lastTradeAt: null, changeFenPerKg: null });
    expect(all.find((q) => q.id === huangqi)).toMatchObject({ lastFenPerKg: 6150, changeFenPerKg: 150 });
    await expect(instrumentQuote(handle.db, 'ins_missing', now)).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'instrumentId' } });
  });
});

describe('recent trades', () => {
  it('newest first; price, grams and time for everyone, the parties told only to the parties', async () => {
    const forStranger = await recentTrades(handle.db, huangqi, stranger.orgId!);
    expect(forStranger.map((t) => [t.fenPerKg, t.grams])).toEqual([
      [6150, 500],
      [6100, 3000],
      [6000, 2000],
      [5900, 1000],
    ]);
    expect(forStranger.every((t) => t.mySide === null && t.counterpartyName === null)).toBe(true);
    const leaked = JSON.stringify(forStranger);
    for (const party of [grower, hospital]) {
      expect(leaked).not.toContain(party.orgId!);
      expect(leaked).not.toContain(await nameOf(party));
    }
    const forBuyer = await recentTrades(handle.db, huangqi, hospital.orgId!, 2);
    expect(forBuyer).toEqual([
      expect.objectContaining({ fenPerKg: 6150, mySide: 'buy', counterpartyName: await nameOf(grower) }),
      expect.objectContaining({ fenPerKg: 6100, mySide: 'buy' }),
    ]);
    expect((await recentTrades(handle.db, huangqi, grower.orgId!, 1))[0]).toMatchObject({ mySide: 'sell', counterpartyName: await nameOf(hospital) });
    expect(await recentTrades(handle.db, quiet, hospital.orgId!)).toEqual([]);
    await expect(recentTrades(handle.db, 'ins_missing', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the organisations a member traded with, and no one else’s', async () => {
    expect(await tradeCounterparties(handle.db, hospital.orgId!)).toEqual([{ orgId: grower.orgId, name: await nameOf(grower) }]);
    expect((await tradeCounterparties(handle.db, grower.orgId!)).map((c) => c.orgId).sort()).toEqual([hospital.orgId, stranger.orgId].sort());
    expect(await tradeCounterparties(handle.db, operator.orgId!)).toEqual([]);
  });
});

describe('daily candles', () => {
  it('China-time days: a trade at 16:00 UTC belongs to the next day', async () => {
    const ohlc = await instrumentOhlc(handle.db, { instrumentId: huangqi, from: '2026-03-01', to: '2026-03-02' });
    expect(ohlc).toMatchObject({ instrument: { id: huangqi, name: '黄芪 药材 生 统货' }, from: '2026-03-01', to: '2026-03-02', timeZone: 'Asia/Shanghai' });
    expect(ohlc.days).toEqual([
      { day: '2026-03-01', openFenPerKg: 5900, highFenPerKg: 6000, lowFenPerKg: 5900, closeFenPerKg: 6000, volumeG: 3000, turnoverFen: 5900 + 12_000, trades: 2 },
      { day: '2026-03-02', openFenPerKg: 6100, highFenPerKg: 6150, lowFenPerKg: 6100, closeFenPerKg: 6150, volumeG: 3500, turnoverFen: 18_300 + 3075, trades: 2 },
    ]);
  });

  it('only the days asked for; an empty range has no candles', async () => {
    expect((await instrumentOhlc(handle.db, { instrumentId: huangqi, from: '2026-03-02', to: '2026-03-02' })).days.map((d) => d.day)).toEqual(['2026-03-02']);
    expect((await instrumentOhlc(handle.db, { instrumentId: huangqi, from: '2026-02-01', to: '2026-02-28' })).days).toEqual([]);
    expect((await instrumentOhlc(handle.db, { instrumentId: quiet, from: '2026-03-01', to: '2026-03-02' })).days).toEqual([]);
  });

  it('refuses a bad range naming the field, and an unknown instrument', async () => {
    await expect(instrumentOhlc(handle.db, { instrumentId: huangqi, from: '2026-03-02', to: '2026-03-01' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'to' } });
    await expect(instrumentOhlc(handle.db, { instrumentId: huangqi, from: '2026-02-31' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'from' } });
    await expect(instrumentOhlc(handle.db, { instrumentId: huangqi, from: '2024-01-01', to: '2026-03-01' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'to' } });
    await expect(instrumentOhlc(handle.db, { instrumentId: 'ins_missing', from: '2026-03-01', to: '2026-03-02' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'instrumentId' } });
  });
});

describe('sellable lots', () => {
  it('the caller’s own lots of the spec, grade equal or better, with free grams, not expired', async () => {
    const now = new Date('2026-03-02T06:00:00Z');
    const lotOf = (owner: Actor, herb: string, spec: { form: string; cut: string; processing: string; grade: string }, grams: number, origin = '甘肃陇西') => addMarketLot(handle.db, owner, herb, spec, grams, origin);
    const ungraded = await lotOf(grower, '黄芪', { ...raw, grade: 'ungraded' }, 80_000);
    const selected = await lotOf(grower, '黄芪', { ...raw, grade: 'selected' }, 20_000, '内蒙古固阳');
    const partly = await lotOf(grower, '黄芪', { ...raw, grade: 'graded' }, 10_000);
    await handle.db.update(lot).set({ reservedG: 4000 }).where(eq(lot.id, partly));
    const full = await lotOf(grower, '黄芪', { ...raw, grade: 'ungraded' }, 5000);
    await handle.db.update(lot).set({ reservedG: 5000 }).where(eq(lot.id, full));
    const expired = await lotOf(grower, '黄芪', { ...raw, grade: 'ungraded' }, 5000);
    await handle.db.update(lot).set({ productionDate: '2024-01-01', expiryDate: '2026-03-01' }).where(eq(lot.id, expired));
    const lastDay = await lotOf(grower, '黄芪', { ...raw, grade: 'ungraded' }, 3000);
    await handle.db.update(lot).set({ expiryDate: '2026-03-02' }).where(eq(lot.id, lastDay));
    await lotOf(grower, '黄芪', { ...raw, processing: 'stir_fried', grade: 'ungraded' }, 5000); // another processing
    await lotOf(grower, '黄芪', { form: 'decoction_piece', cut: 'slice', processing: 'raw', grade: 'ungraded' }, 5000); // another form
    await lotOf(grower, '当归', { ...raw, grade: 'ungraded' }, 5000); // another herb
    await lotOf(stranger, '黄芪', { ...raw, grade: 'ungraded' }, 5000); // someone else's

    const lots = await sellableLots(handle.db, grower.orgId!, huangqi, now);
    expect(lots.map((l) => l.lotId).sort()).toEqual([ungraded, selected, partly, lastDay].sort());
    expect(lots[0]).toMatchObject({ lotId: lastDay, expiryDate: '2026-03-02', freeG: 3000 });
    expect(lots.find((l) => l.lotId === partly)).toMatchObject({ grade: 'graded', freeG: 6000 });
    expect(lots.find((l) => l.lotId === selected)).toMatchObject({ grade: 'selected', origin: '内蒙古固阳', freeG: 20_000, batchNo: expect.any(String), productName: '黄芪' });
    // A 选货 instrument takes only 选货 lots.
    const dangguiSelected = await lotOf(grower, '当归', { ...raw, grade: 'selected' }, 7000, '甘肃岷县');
    expect((await sellableLots(handle.db, grower.orgId!, danggui, now)).map((l) => l.lotId)).toEqual([dangguiSelected]);
    expect(await sellableLots(handle.db, hospital.orgId!, huangqi, now)).toEqual([]);
    await expect(sellableLots(handle.db, grower.orgId!, 'ins_missing', now)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
