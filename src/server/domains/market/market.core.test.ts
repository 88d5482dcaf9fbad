import { describe, expect, it } from 'vitest';
import { checkCommand, instrumentName, loggedFingerprint, MarketBook, requestFingerprint } from './market.core.ts';

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
    });
  });

  it.each([
    [{ kind: 'place', side: 'buy', qtyG: 2_000_000_000, fenPerKg: 1, tif: 'GTC' }, 'org_b', 'qtyG'],
    [{ kind: 'place', side: 'buy', qtyG: 1, fenPerKg: Number.NaN, tif: 'GTC' }, 'org_b', 'fenPerKg'],
    [{ kind: 'amend', orderId: 'o1', qtyG: 100 }, 'org_s', 'qtyG'],
    [{ kind: 'cancel', orderId: 'o1' }, 'org_b', 'orderId'],
    [null, 'org_b', 'kind'],
  ])('refuses %j from %s naming %s', (input, org, field) => {
    const checked = checkCommand(book, org, input, 'mor_x');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem.field).toBe(field);
  });

  it('fingerprints a request the same way as its logged command', () => {
    expect(loggedFingerprint('ins_a', { type: 'limit', id: 'mor_9', instrument: 'ins_a', side: 'buy', qtyG: 5, fenPerKg: 7, tif: 'GTC' })).toBe(
      requestFingerprint('ins_a', { kind: 'place', idempotencyKey: 'k', side: 'buy', qtyG: 5, fenPerKg: 7, tif: 'GTC' }),
    );
    expect(loggedFingerprint('ins_a', { type: 'amend', id: 'o1', qtyG: 5 })).not.toBe(requestFingerprint('ins_b', { kind: 'amend', orderId: 'o1', qtyG: 5 }));
  });

  it('names instruments after the catalogue spec', () => {
    expect(instrumentName('黄芪', { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' })).toBe('黄芪 药材 生 统货');
  });
});
