import fc from 'fast-check';
import catalogEn from '../../../../messages/en/catalog.json';
import { describe, expect, it } from 'vitest';
import { gramsFromKg } from '@/lib/input-format.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from '@/server/domains/catalog/products.core.ts';
import { notionalFen } from '@/server/domains/market/market.core.ts';
import {
  candleSeries,
  changeTone,
  cumulativeDepth,
  depthCurves,
  expiresAtOfDay,
  instrumentOtherName,
  kgInputOf,
  marketOrderIdOf,
  orderFormProblems,
  orderState,
  placedOutcome,
  ordinaryOrderIdOf,
  parseMineQuery,
  parseOrigins,
  percentOfBp,
  selectOrders,
  selectTrades,
  spreadOf,
  type Level,
} from './market-view.core.ts';

describe('depth', () => {
  it('adds up from the best price outwards; each side in ascending price', () => {
    const bids: Level[] = [
      [6000, 1000],
      [5900, 2000],
      [5800, 500],
    ];
    const asks: Level[] = [
      [6100, 300],
      [6200, 700],
    ];
    expect(cumulativeDepth(bids, asks)).toEqual({
      bids: [
        { fenPerKg: 5800, cumG: 3500 },
        { fenPerKg: 5900, cumG: 3000 },
        { fenPerKg: 6000, cumG: 1000 },
      ],
      asks: [
        { fenPerKg: 6100, cumG: 300 },
        { fenPerKg: 6200, cumG: 1000 },
      ],
    });
    expect(spreadOf(bids, asks)).toBe(100);
    expect(spreadOf([], asks)).toBeNull();
    expect(cumulativeDepth([], [])).toEqual({ bids: [], asks: [] });
  });

  it('curves span the book’s prices with a margin and end at 0 on the inside, so one level still draws', () => {
    // Prices 62.00–65.00: a margin of max(5 % of the range, 1 % of the top) = 65 fen each side.
    expect(depthCurves(cumulativeDepth([[6300, 30_000]], [[6200, 100_000], [6500, 80_000]]))).toEqual({
      bids: [
        [6135, 30_000],
        [6300, 30_000],
        [6300, 0],
      ],
      asks: [
        [6200, 0],
        [6200, 100_000],
        [6500, 180_000],
        [6565, 180_000],
      ],
    });
    expect(depthCurves(cumulativeDepth([], [[6200, 1000]]))).toEqual({
      bids: [],
      asks: [
        [6200, 0],
        [6200, 1000],
        [6262, 1000],
      ],
    });
    expect(depthCurves({ bids: [], asks: [] })).toEqual({ bids: [], asks: [] });
  });

  it('cumulative grams never fall moving away from the best price, and end at the side’s total', () => {
    const level = fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 1_000_000 }));
    fc.assert(
      fc.property(fc.uniqueArray(level, { selector: (l) => l[0], maxLength: 20 }), fc.uniqueArray(level, { selector: (l) => l[0], maxLength: 20 }), (bids, asks) => {
        const depth = cumulativeDepth(bids, asks);
        for (let i = 1; i < depth.bids.length; i += 1) expect(depth.bids[i - 1]!.cumG).toBeGreaterThanOrEqual(depth.bids[i]!.cumG);
        for (let i = 1; i < depth.asks.length; i += 1) expect(depth.asks[i - 1]!.cumG).toBeLessThanOrEqual(depth.asks[i]!.cumG);
        expect(depth.bids[0]?.cumG ?? 0).toBe(bids.reduce((s, l) => s + l[1], 0));
        expect(depth.asks.at(-1)?.cumG ?? 0).toBe(asks.reduce((s, l) => s + l[1], 0));
      }),
    );
  });
});

describe('typed amounts', () => {
  it('grams back into a kilogram input, exactly', () => {
    expect(kgInputOf(12_500)).toBe('12.5');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), (g) => {
        expect(gramsFromKg(kgInputOf(g))).toBe(g);
      }),
    );
  });

  it('GTC expiry: the end of the chosen China-time day', () => {
    expect(expiresAtOfDay('2026-04-30')).toBe('2026-04-30T23:59:59+08:00');
    expect(new Date(expiresAtOfDay('2026-04-30')!).toISOString()).toBe('2026-04-30T15:59:59.000Z');
    expect(expiresAtOfDay('2026-04-31')).toBeNull();
  });

  it('origins as a list', () => {
    expect(parseOrigins('甘肃陇西，内蒙古固阳、 山西浑源;甘肃陇西')).toEqual(['甘肃陇西', '内蒙古固阳', '山西浑源']);
    expect(parseOrigins('  ')).toEqual([]);
  });
});

describe('orders and trades', () => {
  it('an order’s state from its filled and open grams', () => {
    expect(orderState({ qtyG: 1000, filledG: 0, openG: 1000 })).toBe('open');
    expect(orderState({ qtyG: 1000, filledG: 400, openG: 600 })).toBe('partial');
    expect(orderState({ qtyG: 1000, filledG: 1000, openG: 0 })).toBe('filled');
    expect(orderState({ qtyG: 1000, filledG: 400, openG: 0, tif: 'GTC', endedBy: 'cancel' })).toBe('cancelled');
    expect(orderState({ qtyG: 1000, filledG: 0, openG: 0, tif: 'GTC', endedBy: 'expiry' })).toBe('expired');
    expect(orderState({ qtyG: 1000, filledG: 0, openG: 0, tif: 'IOC', endedBy: null })).toBe('ioc_rest');
    expect(orderState({ qtyG: 1000, filledG: 600, openG: 0, tif: 'IOC', endedBy: null })).toBe('ioc_rest');
    // Amended down to 600 g, then filled: nothing was cancelled.
    expect(orderState({ qtyG: 1000, filledG: 600, openG: 0, tif: 'GTC', endedBy: null })).toBe('filled');
  });

  it('tells the ordinary order a trade became from the market order it filled, by prefix', () => {
    expect(ordinaryOrderIdOf({ orderId: 'mor_1' })).toBeNull();
    expect(ordinaryOrderIdOf({ orderId: 'mor_1', tradeOrderId: 'ord_9' })).toBe('ord_9');
    expect(ordinaryOrderIdOf({ orderId: 'ord_9' })).toBe('ord_9');
    expect(ordinaryOrderIdOf({ orderId: null })).toBeNull();
    expect(marketOrderIdOf({ orderId: 'mor_1' })).toBe('mor_1');
    expect(marketOrderIdOf({ orderId: 'ord_9', marketOrderId: 'mor_2' })).toBe('mor_2');
  });

  it('price change: tone and signed percentage', () => {
    expect([changeTone(150), changeTone(-1), changeTone(0), changeTone(null)]).toEqual(['up', 'down', 'flat', 'none']);
    expect([percentOfBp(250), percentOfBp(-100), percentOfBp(0), percentOfBp(7)]).toEqual(['+2.50%', '-1.00%', '0.00%', '+0.07%']);
  });

  it('candles for ECharts: [open, close, low, high] in yuan, volume in kg', () => {
    expect(candleSeries([{ day: '2026-03-01', openFenPerKg: 6000, closeFenPerKg: 5900, lowFenPerKg: 5850, highFenPerKg: 6050, volumeG: 2500 }])).toEqual({
      days: ['2026-03-01'],
      candles: [[60, 59, 58.5, 60.5]],
      volumesKg: [2.5],
      rising: [false],
    });
  });

  const orders = [
    { orderId: 'mor_a', instrumentId: 'ins_1', side: 'buy' as const, qtyG: 1000, fenPerKg: 6000, filledG: 0, openG: 1000, placedAt: '2026-03-01T01:00:00Z' },
    { orderId: 'mor_b', instrumentId: 'ins_1', side: 'sell' as const, qtyG: 3000, fenPerKg: 6200, filledG: 3000, openG: 0, placedAt: '2026-03-02T01:00:00Z' },
    { orderId: 'mor_c', instrumentId: 'ins_2', side: 'buy' as const, qtyG: 2000, fenPerKg: 9000, filledG: 500, openG: 1500, placedAt: '2026-03-03T01:00:00Z' },
  ];
  const trades = [
    { tradeId: 'mtr_a', instrumentId: 'ins_1', side: 'sell' as const, counterpartyOrgId: 'org_x', grams: 3000, fenPerKg: 6200, totalFen: 18_600, at: '2026-03-02T02:00:00Z' },
    { tradeId: 'mtr_b', instrumentId: 'ins_2', side: 'buy' as const, counterpartyOrgId: 'org_y', grams: 500, fenPerKg: 9000, totalFen: 4500, at: '2026-03-03T02:00:00Z' },
  ];

  it('filters and sorts from the URL; unknown values are dropped', () => {
    expect(parseMineQuery({})).toEqual({ orderSort: 'placed_desc', tradeSort: 'time_desc' });
    expect(parseMineQuery({ instrument: 'ins_1', side: 'sell', state: 'filled', orderSort: 'price_asc', tradeSort: 'amount_desc', counterparty: 'org_x' })).toEqual({
      instrument: 'ins_1',
      side: 'sell',
      state: 'filled',
      counterparty: 'org_x',
      orderSort: 'price_asc',
      tradeSort: 'amount_desc',
    });
    expect(parseMineQuery({ side: 'short', state: 'x', orderSort: 'drop table', tradeSort: ['a', 'b'] })).toEqual({ orderSort: 'placed_desc', tradeSort: 'time_desc' });

    expect(selectOrders(orders, parseMineQuery({})).map((o) => o.orderId)).toEqual(['mor_c', 'mor_b', 'mor_a']);
    expect(selectOrders(orders, parseMineQuery({ orderSort: 'price_asc' })).map((o) => o.orderId)).toEqual(['mor_a', 'mor_b', 'mor_c']);
    expect(selectOrders(orders, parseMineQuery({ instrument: 'ins_1' })).map((o) => o.orderId)).toEqual(['mor_b', 'mor_a']);
    expect(selectOrders(orders, parseMineQuery({ state: 'partial' })).map((o) => o.orderId)).toEqual(['mor_c']);
    expect(selectOrders(orders, parseMineQuery({ side: 'buy', orderSort: 'qty_desc' })).map((o) => o.orderId)).toEqual(['mor_c', 'mor_a']);

    expect(selectTrades(trades, parseMineQuery({})).map((t) => t.tradeId)).toEqual(['mtr_b', 'mtr_a']);
    expect(selectTrades(trades, parseMineQuery({ tradeSort: 'amount_desc' })).map((t) => t.tradeId)).toEqual(['mtr_a', 'mtr_b']);
    expect(selectTrades(trades, parseMineQuery({ counterparty: 'org_y' })).map((t) => t.tradeId)).toEqual(['mtr_b']);
    expect(selectTrades(trades, parseMineQuery({ state: 'open' })).length).toBe(2);
  });
});

describe('orderFormProblems', () => {
  const buy = { side: 'buy' as const, qtyG: 10_000, fenPerKg: 6250, funding: 'card' as const, lotFreeG: undefined, badExpiry: false };
  const sell = { ...buy, side: 'sell' as const, lotFreeG: 780_000 };

  it('passes a sound order', () => {
    expect(orderFormProblems(buy)).toEqual({});
    expect(orderFormProblems(sell)).toEqual({});
  });

  it('names the field of unreadable, empty or out-of-range amounts, in kg and ¥/kg', () => {
    expect(orderFormProblems({ ...buy, qtyG: Number.NaN, fenPerKg: 0 })).toEqual({ qtyG: { key: 'badQty' }, fenPerKg: { key: 'badPrice' } });
    expect(orderFormProblems({ ...sell, qtyG: 1_000_000_001 })).toEqual({ qtyG: { key: 'qtyTooLarge', params: { max: '1,000,000' } } });
    expect(orderFormProblems({ ...sell, fenPerKg: 100_000_001 })).toEqual({ fenPerKg: { key: 'priceTooLarge', params: { max: '1,000,000.00' } } });
    expect(orderFormProblems({ ...buy, badExpiry: true })).toEqual({ expiresAt: { key: 'badExpiry' } });
  });

  it('refuses a sell above its lot’s free stock, or without a lot', () => {
    expect(orderFormProblems({ ...sell, qtyG: 780_001 })).toEqual({ qtyG: { key: 'overFree', params: { free: '780' } } });
    expect(orderFormProblems({ ...sell, qtyG: 780_000 })).toEqual({});
    expect(orderFormProblems({ ...sell, lotFreeG: undefined })).toEqual({ lotId: { key: 'pickLot' } });
  });

  it('refuses a card buy above one authorisation, and any buy above an order’s worth', () => {
    // 20 t at ¥62.50/kg: ¥1,250,000.00.
    expect(orderFormProblems({ ...buy, qtyG: 20_000_000 })).toEqual({ funding: { key: 'cardLimit', params: { max: '999,999.99', amount: '1,250,000.00' } } });
    expect(orderFormProblems({ ...buy, qtyG: 20_000_000, funding: 'net_terms' })).toEqual({});
    expect(orderFormProblems({ ...buy, qtyG: 400_000_000, funding: 'net_terms' })).toEqual({ qtyG: { key: 'orderTooLarge', params: { max: '20,000,000.00' } } });
    // ¥999,999.99 exactly is one authorisation.
    expect(orderFormProblems({ ...buy, qtyG: 1000, fenPerKg: 99_999_999 })).toEqual({});
  });

  it('agrees with the server on what an order is worth, at every size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), fc.integer({ min: 1, max: 100_000_000 }), (qtyG, fenPerKg) => {
        const problems = orderFormProblems({ ...buy, qtyG, fenPerKg });
        const amount = notionalFen(qtyG, fenPerKg);
        expect(problems.funding !== undefined).toBe(amount > 99_999_999 && amount <= 2_000_000_000);
        expect(problems.qtyG !== undefined).toBe(amount > 2_000_000_000);
      }),
    );
  });
});

describe('placedOutcome', () => {
  const trade = (qtyG: number) => ({ qtyG });
  it('tells resting, filled, and an IOC’s cancelled rest apart', () => {
    expect(placedOutcome(10_000, { restingQtyG: 10_000, trades: [] })).toEqual({ tone: 'success', key: 'resting', filledG: 0, cancelledG: 0 });
    expect(placedOutcome(10_000, { restingQtyG: 4000, trades: [trade(6000)] })).toEqual({ tone: 'success', key: 'placed', filledG: 6000, cancelledG: 0 });
    expect(placedOutcome(10_000, { restingQtyG: 0, trades: [trade(6000), trade(4000)] })).toEqual({ tone: 'success', key: 'filled', filledG: 10_000, cancelledG: 0 });
    expect(placedOutcome(10_000, { restingQtyG: 0, trades: [] })).toEqual({ tone: 'warning', key: 'iocNothing', filledG: 0, cancelledG: 10_000 });
    expect(placedOutcome(10_000, { restingQtyG: 0, trades: [trade(2500)] })).toEqual({ tone: 'warning', key: 'iocPartial', filledG: 2500, cancelledG: 7500 });
  });
});

describe('instrumentOtherName', () => {
  const en: Record<string, Record<string, string>> = {
    forms: { raw: 'Raw herb', decoction_piece: 'Decoction pieces' },
    cuts: { slice: 'Slices', none: 'None' },
    processings: { raw: 'Raw', adjuvant_fried: 'Fried with adjuvant' },
    grades: { ungraded: 'Ungraded', selected: 'Selected' },
  };
  const words = (part: string, code: string) => en[part]![code]!;

  it('names the herb in pinyin and Latin, then the spec, leaving out an uncut cut', () => {
    expect(instrumentOtherName({ herbPinyin: 'huang qi', herbLatin: 'Astragali Radix', form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' }, words)).toBe(
      'Huangqi (Astragali Radix) · Raw herb · Raw · Ungraded',
    );
    expect(instrumentOtherName({ herbPinyin: 'gan cao', herbLatin: 'Glycyrrhizae Radix et Rhizoma', form: 'decoction_piece', cut: 'slice', processing: 'adjuvant_fried', grade: 'selected' }, words)).toBe(
      'Gancao (Glycyrrhizae Radix et Rhizoma) · Decoction pieces · Slices · Fried with adjuvant · Selected',
    );
  });

  it('every spec the catalogue knows has an English word', () => {
    const catalog = catalogEn as unknown as Record<string, Record<string, string>>;
    for (const form of PRODUCT_FORMS) for (const cut of PRODUCT_CUTS) for (const processing of PRODUCT_PROCESSINGS) for (const grade of PRODUCT_GRADES) {
      const name = instrumentOtherName({ herbPinyin: 'dang gui', herbLatin: 'Angelicae Sinensis Radix', form, cut, processing, grade }, (part, code) => catalog[part]![code] ?? '');
      expect(name.split(' · ')).toHaveLength(cut === 'none' ? 4 : 5);
    }
  });
});

