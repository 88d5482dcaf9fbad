import { and, asc, count, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../../../lib/ids.ts';
import { translate } from '../../../lib/messages.ts';
import type { DbHandle } from '../../db/client.ts';
import { instrument, marketCommand, marketTrade, outboxEvent } from '../../db/schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { herbIdFor, upsertHerbMasterData } from '../catalog/herbs.seed.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from '../catalog/products.core.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import type { CommandAnswer, MarketCommandInput } from './market.core.ts';
import * as service from './market.service.ts';
import { addMarketLot, addMarketOrg, grantNetTermsAmong } from './market.testkit.ts';
import { bookSnapshot, clearBookCache, createInstrument, rebuildBook, setInstrumentStatus } from './market.service.ts';
import { MatchingEngine, type MatchCommand, type TradeEvent } from './order-book.core.ts';

let handle: DbHandle;
let operator: Actor;
const orgs: Actor[] = [];
let specCounter = 0;

const addOrg = (kind: string): Promise<Actor> => addMarketOrg(handle.db, kind);

/** A new instrument of 黄芪 with a spec no other test used. */
async function newInstrument(): Promise<string> {
  let i = specCounter++;
  const pick = <T,>(values: readonly T[]): T => {
    const v = values[i % values.length]!;
    i = Math.floor(i / values.length);
    return v;
  };
  const spec = { grade: pick(PRODUCT_GRADES), form: pick(PRODUCT_FORMS), cut: pick(PRODUCT_CUTS), processing: pick(PRODUCT_PROCESSINGS) };
  const row = await createInstrument(handle.db, operator, { herbId: herbIdFor('黄芪'), ...spec });
  // Every member holds a large lot of the instrument's spec, so its sells are backed.
  for (const org of orgs) lots.set(`${row.id}|${org.orgId}`, await addMarketLot(handle.db, org, '黄芪', spec, 1_000_000_000, '甘肃陇西'));
  return row.id;
}

const lots = new Map<string, string>();

/** A sell `place` without a lot gets the seller's lot of the instrument. */
function withLot(actor: Actor, instrumentId: string, input: unknown): unknown {
  const c = input as Record<string, unknown>;
  if (c?.kind !== 'place' || c.side !== 'sell' || c.lotId !== undefined) return input;
  const lotId = lots.get(`${instrumentId}|${actor.orgId}`);
  return lotId ? { ...c, lotId } : input;
}

function submitCommand(db: DbHandle['db'], actor: Actor, instrumentId: string, input: unknown): Promise<CommandAnswer> {
  return service.submitCommand(db, actor, instrumentId, withLot(actor, instrumentId, input));
}

function key(): string {
  return newId('idem');
}

/** A limit order; buys are funded on net terms (every test organisation grants the others terms). */
function place(side: 'buy' | 'sell', qtyG: number, fenPerKg: number, tif: 'GTC' | 'IOC' = 'GTC'): MarketCommandInput {
  return { kind: 'place', idempotencyKey: key(), side, qtyG, fenPerKg, tif, ...(side === 'buy' ? { funding: 'net_terms' as const } : {}) };
}

async function logCount(instrumentId: string): Promise<number> {
  const [row] = await handle.db.select({ n: count() }).from(marketCommand).where(eq(marketCommand.instrumentId, instrumentId));
  return row!.n;
}

beforeAll(async () => {
  handle = await createTestDb();
  await upsertHerbMasterData(handle.db);
  operator = await addOrg('operator');
  for (const kind of ['grower', 'hospital', 'hospital', 'supplier']) orgs.push(await addOrg(kind));
  await grantNetTermsAmong(handle.db, orgs);
});
afterAll(async () => handle.close());

describe('instruments', () => {
  it('operators create instruments named after the catalogue spec; members cannot', async () => {
    const ins = await createInstrument(handle.db, operator, { herbId: herbIdFor('当归'), form: 'raw', cut: 'none', processing: 'raw', grade: 'selected' });
    expect(ins).toMatchObject({ name: '当归 药材 生 选货', status: 'active', createdByOrgId: operator.orgId });
    await expect(createInstrument(handle.db, operator, { herbId: herbIdFor('当归'), form: 'raw', cut: 'none', processing: 'raw', grade: 'selected' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(createInstrument(handle.db, orgs[0]!, { herbId: herbIdFor('当归'), form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('submitCommand', () => {
  it('answers with price-time priority fills at the resting price and stores the trades', async () => {
    const id = await newInstrument();
    const [grower, h1, h2] = orgs as [Actor, Actor, Actor];
    const bid1 = await submitCommand(handle.db, h1, id, place('buy', 60_000, 3400));
    const bid2 = await submitCommand(handle.db, h2, id, place('buy', 50_000, 3500));
    expect(bid1).toMatchObject({ seq: 1, kind: 'place', trades: [], restingQtyG: 60_000 });
    expect(bid2.seq).toBe(2);
    const ask = await submitCommand(handle.db, grower, id, place('sell', 80_000, 3300));
    expect(ask).toMatchObject({ seq: 3, restingQtyG: 0 });
    expect(ask.trades).toEqual([
      { ordinal: 0, buyOrderId: bid2.orderId, sellOrderId: ask.orderId, buyerOrgId: h2.orgId, sellerOrgId: grower.orgId, qtyG: 50_000, fenPerKg: 3500 },
      { ordinal: 1, buyOrderId: bid1.orderId, sellOrderId: ask.orderId, buyerOrgId: h1.orgId, sellerOrgId: grower.orgId, qtyG: 30_000, fenPerKg: 3400 },
    ]);
    const trades = await handle.db.select().from(marketTrade).where(eq(marketTrade.instrumentId, id)).orderBy(asc(marketTrade.ordinal));
    expect(trades.map((t) => [t.seq, t.ordinal, t.buyerOrgId, t.sellerOrgId, t.grams, t.fenPerKg])).toEqual([
      [3, 0, h2.orgId, grower.orgId, 50_000, 3500],
      [3, 1, h1.orgId, grower.orgId, 30_000, 3400],
    ]);
    expect(await bookSnapshot(handle.db, id)).toEqual({ bids: [[3400, 30_000]], asks: [], seq: 3 });

    const amended = await submitCommand(handle.db, h1, id, { kind: 'amend', idempotencyKey: key(), orderId: bid1.orderId, qtyG: 10_000 });
    expect(amended).toMatchObject({ seq: 4, kind: 'amend', restingQtyG: 10_000, trades: [] });
    const cancelled = await submitCommand(handle.db, h1, id, { kind: 'cancel', idempotencyKey: key(), orderId: bid1.orderId });
    expect(cancelled).toMatchObject({ seq: 5, kind: 'cancel', restingQtyG: 0 });
    expect(await bookSnapshot(handle.db, id)).toEqual({ bids: [], asks: [], seq: 5 });

    const ioc = await submitCommand(handle.db, h2, id, place('buy', 1000, 9999, 'IOC'));
    expect(ioc).toMatchObject({ seq: 6, trades: [], restingQtyG: 0 });
    const [logged] = await handle.db.select().from(marketCommand).where(and(eq(marketCommand.instrumentId, id), eq(marketCommand.seq, 3)));
    expect(logged).toMatchObject({ kind: 'place', orderId: ask.orderId, orgId: grower.orgId, userId: grower.userId });
    expect(logged!.command).toEqual({
      type: 'limit',
      id: ask.orderId,
      instrument: id,
      side: 'sell',
      qtyG: 80_000,
      fenPerKg: 3300,
      tif: 'GTC',
      attributes: { origin: '甘肃陇西', grade: expect.any(Number), certificates: [], seller: grower.orgId },
    });
  });

  it('refuses bad input with the field named, writes no log row and leaves the book alone', async () => {
    const id = await newInstrument();
    const [grower, h1] = orgs as [Actor, Actor];
    const resting = await submitCommand(handle.db, grower, id, place('sell', 10_000, 3000));
    const before = await bookSnapshot(handle.db, id);
    const bad: [Actor, unknown, string, string][] = [
      [h1, { ...place('buy', 0, 3000) }, 'qtyG', 'VALIDATION'],
      [h1, { ...place('buy', -5, 3000) }, 'qtyG', 'VALIDATION'],
      [h1, { ...place('buy', 1.5, 3000) }, 'qtyG', 'VALIDATION'],
      [h1, { ...place('buy', '100' as unknown as number, 3000) }, 'qtyG', 'VALIDATION'],
      [h1, { ...place('buy', 100, 0) }, 'fenPerKg', 'VALIDATION'],
      [h1, { ...place('buy', 100, -1) }, 'fenPerKg', 'VALIDATION'],
      [h1, { ...place('buy', 100, 3000.5) }, 'fenPerKg', 'VALIDATION'],
      [h1, { ...place('buy', 100, 3000), side: 'hold' }, 'side', 'VALIDATION'],
      [h1, { ...place('buy', 100, 3000), tif: 'FOK' }, 'tif', 'VALIDATION'],
      [h1, { kind: 'short', idempotencyKey: key() }, 'kind', 'VALIDATION'],
      [h1, { ...place('buy', 100, 3000), idempotencyKey: '' }, 'idempotencyKey', 'VALIDATION'],
      [h1, { kind: 'cancel', idempotencyKey: key() }, 'orderId', 'VALIDATION'],
      [h1, { kind: 'cancel', idempotencyKey: key(), orderId: resting.orderId }, 'orderId', 'FORBIDDEN'],
      [h1, { kind: 'amend', idempotencyKey: key(), orderId: resting.orderId, qtyG: 5 }, 'orderId', 'FORBIDDEN'],
      [grower, { kind: 'cancel', idempotencyKey: key(), orderId: 'mor_unknown' }, 'orderId', 'CONFLICT'],
      [grower, { kind: 'amend', idempotencyKey: key(), orderId: resting.orderId, qtyG: 10_000 }, 'qtyG', 'VALIDATION'],
      [grower, { kind: 'amend', idempotencyKey: key(), orderId: resting.orderId, qtyG: 0 }, 'qtyG', 'VALIDATION'],
    ];
    for (const [actor, input, field, code] of bad) {
      const error = await submitCommand(handle.db, actor, id, input).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(input)).toMatchObject({ code, details: { field } });
      const message = (error as Error).message;
      expect(translate(message, 'zh')).not.toMatch(/^market\./);
      expect(translate(message, 'en')).not.toMatch(/^market\./);
    }
    expect(await logCount(id)).toBe(1);
    expect(await bookSnapshot(handle.db, id)).toEqual(before);

    await expect(submitCommand(handle.db, h1, 'ins_missing', place('buy', 1, 1))).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'instrumentId' } });
    await submitCommand(handle.db, grower, id, { kind: 'cancel', idempotencyKey: key(), orderId: resting.orderId });
    await expect(submitCommand(handle.db, grower, id, { kind: 'cancel', idempotencyKey: key(), orderId: resting.orderId })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { field: 'orderId' },
    });
    expect(await logCount(id)).toBe(2);
  });

  it('refuses every command on a halted instrument until it is resumed', async () => {
    const id = await newInstrument();
    const [grower] = orgs as [Actor];
    const ask = await submitCommand(handle.db, grower, id, place('sell', 1000, 3000));
    await expect(setInstrumentStatus(handle.db, grower, id, 'halted')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await setInstrumentStatus(handle.db, operator, id, 'halted');
    await expect(submitCommand(handle.db, grower, id, place('sell', 1000, 3000))).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'instrumentId' } });
    await expect(submitCommand(handle.db, grower, id, { kind: 'cancel', idempotencyKey: key(), orderId: ask.orderId })).rejects.toMatchObject({
      details: { field: 'instrumentId' },
    });
    expect(await logCount(id)).toBe(1);
    await setInstrumentStatus(handle.db, operator, id, 'active');
    await expect(submitCommand(handle.db, grower, id, { kind: 'cancel', idempotencyKey: key(), orderId: ask.orderId })).resolves.toMatchObject({ seq: 2 });
  });

  it('answers a replayed idempotency key with the first answer and changes nothing', async () => {
    const id = await newInstrument();
    const [grower, h1] = orgs as [Actor, Actor];
    await submitCommand(handle.db, grower, id, place('sell', 5000, 3000));
    const command = place('buy', 2000, 3100);
    const first = await submitCommand(handle.db, h1, id, command);
    expect(first.trades).toHaveLength(1);
    const again = await submitCommand(handle.db, h1, id, { ...command });
    expect(again).toEqual(first);
    expect(await logCount(id)).toBe(2);
    expect(await handle.db.select().from(marketTrade).where(eq(marketTrade.instrumentId, id))).toHaveLength(1);
    expect(await bookSnapshot(handle.db, id)).toEqual({ bids: [], asks: [[3000, 3000]], seq: 2 });
    await expect(submitCommand(handle.db, h1, id, { ...command, qtyG: 2001 })).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'idempotencyKey' } });
    // The key belongs to the organisation: another org may use the same key.
    await expect(submitCommand(handle.db, orgs[2]!, id, { ...command })).resolves.toMatchObject({ seq: 3 });
  });
});

describe('one writer per instrument', () => {
  it('concurrent submits keep sequence numbers gapless and the book equal to a replay of the log', async () => {
    const id = await newInstrument();
    const other = await newInstrument();
    // A second process: a fresh copy of the service module with its own book cache.
    vi.resetModules();
    const second = (await import('./market.service.ts')) as typeof import('./market.service.ts');
    const commands = Array.from({ length: 60 }, (_, i) => {
      const actor = orgs[i % orgs.length]!;
      const side = i % 2 === 0 ? 'sell' : 'buy';
      return { actor, input: place(side, 1000 + (i % 7) * 500, 3000 + ((i * 37) % 11) * 10), instrumentId: i % 5 === 0 ? other : id, viaSecond: i % 3 === 0 };
    });
    const answers = await Promise.all(
      commands.map((c) => (c.viaSecond ? second.submitCommand : submitCommand)(handle.db, c.actor, c.instrumentId, withLot(c.actor, c.instrumentId, c.input))),
    );
    for (const ins of [id, other]) {
      const rows = await handle.db.select({ seq: marketCommand.seq }).from(marketCommand).where(eq(marketCommand.instrumentId, ins)).orderBy(asc(marketCommand.seq));
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      const mine = answers.filter((a) => a.instrumentId === ins).map((a) => a.seq);
      expect([...mine].sort((a, b) => a - b)).toEqual(rows.map((r) => r.seq));
      const replayed = await rebuildBook(handle.db, ins);
      expect(await bookSnapshot(handle.db, ins)).toEqual({ ...replayed.snapshot(), seq: replayed.seq });
      expect(await second.bookSnapshot(handle.db, ins)).toEqual({ ...replayed.snapshot(), seq: replayed.seq });
      // Trades stored = trades answered, and replaying the log gives the same trades.
      const stored = await handle.db.select().from(marketTrade).where(eq(marketTrade.instrumentId, ins));
      const answered = answers.filter((a) => a.instrumentId === ins).flatMap((a) => a.trades);
      expect(stored.reduce((s, t) => s + t.grams, 0)).toBe(answered.reduce((s, t) => s + t.qtyG, 0));
      expect(stored).toHaveLength(answered.length);
    }
  });

  it('commands sent together on several instruments share one transaction; a halted or unknown instrument refuses only its own', async () => {
    const [a, b, halted] = [await newInstrument(), await newInstrument(), await newInstrument()];
    await setInstrumentStatus(handle.db, operator, halted, 'halted');
    const [grower, h1, h2] = orgs as [Actor, Actor, Actor];
    const sent = [
      submitCommand(handle.db, grower, a, place('sell', 2000, 3000)),
      submitCommand(handle.db, grower, b, place('sell', 2000, 3100)),
      submitCommand(handle.db, grower, halted, place('sell', 2000, 3200)),
      submitCommand(handle.db, grower, newId('ins'), place('sell', 2000, 3300)),
      submitCommand(handle.db, h1, a, place('buy', 1500, 3000)),
      submitCommand(handle.db, h1, b, place('buy', 500, 3100)),
      submitCommand(handle.db, h2, b, place('buy', 100, 1000)),
    ];
    const settled = await Promise.allSettled(sent);
    const [askA, askB, onHalted, onUnknown, bidA, bidB, restingBid] = settled;
    expect(onHalted).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT', details: { field: 'instrumentId' } } });
    expect(onUnknown).toMatchObject({ status: 'rejected', reason: { code: 'NOT_FOUND', details: { field: 'instrumentId' } } });
    const accepted = [askA, askB, bidA, bidB, restingBid].map((r) => {
      if (r?.status !== 'fulfilled') throw new Error(`expected an answer, got ${String(r?.status === 'rejected' ? r.reason : r)}`);
      return r.value;
    });
    // One batch: one acceptance time for all five, and each instrument's log numbered from 1 in arrival order.
    expect(new Set(accepted.map((x) => x.acceptedAt)).size).toBe(1);
    expect(accepted.map((x) => [x.instrumentId, x.seq])).toEqual([[a, 1], [b, 1], [a, 2], [b, 2], [b, 3]]);
    expect(accepted[2]!.trades).toMatchObject([{ qtyG: 1500, fenPerKg: 3000, sellOrderId: accepted[0]!.orderId }]);
    expect(accepted[3]!.trades).toMatchObject([{ qtyG: 500, fenPerKg: 3100, sellOrderId: accepted[1]!.orderId }]);
    expect([await logCount(a), await logCount(b), await logCount(halted)]).toEqual([2, 3, 0]);
    expect(await bookSnapshot(handle.db, a)).toEqual({ bids: [], asks: [[3000, 500]], seq: 2 });
    expect(await bookSnapshot(handle.db, b)).toEqual({ bids: [[1000, 100]], asks: [[3100, 1500]], seq: 3 });
    // One live announcement for the batch: both books traded, so did the grower and h1; h2 only placed a resting order.
    const published = await handle.db
      .select({ payload: outboxEvent.payload })
      .from(outboxEvent)
      .where(and(eq(outboxEvent.job, 'live.publish-many'), sql`${outboxEvent.payload} -> 'messages' @> ${JSON.stringify([{ topic: `market:${a}` }])}::jsonb`));
    expect(published).toHaveLength(1);
    const kinds = new Map((published[0]!.payload as { messages: { topic: string; kind: string }[] }).messages.map((m) => [m.topic, m.kind]));
    expect(Object.fromEntries(kinds)).toEqual({
      [`market:${a}`]: 'market.trade',
      [`market:${b}`]: 'market.trade',
      [`market-org:${grower.orgId}`]: 'market.trade',
      [`market-org:${h1.orgId}`]: 'market.trade',
      [`market-org:${h2.orgId}`]: 'market.order',
    });
  });

  it('a fresh process cache rebuilds the same book from the log (restart)', async () => {
    const id = await newInstrument();
    const [grower, h1, h2] = orgs as [Actor, Actor, Actor];
    const s1 = await submitCommand(handle.db, grower, id, place('sell', 40_000, 3600));
    await submitCommand(handle.db, grower, id, place('sell', 20_000, 3550));
    await submitCommand(handle.db, h1, id, place('buy', 25_000, 3560));
    await submitCommand(handle.db, h2, id, place('buy', 10_000, 3300));
    await submitCommand(handle.db, grower, id, { kind: 'amend', idempotencyKey: key(), orderId: s1.orderId, qtyG: 30_000 });
    const before = await bookSnapshot(handle.db, id);
    expect(before).toEqual({ bids: [[3560, 5000], [3300, 10_000]], asks: [[3600, 30_000]], seq: 5 });
    clearBookCache();
    expect(await bookSnapshot(handle.db, id)).toEqual(before);
    // Ownership is rebuilt too: another org still cannot cancel, the owner still can.
    clearBookCache();
    await expect(submitCommand(handle.db, h1, id, { kind: 'cancel', idempotencyKey: key(), orderId: s1.orderId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    clearBookCache();
    await expect(submitCommand(handle.db, grower, id, { kind: 'cancel', idempotencyKey: key(), orderId: s1.orderId })).resolves.toMatchObject({ seq: 6 });
    expect(await bookSnapshot(handle.db, id)).toEqual({ bids: [[3560, 5000], [3300, 10_000]], asks: [], seq: 6 });
  });
});

describe('persisted matching equals the pure core', () => {
  type Step =
    | { t: 'place'; org: number; side: 'buy' | 'sell'; qtyG: number; fenPerKg: number; tif: 'GTC' | 'IOC' }
    | { t: 'cancel'; org: number; pick: number }
    | { t: 'amend'; org: number; pick: number; qtyG: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ t: fc.constant('place' as const), org: fc.nat(3), side: fc.constantFrom('buy' as const, 'sell' as const), qtyG: fc.integer({ min: -1, max: 40 }), fenPerKg: fc.integer({ min: 95, max: 105 }), tif: fc.constantFrom('GTC' as const, 'IOC' as const) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('cancel' as const), org: fc.nat(3), pick: fc.nat(50) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('amend' as const), org: fc.nat(3), pick: fc.nat(50), qtyG: fc.integer({ min: 0, max: 40 }) }) },
  );

  it('a random command stream, persisted and replayed, gives the same book and trades as the core alone', async () => {
    let tradesSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), fc.nat(4), async (steps, clearAt) => {
        const id = await newInstrument();
        const engine = new MatchingEngine();
        const coreTrades: TradeEvent[] = [];
        const placed: { orderId: string; org: number }[] = [];
        const answers: CommandAnswer[] = [];
        for (const [n, s] of steps.entries()) {
          if (n % 5 === clearAt) clearBookCache();
          const actor = orgs[s.org]!;
          let input: MarketCommandInput;
          let core: MatchCommand | null = null;
          if (s.t === 'place') {
            input = { kind: 'place', idempotencyKey: key(), side: s.side, qtyG: s.qtyG, fenPerKg: s.fenPerKg, tif: s.tif, ...(s.side === 'buy' ? { funding: 'net_terms' as const } : {}) };
          } else {
            const target = placed.length > 0 ? placed[s.pick % placed.length]! : { orderId: 'mor_none', org: s.org };
            input = s.t === 'cancel' ? { kind: 'cancel', idempotencyKey: key(), orderId: target.orderId } : { kind: 'amend', idempotencyKey: key(), orderId: target.orderId, qtyG: s.qtyG };
            if (target.org === s.org) core = s.t === 'cancel' ? { type: 'cancel', id: target.orderId } : { type: 'amend', id: target.orderId, qtyG: s.qtyG };
          }
          const result = await submitCommand(handle.db, actor, id, input).then(
            (a) => ({ ok: true as const, a }),
            (e: unknown) => ({ ok: false as const, e }),
          );
          if (s.t === 'place') {
            const orderId = result.ok ? result.a.orderId : `mor_refused_${n}`;
            // Buys on net terms match only sellers that granted terms (every other organisation, never itself).
            const sellers = orgs.filter((o) => o !== actor).map((o) => o.orgId!);
            const extra = s.side === 'buy' ? { constraints: { sellers } } : { attributes: { seller: actor.orgId! } };
            core = { type: 'limit', id: orderId, instrument: id, side: s.side, qtyG: s.qtyG, fenPerKg: s.fenPerKg, tif: s.tif, ...extra };
            if (result.ok) placed.push({ orderId, org: s.org });
          }
          if (core === null) {
            // Another organisation's order: the core would not know, the service refuses.
            expect(result.ok).toBe(false);
            continue;
          }
          const events = engine.apply(core);
          const refusedByCore = events.some((e) => e.type === 'rejected');
          expect(result.ok).toBe(!refusedByCore);
          if (result.ok) answers.push(result.a);
          for (const e of events) if (e.type === 'trade') coreTrades.push(e);
        }
        const answeredTrades = answers.flatMap((a) => a.trades.map((t) => [t.buyOrderId, t.sellOrderId, t.qtyG, t.fenPerKg]));
        expect(answeredTrades).toEqual(coreTrades.map((t) => [t.buyId, t.sellId, t.qtyG, t.fenPerKg]));
        tradesSeen += answeredTrades.length;
        const stored = await handle.db.select().from(marketTrade).where(eq(marketTrade.instrumentId, id)).orderBy(asc(marketTrade.seq), asc(marketTrade.ordinal));
        expect(stored.map((t) => [t.buyOrderId, t.sellOrderId, t.grams, t.fenPerKg])).toEqual(answeredTrades);
        const replayed = await rebuildBook(handle.db, id);
        expect(replayed.snapshot()).toEqual(engine.book(id));
        expect(replayed.seq).toBe(answers.length);
        expect(await bookSnapshot(handle.db, id)).toEqual({ ...engine.book(id), seq: answers.length });
      }),
      { numRuns: 25 },
    );
    expect(tradesSeen).toBeGreaterThan(0);
  });
});

describe('schema', () => {
  it('the log refuses a second command with the same instrument and sequence', async () => {
    const id = await newInstrument();
    const [grower] = orgs as [Actor];
    const a = await submitCommand(handle.db, grower, id, place('sell', 1, 1));
    const [row] = await handle.db.select().from(marketCommand).where(eq(marketCommand.id, a.commandId));
    await expect(handle.db.insert(marketCommand).values({ ...row!, id: newId('mcm'), idempotencyKey: key() })).rejects.toThrow();
    expect(await handle.db.select().from(instrument).where(eq(instrument.id, id))).toHaveLength(1);
  });
});
