import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCommand, instrumentName, loggedFingerprint, lotFitsInstrument, MarketBook, MAX_FEN_PER_KG, MAX_QTY_G, notionalFen, requestFingerprint, termsFingerprint, sellAttributes, stockMoves, type Fill } from './market.core.ts';

describe('MarketBook', () => {
  it('applies logged commands in sequence and names both parties of each fill', () => {
    const book = new MarketBook('ins_a');
    book.apply({ seq: 1, orgId: 'org_s', command: { type: 'limit', id: 'o1', instrument: 'ins_a', side: 'sell', qtyG: 100, fenPerKg: 50, tif: 'GTC' } });
    const fills = book.apply({ seq: 2, orgId: 'org_b', command: { type: 'limit', id: 'o2', instrument: 'ins_a', side: 'buy', qtyG: 60, fenPerKg: 55, tif: 'GTC' } });
    expect(fills).toEqual([{ ordinal: 0, buyOrderId: 'o2', sellOrderId: 'o1', buyerOrgId: 'org_b', sellerOrgId: 'org_s', qtyG: 60, fenPerKg: 50 }]);
    expect(book.snapshot()).toEqual({ bids: [], asks: [[50, 40]] });
    expect(book.seq).toBe(2);
  });

  it('throws on a gap, another instrument or a command the core refuses (a corrupt log)', () => {
    const book = new MarketBook('ins_a');
    expect(() => book.apply({ seq: 2, orgId: 'x', command: { type: 'cancel', id: 'o1' } })).toThrow(/expected seq 1/);
    expect(() => book.apply({ seq: 1, orgId: 'x', command: { type: 'limit', id: 'o1', instrument: 'ins_b', side: 'buy', qtyG: 1, fenPerKg: 1, tif: 'GTC' } })).toThrow(/ins_b/);
    expect(() => book.apply({ seq: 1, orgId: 'x', command: { type: 'cancel', id: 'o1' } })).toThrow(/not_resting/);
    expect(book.seq).toBe(0);
  });
});

describe('checkCommand', () => {
  const book = new MarketBook('ins_a');
  book.apply({ seq: 1, orgId: 'org_s', command: { type: 'limit', id: 'o1', instrument: 'ins_a', side: 'sell', qtyG: 100, fenPerKg: 50, tif: 'GTC' } });

  it('turns a place into the core command with the platform order id', () => {
    expect(checkCommand(book, 'org_b', { kind: 'place', side: 'buy', qtyG: 10, fenPerKg: 40, tif: 'IOC' }, 'mor_1')).toEqual({
      ok: true,
      kind: 'place',
      orderId: 'mor_1',
      command: { type: 'limit', id: 'mor_1', instrument: 'ins_a', side: 'buy', qtyG: 10, fenPerKg: 40, tif: 'IOC' },
      lotId: null,
      funding: 'card',
      expiresAt: null,
    });
    expect(checkCommand(book, 'org_s', { kind: 'place', side: 'sell', qtyG: 10, fenPerKg: 40, tif: 'GTC', lotId: 'lot_1' }, 'mor_2')).toMatchObject({ ok: true, lotId: 'lot_1' });
  });

  it.each([
    [{ kind: 'place', side: 'buy', qtyG: 2_000_000_000, fenPerKg: 1, tif: 'GTC' }, 'org_b', 'qtyG'],
    [{ kind: 'place', side: 'buy', qtyG: 1, fenPerKg: Number.NaN, tif: 'GTC' }, 'org_b', 'fenPerKg'],
    [{ kind: 'amend', orderId: 'o1', qtyG: 100 }, 'org_s', 'qtyG'],
    [{ kind: 'cancel', orderId: 'o1' }, 'org_b', 'orderId'],
    [null, 'org_b', 'kind'],
    [{ kind: 'place', side: 'sell', qtyG: 1, fenPerKg: 1, tif: 'GTC' }, 'org_s', 'lotId'],
    [{ kind: 'place', side: 'sell', qtyG: 1, fenPerKg: 1, tif: 'GTC', lotId: '' }, 'org_s', 'lotId'],
    [{ kind: 'place', side: 'buy', qtyG: 1, fenPerKg: 1, tif: 'GTC', lotId: 'lot_1' }, 'org_b', 'lotId'],
  ])('refuses %j from %s naming %s', (input, org, field) => {
    const checked = checkCommand(book, org, input, 'mor_x');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem.field).toBe(field);
  });

  it('fingerprints the terms of a request the same way as its logged command', () => {
    expect(loggedFingerprint('ins_a', { type: 'limit', id: 'mor_9', instrument: 'ins_a', side: 'buy', qtyG: 5, fenPerKg: 7, tif: 'GTC' })).toBe(
      termsFingerprint('ins_a', { kind: 'place', idempotencyKey: 'k', side: 'buy', qtyG: 5, fenPerKg: 7, tif: 'GTC' }),
    );
    const sell = { type: 'limit', id: 'mor_9', instrument: 'ins_a', side: 'sell', qtyG: 5, fenPerKg: 7, tif: 'GTC' } as const;
    const asked = { kind: 'place', idempotencyKey: 'k', side: 'sell', qtyG: 5, fenPerKg: 7, tif: 'GTC', lotId: 'lot_1' };
    expect(loggedFingerprint('ins_a', sell, 'lot_1')).toBe(termsFingerprint('ins_a', asked));
    expect(loggedFingerprint('ins_a', sell, 'lot_2')).not.toBe(termsFingerprint('ins_a', asked));
    expect(loggedFingerprint('ins_a', { type: 'amend', id: 'o1', qtyG: 5 })).not.toBe(termsFingerprint('ins_b', { kind: 'amend', orderId: 'o1', qtyG: 5 }));
  });

  it('fingerprints funding, constraints and expiry of a place, however they are written', () => {
    const buy = { kind: 'place', idempotencyKey: 'k', side: 'buy', qtyG: 5, fenPerKg: 7, tif: 'GTC' };
    const fp = (extra: Record<string, unknown>) => requestFingerprint('ins_a', { ...buy, ...extra });
    expect(fp({})).toBe(fp({ funding: 'card' }));
    expect(fp({ funding: 'net_terms' })).not.toBe(fp({}));
    expect(fp({ constraints: { origins: ['甘肃', ' 内蒙古 ', '甘肃'] } })).toBe(fp({ constraints: { origins: ['内蒙古', '甘肃'] } }));
    expect(fp({ constraints: { origins: ['甘肃'] } })).not.toBe(fp({ constraints: { origins: ['内蒙古'] } }));
    expect(fp({ constraints: { minGrade: 'graded' } })).not.toBe(fp({ constraints: { minGrade: 'selected' } }));
    expect(fp({ constraints: { certificate: 'gap' } })).not.toBe(fp({}));
    expect(fp({ expiresAt: '2026-12-31T16:00:00Z' })).toBe(fp({ expiresAt: '2027-01-01T00:00:00+08:00' }));
    expect(fp({ expiresAt: '2026-12-31T16:00:00Z' })).not.toBe(fp({ expiresAt: '2027-01-02T00:00:00+08:00' }));
    expect(fp({ idempotencyKey: 'other' })).toBe(fp({}));
    expect(requestFingerprint('ins_a', { kind: 'cancel', orderId: 'o1' })).toBe(termsFingerprint('ins_a', { kind: 'cancel', orderId: 'o1' }));
  });

  it('names instruments after the catalogue spec', () => {
    expect(instrumentName('黄芪', { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' })).toBe('黄芪 药材 生 统货');
  });
});

describe('lots backing sells', () => {
  const spec = { herbId: 'herb_hq', form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' } as const;

  it('a lot fits only the instrument of its exact spec and grade', () => {
    expect(lotFitsInstrument(spec, { ...spec })).toBe(true);
    for (const field of ['herbId', 'form', 'cut', 'processing', 'grade'] as const) {
      expect(lotFitsInstrument(spec, { ...spec, [field]: 'other' }), field).toBe(false);
    }
  });

  it('releases what a command leaves unreserved and delivers every fill', () => {
    const fill = (qtyG: number): Fill => ({ ordinal: 0, buyOrderId: 'b', sellOrderId: 's', buyerOrgId: 'ob', sellerOrgId: 'os', qtyG, fenPerKg: 10 });
    // A GTC sell: fills delivered, the rest rests (still held).
    expect(stockMoves('place', 'sell', 100, 0, 70, [fill(30)])).toEqual({ releaseG: 0, delivered: [fill(30)] });
    // An IOC sell: the unfilled rest goes back to the lot.
    expect(stockMoves('place', 'sell', 100, 0, 0, [fill(30), fill(20)])).toEqual({ releaseG: 50, delivered: [fill(30), fill(20)] });
    // A buy holds no lot.
    expect(stockMoves('place', 'buy', 100, 0, 0, [fill(30)]).releaseG).toBe(0);
    // Cancel gives back the open quantity, amend-down the difference.
    expect(stockMoves('cancel', null, 0, 40, 0, []).releaseG).toBe(40);
    expect(stockMoves('amend', null, 0, 40, 15, []).releaseG).toBe(25);
  });
});

describe('funding, buyer constraints and expiry of a place', () => {
  const book = new MarketBook('ins_a');
  const now = new Date('2026-12-01T00:00:00Z');
  const buy = { kind: 'place', side: 'buy', qtyG: 10, fenPerKg: 40, tif: 'GTC' } as const;
  const sell = { kind: 'place', side: 'sell', qtyG: 10, fenPerKg: 40, tif: 'GTC', lotId: 'lot_1' } as const;

  it('compiles constraints into the logged command: grade as a rank, origins trimmed and unique; net terms add the sellers', () => {
    const checked = checkCommand(book, 'org_b', { ...buy, funding: 'net_terms', constraints: { origins: [' 甘肃岷县', '甘肃岷县', '内蒙古'], minGrade: 'graded', certificate: 'gap' } }, 'mor_1', { now, netTermsSellers: ['org_z', 'org_s'] });
    expect(checked).toMatchObject({ ok: true, funding: 'net_terms', command: { constraints: { origins: ['甘肃岷县', '内蒙古'], minGrade: 2, certificate: 'gap', sellers: ['org_s', 'org_z'] } } });
    expect(checkCommand(book, 'org_b', buy, 'mor_2', { now })).toMatchObject({ ok: true, funding: 'card', command: { type: 'limit' } });
    expect((checkCommand(book, 'org_b', buy, 'mor_2', { now }) as { command: object }).command).not.toHaveProperty('constraints');
  });

  it('a sell carries the attributes of its lot and expires with the lot at the latest', () => {
    const attributes = sellAttributes({ origin: '甘肃岷县', grade: 'selected', certificates: ['quality_report', 'gap'], sellerOrgId: 'org_s' });
    expect(attributes).toEqual({ origin: '甘肃岷县', grade: 3, certificates: ['gap', 'quality_report'], seller: 'org_s' });
    const lotExpiresAt = new Date('2026-12-31T15:59:59.999Z');
    expect(checkCommand(book, 'org_s', sell, 'mor_3', { now, attributes, lotExpiresAt })).toMatchObject({ ok: true, expiresAt: lotExpiresAt, command: { attributes } });
    const early = '2026-12-10T00:00:00.000Z';
    expect(checkCommand(book, 'org_s', { ...sell, expiresAt: early }, 'mor_4', { now, attributes, lotExpiresAt })).toMatchObject({ ok: true, expiresAt: new Date(early) });
  });

  it.each([
    [{ ...sell, funding: 'card' }, 'funding'],
    [{ ...sell, constraints: {} }, 'constraints'],
    [{ ...buy, funding: 'cash' }, 'funding'],
    [{ ...buy, constraints: 'GAP' }, 'constraints'],
    [{ ...buy, constraints: { origins: ['a'.repeat(41)] } }, 'constraints.origins'],
    [{ ...buy, constraints: { origins: Array.from({ length: 21 }, (_, i) => `产地${i}`) } }, 'constraints.origins'],
    [{ ...buy, constraints: { minGrade: 'premium' } }, 'constraints.minGrade'],
    [{ ...buy, constraints: { certificate: 'iso9001' } }, 'constraints.certificate'],
    [{ ...buy, tif: 'IOC', expiresAt: '2026-12-02T00:00:00Z' }, 'expiresAt'],
    [{ ...buy, expiresAt: '2026-11-30T00:00:00Z' }, 'expiresAt'],
    [{ ...buy, expiresAt: '2027-06-01T00:00:00Z' }, 'expiresAt'],
    [{ ...buy, expiresAt: 'next week' }, 'expiresAt'],
  ])('refuses %j naming %s', (input, field) => {
    expect(checkCommand(book, 'org_b', input, 'mor_x', { now })).toMatchObject({ ok: false, problem: { code: 'VALIDATION', field } });
  });

  it('a better-graded lot fits a lower-graded instrument, never the reverse', () => {
    const ins = { herbId: 'h', form: 'raw', cut: 'none', processing: 'raw', grade: 'graded' };
    expect(lotFitsInstrument(ins, { ...ins, grade: 'selected' })).toBe(true);
    expect(lotFitsInstrument(ins, { ...ins, grade: 'ungraded' })).toBe(false);
  });

  it('the notional covers quantity × price, rounded up to the fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_QTY_G }), fc.integer({ min: 1, max: MAX_FEN_PER_KG }), (qtyG, fenPerKg) => {
        // In exact integers: quantity × price passes 2^53 at the largest orders.
        const fen = notionalFen(qtyG, fenPerKg);
        expect(Number.isSafeInteger(fen)).toBe(true);
        const exact = BigInt(qtyG) * BigInt(fenPerKg);
        expect(BigInt(fen) * 1000n >= exact).toBe(true);
        expect((BigInt(fen) - 1n) * 1000n < exact).toBe(true);
      }),
    );
  });

  it('the notional of the largest order is exact where floating point is not', () => {
    // 999,999,999 × 99,999,999 = 99,999,998,900,000,001 lies above 2^53: in floating point it rounds to a
    // whole thousand and the notional came out one fen short.
    expect(notionalFen(999_999_999, 99_999_999)).toBe(99_999_998_900_001);
    expect(notionalFen(940_558_492, 99_999_998)).toBe(Number((940_558_492n * 99_999_998n + 999n) / 1000n));
    expect(notionalFen(1_000_000_000, 100_000_000)).toBe(100_000_000_000_000);
    expect(notionalFen(1, 1)).toBe(1);
    expect(notionalFen(999, 1)).toBe(1);
    expect(notionalFen(1000, 1)).toBe(1);
    expect(notionalFen(1001, 1)).toBe(2);
  });
});
