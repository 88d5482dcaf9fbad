import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MatchingEngine,
  REJECT_REASONS,
  type BookLevel,
  type BookSnapshot,
  type BuyConstraints,
  type LimitCommand,
  type MatchCommand,
  type MatchEvent,
  type SellAttributes,
  type Side,
  type TimeInForce,
} from './order-book.core.ts';

const I = 'huangqi-tonghuo';

function limit(
  id: string,
  side: Side,
  qtyG: number,
  fenPerKg: number,
  extra: Partial<Omit<LimitCommand, 'type' | 'id' | 'side' | 'qtyG' | 'fenPerKg'>> = {},
): LimitCommand {
  return { type: 'limit', id, instrument: I, side, qtyG, fenPerKg, tif: 'GTC', ...extra };
}

function trade(buyId: string, sellId: string, qtyG: number, fenPerKg: number, instrument = I): MatchEvent {
  return { type: 'trade', instrument, buyId, sellId, qtyG, fenPerKg };
}

function run(engine: MatchingEngine, commands: readonly MatchCommand[]): MatchEvent[] {
  return commands.flatMap((c) => engine.apply(c));
}

describe('MatchingEngine — price-time priority and fills', () => {
  it('rests non-crossing orders and reports depth best first, summed per level', () => {
    const e = new MatchingEngine();
    const events = run(e, [
      limit('b1', 'buy', 1000, 3400),
      limit('b2', 'buy', 2000, 3450),
      limit('b3', 'buy', 500, 3400),
      limit('s1', 'sell', 700, 3600),
      limit('s2', 'sell', 300, 3550),
      limit('s3', 'sell', 100, 3600),
    ]);
    expect(events).toEqual([]);
    expect(e.book(I)).toEqual({
      bids: [
        [3450, 2000],
        [3400, 1500],
      ],
      asks: [
        [3550, 300],
        [3600, 800],
      ],
    });
    expect(e.top(I)).toEqual({ bid: 3450, ask: 3550 });
  });

  it('fills the better price first, then earlier orders at the same price', () => {
    const e = new MatchingEngine();
    run(e, [limit('s1', 'sell', 100, 3500), limit('s2', 'sell', 100, 3400), limit('s3', 'sell', 100, 3400)]);
    expect(e.apply(limit('b1', 'buy', 250, 3500))).toEqual([
      trade('b1', 's2', 100, 3400),
      trade('b1', 's3', 100, 3400),
      trade('b1', 's1', 50, 3500),
    ]);
    expect(e.book(I)).toEqual({ bids: [], asks: [[3500, 50]] });
  });

  it('trades at the resting order’s price, for a buy taker and for a sell taker', () => {
    const e = new MatchingEngine();
    e.apply(limit('s1', 'sell', 100, 3000));
    expect(e.apply(limit('b1', 'buy', 100, 3900))).toEqual([trade('b1', 's1', 100, 3000)]);
    e.apply(limit('b2', 'buy', 100, 3800));
    expect(e.apply(limit('s2', 'sell', 100, 1))).toEqual([trade('b2', 's2', 100, 3800)]);
    expect(e.book(I)).toEqual({ bids: [], asks: [] });
  });

  it('partially fills a maker, which keeps its place at the front of its queue', () => {
    const e = new MatchingEngine();
    run(e, [limit('s1', 'sell', 1000, 3500), limit('s2', 'sell', 1000, 3500)]);
    expect(e.apply(limit('b1', 'buy', 300, 3500))).toEqual([trade('b1', 's1', 300, 3500)]);
    expect(e.order('s1')?.qtyG).toBe(700);
    expect(e.apply(limit('b2', 'buy', 800, 3500))).toEqual([trade('b2', 's1', 700, 3500), trade('b2', 's2', 100, 3500)]);
    expect(e.book(I).asks).toEqual([[3500, 900]]);
  });

  it('rests the unfilled remainder of a GTC taker at its limit price', () => {
    const e = new MatchingEngine();
    e.apply(limit('s1', 'sell', 100, 3500));
    expect(e.apply(limit('b1', 'buy', 400, 3600))).toEqual([trade('b1', 's1', 100, 3500)]);
    expect(e.book(I)).toEqual({ bids: [[3600, 300]], asks: [] });
    expect(e.order('b1')).toMatchObject({ id: 'b1', side: 'buy', qtyG: 300, fenPerKg: 3600 });
  });

  it('sweeps several levels in order and stops at the limit price', () => {
    const e = new MatchingEngine();
    run(e, [
      limit('b1', 'buy', 100, 3500),
      limit('b2', 'buy', 100, 3490),
      limit('b3', 'buy', 100, 3480),
      limit('b4', 'buy', 100, 3470),
      limit('b5', 'buy', 100, 3490),
    ]);
    expect(e.apply(limit('s1', 'sell', 1000, 3480))).toEqual([
      trade('b1', 's1', 100, 3500),
      trade('b2', 's1', 100, 3490),
      trade('b5', 's1', 100, 3490),
      trade('b3', 's1', 100, 3480),
    ]);
    expect(e.book(I)).toEqual({ bids: [[3470, 100]], asks: [[3480, 600]] });
  });

  it('keeps instruments apart', () => {
    const e = new MatchingEngine();
    e.apply(limit('s1', 'sell', 100, 3500));
    expect(e.apply(limit('b1', 'buy', 100, 3500, { instrument: 'dangshen' }))).toEqual([]);
    expect(e.instruments()).toEqual(['dangshen', I]);
    expect(e.book('dangshen')).toEqual({ bids: [[3500, 100]], asks: [] });
    expect(e.book('unknown')).toEqual({ bids: [], asks: [] });
  });
});

describe('MatchingEngine — IOC', () => {
  it('drops the unfilled remainder without an event', () => {
    const e = new MatchingEngine();
    run(e, [limit('s1', 'sell', 100, 3500), limit('s2', 'sell', 100, 3700)]);
    expect(e.apply(limit('b1', 'buy', 500, 3600, { tif: 'IOC' }))).toEqual([trade('b1', 's1', 100, 3500)]);
    expect(e.book(I)).toEqual({ bids: [], asks: [[3700, 100]] });
  });

  it('does not rest a non-crossing IOC, and its id counts as used', () => {
    const e = new MatchingEngine();
    expect(e.apply(limit('b1', 'buy', 500, 3600, { tif: 'IOC' }))).toEqual([]);
    expect(e.book(I)).toEqual({ bids: [], asks: [] });
    expect(e.instruments()).toEqual([I]);
    expect(e.apply({ type: 'cancel', id: 'b1' })).toEqual([{ type: 'rejected', id: 'b1', reason: 'not_resting' }]);
    expect(e.apply(limit('b1', 'buy', 1, 1))).toEqual([{ type: 'rejected', id: 'b1', reason: 'duplicate_id' }]);
  });
});

describe('MatchingEngine — cancel and amend', () => {
  it('cancels a resting order; the emptied level disappears', () => {
    const e = new MatchingEngine();
    run(e, [limit('s1', 'sell', 100, 3500), limit('s2', 'sell', 200, 3600), limit('s3', 'sell', 50, 3600)]);
    expect(e.apply({ type: 'cancel', id: 's1' })).toEqual([]);
    expect(e.book(I).asks).toEqual([[3600, 250]]);
    expect(e.apply({ type: 'cancel', id: 's2' })).toEqual([]);
    expect(e.book(I).asks).toEqual([[3600, 50]]);
    expect(e.apply(limit('b1', 'buy', 100, 3600))).toEqual([trade('b1', 's3', 50, 3600)]);
  });

  it('cancels a level in the middle of the book', () => {
    const e = new MatchingEngine();
    run(e, [limit('b1', 'buy', 1, 10), limit('b2', 'buy', 1, 20), limit('b3', 'buy', 1, 30)]);
    e.apply({ type: 'cancel', id: 'b2' });
    expect(e.book(I).bids).toEqual([
      [30, 1],
      [10, 1],
    ]);
    e.apply(limit('b4', 'buy', 2, 20));
    expect(e.book(I).bids).toEqual([
      [30, 1],
      [20, 2],
      [10, 1],
    ]);
  });

  it('rejects cancels of unknown, filled, cancelled and rejected ids with not_resting', () => {
    const e = new MatchingEngine();
    run(e, [limit('s1', 'sell', 100, 3500), limit('b1', 'buy', 100, 3500), limit('s2', 'sell', 100, 3500)]);
    e.apply({ type: 'cancel', id: 's2' });
    e.apply(limit('bad', 'buy', 0, 3500));
    for (const id of ['nope', 's1', 'b1', 's2', 'bad']) {
      expect(e.apply({ type: 'cancel', id })).toEqual([{ type: 'rejected', id, reason: 'not_resting' }]);
    }
  });

  it('amends down in place, keeping time priority', () => {
    const e = new MatchingEngine();
    run(e, [limit('s1', 'sell', 1000, 3500), limit('s2', 'sell', 1000, 3500)]);
    expect(e.apply({ type: 'amend', id: 's1', qtyG: 200 })).toEqual([]);
    expect(e.book(I).asks).toEqual([[3500, 1200]]);
    expect(e.apply(limit('b1', 'buy', 300, 3500))).toEqual([trade('b1', 's1', 200, 3500), trade('b1', 's2', 100, 3500)]);
  });

  it('rejects amends that do not reduce, have a bad quantity, or target a non-resting id', () => {
    const e = new MatchingEngine();
    e.apply(limit('s1', 'sell', 1000, 3500));
    expect(e.amend('s1', 1000)).toEqual([{ type: 'rejected', id: 's1', reason: 'not_a_reduction' }]);
    expect(e.amend('s1', 2000)).toEqual([{ type: 'rejected', id: 's1', reason: 'not_a_reduction' }]);
    expect(e.amend('s1', 0)).toEqual([{ type: 'rejected', id: 's1', reason: 'invalid_quantity' }]);
    expect(e.amend('s1', 2.5)).toEqual([{ type: 'rejected', id: 's1', reason: 'invalid_quantity' }]);
    expect(e.amend('zz', 10)).toEqual([{ type: 'rejected', id: 'zz', reason: 'not_resting' }]);
    expect(e.book(I).asks).toEqual([[3500, 1000]]);
  });
});

describe('MatchingEngine — rejections', () => {
  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects qtyG %s as invalid_quantity', (qtyG) => {
    const e = new MatchingEngine();
    expect(e.apply(limit('o1', 'buy', qtyG, 3500))).toEqual([{ type: 'rejected', id: 'o1', reason: 'invalid_quantity' }]);
    expect(e.instruments()).toEqual([]);
  });

  it.each([0, -1, 0.5, Number.NaN, 2 ** 53])('rejects fenPerKg %s as invalid_price', (fenPerKg) => {
    const e = new MatchingEngine();
    expect(e.apply(limit('o1', 'sell', 100, fenPerKg))).toEqual([{ type: 'rejected', id: 'o1', reason: 'invalid_price' }]);
    expect(e.instruments()).toEqual([]);
  });

  it('accepts the largest safe integers', () => {
    const e = new MatchingEngine();
    const max = Number.MAX_SAFE_INTEGER;
    e.apply(limit('s1', 'sell', max, max));
    expect(e.apply(limit('b1', 'buy', max, max))).toEqual([trade('b1', 's1', max, max)]);
  });

  it('rejects reused ids — resting, filled, cancelled, IOC, on another instrument — with duplicate_id', () => {
    const e = new MatchingEngine();
    run(e, [
      limit('r', 'buy', 100, 3000),
      limit('f', 'sell', 100, 3000),
      limit('c', 'sell', 100, 9000),
      { type: 'cancel', id: 'c' },
      limit('i', 'sell', 100, 9999, { tif: 'IOC' }),
    ]);
    for (const id of ['r', 'f', 'c', 'i']) {
      expect(e.apply(limit(id, 'sell', 1, 1, { instrument: 'other' }))).toEqual([{ type: 'rejected', id, reason: 'duplicate_id' }]);
    }
    expect(e.instruments()).toEqual([I]);
    expect(e.book(I)).toEqual({ bids: [], asks: [] });
  });

  it('does not consume the id of a rejected order; checks quantity, then price, then id', () => {
    const e = new MatchingEngine();
    expect(e.apply(limit('o1', 'buy', 0, 0))).toEqual([{ type: 'rejected', id: 'o1', reason: 'invalid_quantity' }]);
    expect(e.apply(limit('o1', 'buy', 10, 0))).toEqual([{ type: 'rejected', id: 'o1', reason: 'invalid_price' }]);
    expect(e.apply(limit('o1', 'buy', 10, 10))).toEqual([]);
    expect(e.apply(limit('o1', 'buy', 0, 10))).toEqual([{ type: 'rejected', id: 'o1', reason: 'invalid_quantity' }]);
    expect(e.apply(limit('o1', 'buy', 10, 10))).toEqual([{ type: 'rejected', id: 'o1', reason: 'duplicate_id' }]);
    expect(e.hasUsedId('o1')).toBe(true);
  });

  it('documents exactly these reasons', () => {
    expect(REJECT_REASONS).toEqual(['invalid_quantity', 'invalid_price', 'duplicate_id', 'not_resting', 'not_a_reduction']);
  });

  it('throws on structurally malformed commands (a programming error, not a rejection)', () => {
    const e = new MatchingEngine();
    expect(() => e.apply({ ...limit('o1', 'buy', 1, 1), side: 'bid' as Side })).toThrow(TypeError);
    expect(() => e.apply({ ...limit('o1', 'buy', 1, 1), tif: 'FOK' as TimeInForce })).toThrow(TypeError);
    expect(() => e.apply({ type: 'market', id: 'x' } as unknown as MatchCommand)).toThrow(TypeError);
  });
});

describe('MatchingEngine — buyer constraints', () => {
  const gansu: SellAttributes = { origin: 'gansu', grade: 1, certificates: ['GAP'] };
  const shanxi: SellAttributes = { origin: 'shanxi', grade: 2, certificates: [] };

  it('skips an incompatible resting sell without removing it or costing it priority', () => {
    const e = new MatchingEngine();
    run(e, [
      limit('s1', 'sell', 100, 3500, { attributes: gansu }),
      limit('s2', 'sell', 100, 3500, { attributes: shanxi }),
      limit('s3', 'sell', 100, 3600, { attributes: shanxi }),
    ]);
    expect(e.apply(limit('b1', 'buy', 150, 3600, { constraints: { origins: ['shanxi'] } }))).toEqual([
      trade('b1', 's2', 100, 3500),
      trade('b1', 's3', 50, 3600),
    ]);
    expect(e.book(I).asks).toEqual([
      [3500, 100],
      [3600, 50],
    ]);
    // s1 is still first in line for an unconstrained buyer.
    expect(e.apply(limit('b2', 'buy', 100, 3600))).toEqual([trade('b2', 's1', 100, 3500)]);
  });

  it('honours minimum grade and required certificate; missing attributes fail a requirement', () => {
    const e = new MatchingEngine();
    run(e, [
      limit('s0', 'sell', 100, 3400),
      limit('s1', 'sell', 100, 3500, { attributes: gansu }),
      limit('s2', 'sell', 100, 3500, { attributes: shanxi }),
    ]);
    expect(e.apply(limit('b1', 'buy', 100, 3500, { constraints: { minGrade: 2 }, tif: 'IOC' }))).toEqual([
      trade('b1', 's2', 100, 3500),
    ]);
    expect(e.apply(limit('b2', 'buy', 500, 3500, { constraints: { certificate: 'GAP' }, tif: 'IOC' }))).toEqual([
      trade('b2', 's1', 100, 3500),
    ]);
    expect(e.apply(limit('b3', 'buy', 100, 3500, { constraints: { origins: ['gansu', 'shanxi'] }, tif: 'IOC' }))).toEqual([]);
    expect(e.book(I).asks).toEqual([[3400, 100]]);
  });

  it('matches a buy with a seller set only against those sellers, either side resting; an empty set matches no one', () => {
    const e = new MatchingEngine();
    run(e, [
      limit('s1', 'sell', 100, 3500, { attributes: { ...gansu, seller: 'org_a' } }),
      limit('s2', 'sell', 100, 3600, { attributes: { ...gansu, seller: 'org_b' } }),
    ]);
    expect(e.apply(limit('b1', 'buy', 150, 3600, { constraints: { sellers: ['org_b'] } }))).toEqual([trade('b1', 's2', 100, 3600)]);
    expect(e.apply(limit('b2', 'buy', 100, 9999, { constraints: { sellers: [] }, tif: 'IOC' }))).toEqual([]);
    // b1 rests with 50 g: an incoming sell from org_a passes it by, one from org_b fills it.
    expect(e.apply(limit('s3', 'sell', 50, 3000, { attributes: { seller: 'org_a' }, tif: 'IOC' }))).toEqual([]);
    expect(e.apply(limit('s4', 'sell', 50, 3000, { attributes: { seller: 'org_b' } }))).toEqual([trade('b1', 's4', 50, 3600)]);
    expect(e.book(I).asks).toEqual([[3500, 100]]);
  });

  it('treats empty constraints (and an empty origin set) as no constraint', () => {
    const e = new MatchingEngine();
    e.apply(limit('s1', 'sell', 100, 3500));
    expect(e.apply(limit('b1', 'buy', 50, 3500, { constraints: {} }))).toEqual([trade('b1', 's1', 50, 3500)]);
    expect(e.apply(limit('b2', 'buy', 50, 3500, { constraints: { origins: [] } }))).toEqual([trade('b2', 's1', 50, 3500)]);
  });

  it('lets an incoming sell skip resting bids whose constraints it fails', () => {
    const e = new MatchingEngine();
    run(e, [
      limit('b1', 'buy', 100, 3600, { constraints: { origins: ['gansu'] } }),
      limit('b2', 'buy', 100, 3600),
      limit('b3', 'buy', 100, 3500, { constraints: { minGrade: 2 } }),
    ]);
    expect(e.apply(limit('s1', 'sell', 300, 3400, { attributes: shanxi }))).toEqual([
      trade('b2', 's1', 100, 3600),
      trade('b3', 's1', 100, 3500),
    ]);
    // The book is "crossed" by an incompatible pair; b1 stays first at 3600.
    expect(e.book(I)).toEqual({ bids: [[3600, 100]], asks: [[3400, 100]] });
    expect(e.apply(limit('s2', 'sell', 100, 3600, { attributes: gansu }))).toEqual([trade('b1', 's2', 100, 3600)]);
  });

  it('copies attributes and constraints, so later mutation by the caller changes nothing', () => {
    const e = new MatchingEngine();
    const attributes = { origin: 'gansu', certificates: ['GAP'] };
    const constraints = { origins: ['gansu'] };
    e.apply(limit('s1', 'sell', 100, 3500, { attributes }));
    e.apply(limit('b1', 'buy', 100, 3400, { constraints }));
    attributes.origin = 'shanxi';
    attributes.certificates.push('organic');
    constraints.origins[0] = 'shanxi';
    expect(e.order('s1')?.attributes).toEqual({ origin: 'gansu', certificates: ['GAP'] });
    expect(e.order('b1')?.constraints).toEqual({ origins: ['gansu'] });
    expect(e.apply(limit('b2', 'buy', 10, 3500, { constraints: { origins: ['gansu'] } }))).toEqual([trade('b2', 's1', 10, 3500)]);
  });

  it('ignores constraints on sells and attributes on buys', () => {
    const e = new MatchingEngine();
    e.apply(limit('s1', 'sell', 100, 3500, { constraints: { origins: ['nowhere'] } }));
    expect(e.apply(limit('b1', 'buy', 100, 3500, { attributes: gansu }))).toEqual([trade('b1', 's1', 100, 3500)]);
  });
});

describe('MatchingEngine — id bookkeeping at scale', () => {
  it('stays exact across index growth and node recycling (20,000 ids)', () => {
    const e = new MatchingEngine();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      // Non-crossing: bids 1..100, asks 1001..1100.
      expect(e.apply(limit(`id-${i}`, i % 2 === 0 ? 'buy' : 'sell', 10, i % 2 === 0 ? 1 + (i % 100) : 1001 + (i % 100)))).toEqual([]);
    }
    for (let i = 0; i < n; i += 3) expect(e.cancel(`id-${i}`)).toEqual([]);
    for (let i = 0; i < n; i++) {
      expect(e.isResting(`id-${i}`)).toBe(i % 3 !== 0);
      expect(e.hasUsedId(`id-${i}`)).toBe(true);
    }
    expect(e.hasUsedId('id-20000')).toBe(false);
    expect(e.apply(limit('id-12345', 'buy', 1, 1))).toEqual([{ type: 'rejected', id: 'id-12345', reason: 'duplicate_id' }]);
    expect(e.restingOrders()).toHaveLength(n - Math.ceil(n / 3));
    expect(e.usedIds()).toHaveLength(n);
    expect(e.usedIds().slice(0, 3)).toEqual(['id-0', 'id-1', 'id-2']);
    // New orders reuse the cancelled orders' nodes; the old ids must stay dead.
    for (let i = 0; i < 100; i++) e.apply(limit(`new-${i}`, 'buy', 5, 50));
    for (let i = 0; i < 300; i += 3) expect(e.cancel(`id-${i}`)).toEqual([{ type: 'rejected', id: `id-${i}`, reason: 'not_resting' }]);
    expect(e.order('new-99')).toMatchObject({ qtyG: 5, fenPerKg: 50 });
  });

  it('tells apart ids whose 32-bit hashes collide (FNV-1a: costarring/liquid, declinate/macallums)', () => {
    const e = new MatchingEngine();
    expect(run(e, [limit('costarring', 'buy', 1, 10), limit('liquid', 'buy', 2, 10), limit('declinate', 'sell', 3, 20)])).toEqual([]);
    expect(e.apply(limit('macallums', 'sell', 4, 20))).toEqual([]);
    expect(e.order('liquid')?.qtyG).toBe(2);
    expect(e.cancel('costarring')).toEqual([]);
    expect(e.isResting('liquid')).toBe(true);
    expect(e.apply(limit('liquid', 'sell', 1, 5))).toEqual([{ type: 'rejected', id: 'liquid', reason: 'duplicate_id' }]);
    expect(e.book(I)).toEqual({ bids: [[10, 2]], asks: [[20, 7]] });
  });

  it('does not confuse a filled order with the order that took over its node', () => {
    const e = new MatchingEngine();
    run(e, [limit('a', 'sell', 10, 100), limit('x', 'buy', 10, 100), limit('b', 'sell', 7, 101)]);
    expect(e.isResting('a')).toBe(false);
    expect(e.order('b')).toMatchObject({ id: 'b', qtyG: 7, fenPerKg: 101 });
    expect(e.cancel('a')).toEqual([{ type: 'rejected', id: 'a', reason: 'not_resting' }]);
    expect(e.amend('a', 1)).toEqual([{ type: 'rejected', id: 'a', reason: 'not_resting' }]);
    expect(e.book(I).asks).toEqual([[101, 7]]);
    expect(e.cancel('b')).toEqual([]);
  });
});

describe('MatchingEngine — persistence', () => {
  it('lists resting orders in arrival order and restores an identical engine', () => {
    const e = new MatchingEngine();
    run(e, [
      limit('b1', 'buy', 100, 3500, { constraints: { origins: ['gansu'], minGrade: 1 } }),
      limit('s1', 'sell', 100, 3400, { attributes: { origin: 'shanxi' } }),
      limit('b2', 'buy', 100, 3500, { instrument: 'dangshen' }),
      limit('b3', 'buy', 300, 3300),
      limit('s2', 'sell', 100, 3500, { tif: 'IOC' }),
      limit('s3', 'sell', 40, 3550),
      { type: 'amend', id: 'b3', qtyG: 150 },
    ]);
    const resting = e.restingOrders();
    expect(resting.map((o) => [o.id, o.qtyG])).toEqual([
      ['b1', 100],
      ['s1', 100],
      ['b2', 100],
      ['b3', 150],
      ['s3', 40],
    ]);
    expect(resting[0]).toEqual({
      id: 'b1',
      instrument: I,
      side: 'buy',
      qtyG: 100,
      fenPerKg: 3500,
      seq: 1,
      constraints: { origins: ['gansu'], minGrade: 1 },
    });
    const r = MatchingEngine.restore(JSON.parse(JSON.stringify(resting)), e.usedIds());
    for (const instrument of e.instruments()) expect(r.book(instrument)).toEqual(e.book(instrument));
    expect(r.apply(limit('s2', 'sell', 1, 1))).toEqual([{ type: 'rejected', id: 's2', reason: 'duplicate_id' }]);
    const next = [limit('s9', 'sell', 500, 3300, { attributes: { origin: 'gansu', grade: 3 } }), limit('x', 'buy', 1000, 3600)];
    expect(run(r, next)).toEqual(run(e, next));
  });

  it('refuses to restore a snapshot whose orders would trade', () => {
    expect(() =>
      MatchingEngine.restore([
        { id: 'b', instrument: I, side: 'buy', qtyG: 1, fenPerKg: 10, seq: 1 },
        { id: 's', instrument: I, side: 'sell', qtyG: 1, fenPerKg: 5, seq: 2 },
      ]),
    ).toThrow(/would trade/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Naive reference implementation: every resting order in one array; each match filters and sorts.

interface RefOrder {
  id: string;
  instrument: string;
  side: Side;
  price: number;
  qty: number;
  seq: number;
  constraints: BuyConstraints | undefined;
  attributes: SellAttributes | undefined;
}

function refAccepts(c: BuyConstraints | undefined, a: SellAttributes | undefined): boolean {
  if (c === undefined) return true;
  if (c.origins !== undefined && c.origins.length > 0 && (a?.origin === undefined || !c.origins.includes(a.origin))) return false;
  if (c.minGrade !== undefined && (a?.grade === undefined || a.grade < c.minGrade)) return false;
  if (c.certificate !== undefined && !(a?.certificates ?? []).includes(c.certificate)) return false;
  return true;
}

const isPositiveInt = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

class ReferenceEngine {
  resting: RefOrder[] = [];
  used = new Set<string>();
  instruments = new Set<string>();
  seq = 0;

  apply(c: MatchCommand): MatchEvent[] {
    if (c.type === 'cancel') {
      const at = this.resting.findIndex((o) => o.id === c.id);
      if (at < 0) return [{ type: 'rejected', id: c.id, reason: 'not_resting' }];
      this.resting.splice(at, 1);
      return [];
    }
    if (c.type === 'amend') {
      if (!isPositiveInt(c.qtyG)) return [{ type: 'rejected', id: c.id, reason: 'invalid_quantity' }];
      const o = this.resting.find((r) => r.id === c.id);
      if (o === undefined) return [{ type: 'rejected', id: c.id, reason: 'not_resting' }];
      if (c.qtyG >= o.qty) return [{ type: 'rejected', id: c.id, reason: 'not_a_reduction' }];
      o.qty = c.qtyG;
      return [];
    }
    if (!isPositiveInt(c.qtyG)) return [{ type: 'rejected', id: c.id, reason: 'invalid_quantity' }];
    if (!isPositiveInt(c.fenPerKg)) return [{ type: 'rejected', id: c.id, reason: 'invalid_price' }];
    if (this.used.has(c.id)) return [{ type: 'rejected', id: c.id, reason: 'duplicate_id' }];
    this.used.add(c.id);
    this.instruments.add(c.instrument);
    const buy = c.side === 'buy';
    const constraints = buy ? c.constraints : undefined;
    const attributes = buy ? undefined : c.attributes;
    const makers = this.resting
      .filter(
        (o) =>
          o.instrument === c.instrument &&
          o.side !== c.side &&
          (buy ? o.price <= c.fenPerKg : o.price >= c.fenPerKg) &&
          (buy ? refAccepts(constraints, o.attributes) : refAccepts(o.constraints, attributes)),
      )
      .sort((a, b) => (buy ? a.price - b.price : b.price - a.price) || a.seq - b.seq);
    const events: MatchEvent[] = [];
    let left = c.qtyG;
    for (const m of makers) {
      if (left === 0) break;
      const q = Math.min(left, m.qty);
      events.push({
        type: 'trade',
        instrument: c.instrument,
        buyId: buy ? c.id : m.id,
        sellId: buy ? m.id : c.id,
        qtyG: q,
        fenPerKg: m.price,
      });
      left -= q;
      m.qty -= q;
    }
    this.resting = this.resting.filter((o) => o.qty > 0);
    if (left > 0 && c.tif === 'GTC') {
      this.resting.push({ id: c.id, instrument: c.instrument, side: c.side, price: c.fenPerKg, qty: left, seq: ++this.seq, constraints, attributes });
    }
    return events;
  }

  book(instrument: string): BookSnapshot {
    const side = (s: Side): BookLevel[] => {
      const levels = new Map<number, number>();
      for (const o of this.resting) if (o.instrument === instrument && o.side === s) levels.set(o.price, (levels.get(o.price) ?? 0) + o.qty);
      return [...levels.entries()].sort((a, b) => (s === 'buy' ? b[0] - a[0] : a[0] - b[0]));
    };
    return { bids: side('buy'), asks: side('sell') };
  }
}

// ---------------------------------------------------------------------------------------------------
// Random command streams: few ids (duplicates, stale cancels), few prices (crossing), two instruments.

const ID = fc.constantFrom(...Array.from({ length: 24 }, (_, i) => `o${i}`));
const INSTRUMENTS = ['a', 'b'];
const ORIGINS = ['gansu', 'shanxi', 'neimenggu'];
const CERTS = ['GAP', 'organic'];
const badNumber = fc.constantFrom(0, -3, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53);
const qty = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 30 }), weight: 12 }, { arbitrary: badNumber, weight: 1 });
const price = fc.oneof({ arbitrary: fc.integer({ min: 95, max: 105 }), weight: 12 }, { arbitrary: badNumber, weight: 1 });

const constraintsArb: fc.Arbitrary<BuyConstraints> = fc.record(
  {
    origins: fc.subarray(ORIGINS),
    minGrade: fc.integer({ min: 0, max: 3 }),
    certificate: fc.constantFrom(...CERTS),
  },
  { requiredKeys: [] },
);
const attributesArb: fc.Arbitrary<SellAttributes> = fc.record(
  {
    origin: fc.constantFrom(...ORIGINS),
    grade: fc.integer({ min: 0, max: 3 }),
    certificates: fc.subarray(CERTS),
  },
  { requiredKeys: [] },
);

function commandArb(withConstraints: boolean): fc.Arbitrary<MatchCommand> {
  const limitArb: fc.Arbitrary<MatchCommand> = fc
    .record({
      id: ID,
      instrument: fc.constantFrom(...INSTRUMENTS),
      side: fc.constantFrom<Side>('buy', 'sell'),
      qtyG: qty,
      fenPerKg: price,
      tif: fc.constantFrom<TimeInForce>('GTC', 'GTC', 'GTC', 'IOC'),
      constraints: withConstraints ? fc.option(constraintsArb, { nil: undefined, freq: 2 }) : fc.constant(undefined),
      attributes: withConstraints ? fc.option(attributesArb, { nil: undefined, freq: 4 }) : fc.constant(undefined),
    })
    .map(({ constraints, attributes, ...rest }) => ({
      type: 'limit' as const,
      ...rest,
      ...(constraints !== undefined ? { constraints } : {}),
      ...(attributes !== undefined ? { attributes } : {}),
    }));
  return fc.oneof(
    { arbitrary: limitArb, weight: 8 },
    { arbitrary: ID.map((id): MatchCommand => ({ type: 'cancel', id })), weight: 2 },
    { arbitrary: fc.record({ id: ID, qtyG: qty }).map((r): MatchCommand => ({ type: 'amend', ...r })), weight: 1 },
  );
}

const streams = fc.oneof(fc.array(commandArb(false), { maxLength: 120 }), fc.array(commandArb(true), { maxLength: 120 }));

describe('MatchingEngine — properties', () => {
  it('matches the naive reference: same events per command, same books, same resting orders', () => {
    fc.assert(
      fc.property(streams, (commands) => {
        const e = new MatchingEngine();
        const ref = new ReferenceEngine();
        for (const c of commands) expect(e.apply(c)).toEqual(ref.apply(c));
        expect(e.instruments()).toEqual([...ref.instruments].sort());
        for (const instrument of INSTRUMENTS) expect(e.book(instrument)).toEqual(ref.book(instrument));
        expect(e.restingOrders().map((o) => [o.id, o.instrument, o.side, o.fenPerKg, o.qtyG, o.seq])).toEqual(
          [...ref.resting].sort((a, b) => a.seq - b.seq).map((o) => [o.id, o.instrument, o.side, o.price, o.qty, o.seq]),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('conserves quantity: traded + resting + cancelled + IOC-dropped = submitted, per order', () => {
    fc.assert(
      fc.property(streams, (commands) => {
        const e = new MatchingEngine();
        const submitted = new Map<string, number>();
        const traded = new Map<string, number>();
        const cancelled = new Map<string, number>();
        const dropped = new Map<string, number>();
        const add = (m: Map<string, number>, id: string, q: number): void => {
          m.set(id, (m.get(id) ?? 0) + q);
        };
        for (const c of commands) {
          const before = c.type === 'limit' ? undefined : e.order(c.id)?.qtyG;
          const events = e.apply(c);
          const rejected = events.some((ev) => ev.type === 'rejected');
          let takerTraded = 0;
          for (const ev of events) {
            if (ev.type !== 'trade') continue;
            expect(ev.qtyG).toBeGreaterThan(0);
            add(traded, ev.buyId, ev.qtyG);
            add(traded, ev.sellId, ev.qtyG);
            takerTraded += ev.qtyG;
          }
          if (rejected) {
            expect(events).toHaveLength(1);
            continue;
          }
          if (c.type === 'limit') {
            submitted.set(c.id, c.qtyG);
            if (c.tif === 'IOC') add(dropped, c.id, c.qtyG - takerTraded);
          } else if (c.type === 'cancel') add(cancelled, c.id, before!);
          else add(cancelled, c.id, before! - c.qtyG);
        }
        for (const [id, q] of submitted) {
          const resting = e.order(id)?.qtyG ?? 0;
          expect((traded.get(id) ?? 0) + resting + (cancelled.get(id) ?? 0) + (dropped.get(id) ?? 0)).toBe(q);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never leaves a compatible crossing pair resting', () => {
    fc.assert(
      fc.property(streams, (commands) => {
        const e = new MatchingEngine();
        for (const c of commands) e.apply(c);
        const resting = e.restingOrders();
        for (const b of resting) {
          if (b.side !== 'buy') continue;
          for (const s of resting) {
            if (s.side === 'sell' && s.instrument === b.instrument && b.fenPerKg >= s.fenPerKg) {
              expect(refAccepts(b.constraints, s.attributes)).toBe(false);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('restores from restingOrders() + usedIds() into an engine that behaves identically', () => {
    fc.assert(
      fc.property(streams, streams, (first, then) => {
        const e = new MatchingEngine();
        for (const c of first) e.apply(c);
        const r = MatchingEngine.restore(e.restingOrders(), e.usedIds());
        for (const instrument of INSTRUMENTS) expect(r.book(instrument)).toEqual(e.book(instrument));
        for (const c of then) expect(r.apply(c)).toEqual(e.apply(c));
        for (const instrument of INSTRUMENTS) expect(r.book(instrument)).toEqual(e.book(instrument));
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic over a JSON round trip of the command log', () => {
    fc.assert(
      fc.property(fc.array(commandArb(true), { maxLength: 120 }), (commands) => {
        // JSON turns NaN/Infinity into null; those values are covered by the reference test.
        fc.pre(commands.every((c) => c.type === 'cancel' || (Number.isFinite(c.qtyG) && (c.type !== 'limit' || Number.isFinite(c.fenPerKg)))));
        const log = commands.map((c) => JSON.stringify(c)).join('\n');
        const replayed = log === '' ? [] : log.split('\n').map((line) => JSON.parse(line) as MatchCommand);
        const a = new MatchingEngine();
        const b = new MatchingEngine();
        expect(replayed.flatMap((c) => b.apply(c))).toEqual(commands.flatMap((c) => a.apply(c)));
      }),
      { numRuns: 200 },
    );
  });
});
