import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BuyerCreditRow, creditRoomByBuyer, type RestingTermsRow } from './credit-room.core.ts';

describe('creditRoomByBuyer', () => {
  it('adds each resting buy to every line of its buyer whose seller it may match, and to no other', () => {
    const credit: BuyerCreditRow[] = [
      ['b1', ['s1', 's2', 's3'], [100_000, '200000', 300_000], [1_000, 0, '2500'], [0, '1', 0]],
      ['b2', ['s1'], [50_000], [0], [0]],
    ];
    const resting: RestingTermsRow[] = [
      ['b1', ['s1', 's2'], 6_000],
      ['b1', ['s2', 's9'], '400'],
      ['b2', null, 7_000],
      ['b3', ['s1'], 9_000],
    ];
    const lines = creditRoomByBuyer(credit, resting);
    expect(lines.get('b1')).toEqual([
      { sellerOrgId: 's1', buyerOrgId: 'b1', limitFen: 100_000, outstandingFen: 7_000, overdueInvoices: 0 },
      { sellerOrgId: 's2', buyerOrgId: 'b1', limitFen: 200_000, outstandingFen: 6_400, overdueInvoices: 1 },
      { sellerOrgId: 's3', buyerOrgId: 'b1', limitFen: 300_000, outstandingFen: 2_500, overdueInvoices: 0 },
    ]);
    expect(lines.get('b2')).toEqual([{ sellerOrgId: 's1', buyerOrgId: 'b2', limitFen: 50_000, outstandingFen: 0, overdueInvoices: 0 }]);
    expect(lines.has('b3')).toBe(false);
  });

  it('gives every line owed plus the resting buys whose sellers include it (property)', () => {
    const id = (p: string) => fc.nat({ max: 4 }).map((n) => `${p}${n}`);
    const lineArb = fc.record({ buyer: id('b'), seller: id('s'), limit: fc.nat(), owed: fc.nat(), overdue: fc.nat({ max: 3 }) });
    fc.assert(
      fc.property(
        fc.uniqueArray(lineArb, { selector: (l) => `${l.buyer} ${l.seller}`, maxLength: 20 }),
        fc.array(fc.record({ buyer: id('b'), sellers: fc.uniqueArray(id('s'), { maxLength: 5 }), fen: fc.nat() }), { maxLength: 10 }),
        (flat, rests) => {
          const buyers = [...new Set(flat.map((l) => l.buyer))];
          const credit: BuyerCreditRow[] = buyers.map((b) => {
            const mine = flat.filter((l) => l.buyer === b);
            return [b, mine.map((l) => l.seller), mine.map((l) => l.limit), mine.map((l) => l.owed), mine.map((l) => l.overdue)];
          });
          const lines = creditRoomByBuyer(
            credit,
            rests.map((r) => [r.buyer, r.sellers, r.fen]),
          );
          const got = [...lines.values()].flat();
          expect(got).toHaveLength(flat.length);
          for (const l of flat) {
            const expected = l.owed + rests.filter((r) => r.buyer === l.buyer && r.sellers.includes(l.seller)).reduce((sum, r) => sum + r.fen, 0);
            expect(got.find((g) => g.buyerOrgId === l.buyer && g.sellerOrgId === l.seller)).toEqual({ sellerOrgId: l.seller, buyerOrgId: l.buyer, limitFen: l.limit, outstandingFen: expected, overdueInvoices: l.overdue });
          }
        },
      ),
    );
  });
});
