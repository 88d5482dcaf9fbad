import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocationGrams, completionRows, expectedByDate, isBehind, totalsBy, type CompletionRow } from './completion.core.ts';

describe('completion tracking', () => {
  it('allocates the member share in whole grams', () => {
    expect(allocationGrams(3_000_000, 60)).toBe(1_800_000);
    expect(allocationGrams(7, 50)).toBe(3);
  });

  it("counts ordered and delivered grams per allocation from their orders' states, ignoring freed call-offs and other members", () => {
    const at = new Date('2031-03-10T08:00:00Z');
    const rows = completionRows(
      [{ contractId: 'c1', lotId: 'L1', memberOrgId: 'm1', supplierOrgId: 's1', agreedG: 1000 }],
      [
        { contractId: 'c1', memberOrgId: 'm1', grams: 300, orderStatus: 'completed', deliveredAt: at },
        { contractId: 'c1', memberOrgId: 'm1', grams: 200, orderStatus: 'pending_payment', deliveredAt: null },
        { contractId: 'c1', memberOrgId: 'm1', grams: 400, orderStatus: 'cancelled', deliveredAt: null },
        { contractId: 'c1', memberOrgId: 'm1', grams: 70, orderStatus: 'rejected', deliveredAt: null },
        { contractId: 'c1', memberOrgId: 'm1', grams: 30, orderStatus: 'refunded', deliveredAt: at },
        { contractId: 'c1', memberOrgId: 'm1', grams: 10, orderStatus: 'disputed', deliveredAt: at },
        { contractId: 'c1', memberOrgId: 'm2', grams: 50, orderStatus: 'paid', deliveredAt: null },
      ],
    );
    expect(rows).toEqual([{ contractId: 'c1', lotId: 'L1', memberOrgId: 'm1', supplierOrgId: 's1', agreedG: 1000, orderedG: 510, deliveredG: 310 }]);
  });

  it('totals conserve the sums whatever the grouping', () => {
    const row = fc.record({ contractId: fc.constantFrom('c1', 'c2', 'c3'), lotId: fc.constantFrom('L1', 'L2'), memberOrgId: fc.constantFrom('m1', 'm2'), supplierOrgId: fc.constantFrom('s1', 's2'), agreedG: fc.nat(1e9), orderedG: fc.nat(1e9), deliveredG: fc.nat(1e9) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        for (const keyOf of [(r: CompletionRow) => r.lotId, (r: CompletionRow) => r.memberOrgId, (r: CompletionRow) => r.supplierOrgId]) {
          const totals = totalsBy(rows, keyOf);
          for (const field of ['agreedG', 'orderedG', 'deliveredG'] as const) expect(totals.reduce((s, t) => s + t[field], 0)).toBe(rows.reduce((s, r) => s + r[field], 0));
        }
      }),
    );
  });

  it('expects an even pace over the term, never more than agreed, and flags members below 80 % of it', () => {
    expect(expectedByDate(365_000, '2031-01-01', '2031-12-31', '2030-12-31')).toBe(0);
    expect(expectedByDate(365_000, '2031-01-01', '2031-12-31', '2031-01-01')).toBe(1_000);
    expect(expectedByDate(365_000, '2031-01-01', '2031-12-31', '2032-06-01')).toBe(365_000);
    fc.assert(
      fc.property(fc.nat(1e9), fc.integer({ min: 0, max: 800 }), (agreed, offset) => {
        const today = new Date(Date.UTC(2030, 11, 1 + offset)).toISOString().slice(0, 10);
        const e = expectedByDate(agreed, '2031-01-01', '2031-12-31', today);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(agreed);
      }),
    );
    expect(isBehind(79, 100)).toBe(true);
    expect(isBehind(80, 100)).toBe(false);
    expect(isBehind(0, 0)).toBe(false);
  });
});
