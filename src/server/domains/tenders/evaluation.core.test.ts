import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../../lib/canonical-json.ts';
import {
  agreedGrams,
  compareInstants,
  evaluateTender,
  maxWinnersFor,
  parseInstant,
  sharePercentFor,
} from './evaluation.core.ts';
import { tenderInputSchema, type LotResult, type TenderInput } from './evaluation.types.ts';

// ---------------------------------------------------------------------------------------------------
// Builders

const T0 = '2026-01-01T08:00:00Z';

interface BidSpec {
  id: string;
  lotId?: string;
  supplierId: string;
  fenPerKg: number;
  submittedAt?: string;
  qualified?: boolean;
  qualityScore?: number;
}

interface LotSpec {
  id: string;
  ceilingFenPerKg: number;
  demandG: number;
}

function bid(spec: BidSpec) {
  return { lotId: 'L1', submittedAt: T0, qualified: true, ...spec };
}

/** A vbp_price tender, validated by the real schema (so the examples are valid CLI input too). */
function vbp(lots: LotSpec[], bids: BidSpec[]): TenderInput {
  return tenderInputSchema.parse({ method: 'vbp_price', lots, bids: bids.map(bid) });
}

function weighted(lots: LotSpec[], bids: BidSpec[], weights: { price: number; quality: number }): TenderInput {
  return tenderInputSchema.parse({ method: 'weighted_score', weights, lots, bids: bids.map(bid) });
}

function onlyLot(input: TenderInput): LotResult {
  const result = evaluateTender(input);
  expect(result.lots).toHaveLength(1);
  return result.lots[0]!;
}

const winnerIds = (lot: LotResult) => lot.winners.map((w) => w.bidId);
const reasons = (lot: LotResult) => Object.fromEntries(lot.rejected.map((r) => [r.bidId, r.reason]));

/** n suppliers S1…Sn on lot L1 (ceiling 10 000, demand 5 000 000 g) bidding 1000, 1001, … fen/kg. */
function ladder(n: number): TenderInput {
  const bids = Array.from({ length: n }, (_, i) => ({ id: `B${String(i + 1).padStart(3, '0')}`, supplierId: `S${i + 1}`, fenPerKg: 1000 + i }));
  return vbp([{ id: 'L1', ceilingFenPerKg: 10_000, demandG: 5_000_000 }], bids);
}

// ---------------------------------------------------------------------------------------------------
// Tables

describe('max winners and share tables (DOMAIN.md)', () => {
  const table: Array<[number, number]> = [
    [0, 0], [1, 1], [2, 2], [3, 2], [4, 3], [5, 3], [6, 3], [7, 4], [8, 5], [9, 6], [10, 6],
    [11, 7], [12, 8], [13, 8], [14, 9], [15, 9], [16, 10], [17, 10], [100, 10],
  ];
  it.each(table)('maxWinnersFor(%i) = %i', (n, expected) => {
    expect(maxWinnersFor(n)).toBe(expected);
  });

  // Every supplier is a candidate (all ≤ 50 % of the ceiling), so winners = maxWinners.
  // share 1 → 0.5, 2 → 0.6, 3 → 0.7, ≥ 4 → 0.8 of 5 000 000 g.
  const rows: Array<[number, number, number, number]> = [
    [1, 1, 0.5, 2_500_000], [2, 2, 0.6, 3_000_000], [3, 2, 0.6, 3_000_000], [4, 3, 0.7, 3_500_000],
    [5, 3, 0.7, 3_500_000], [6, 3, 0.7, 3_500_000], [7, 4, 0.8, 4_000_000], [8, 5, 0.8, 4_000_000],
    [9, 6, 0.8, 4_000_000], [10, 6, 0.8, 4_000_000], [11, 7, 0.8, 4_000_000], [12, 8, 0.8, 4_000_000],
    [13, 8, 0.8, 4_000_000], [14, 9, 0.8, 4_000_000], [15, 9, 0.8, 4_000_000], [16, 10, 0.8, 4_000_000],
    [17, 10, 0.8, 4_000_000], [30, 10, 0.8, 4_000_000],
  ];
  it.each(rows)('n = %i valid suppliers → %i winners, share %d, agreed %i g', (n, winners, share, agreedG) => {
    const lot = onlyLot(ladder(n));
    expect(lot.status).toBe('awarded');
    expect(lot.validSuppliers).toBe(n);
    expect(lot.anchorFenPerKg).toBe(1000);
    expect(lot.maxWinners).toBe(winners);
    expect(lot.winners).toHaveLength(winners);
    expect(lot.winners.map((w) => w.fenPerKg)).toEqual(Array.from({ length: winners }, (_, i) => 1000 + i));
    expect(lot.winners.map((w) => w.rank)).toEqual(Array.from({ length: winners }, (_, i) => i + 1));
    expect(lot.share).toBe(share);
    expect(lot.agreedG).toBe(agreedG);
    expect(lot.rejected).toHaveLength(n - winners);
    expect(lot.rejected.every((r) => r.reason === 'OUT_OF_SHORTLIST')).toBe(true);
  });

  it('share percent by number of winners', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(sharePercentFor)).toEqual([0, 50, 60, 70, 80, 80, 80]);
  });

  it('agreed grams are floored on integers, with no float error', () => {
    expect(agreedGrams(7, 50)).toBe(3); // 3.5
    expect(agreedGrams(3, 60)).toBe(1); // 1.8
    expect(agreedGrams(90, 70)).toBe(63); // 90 × 0.7 is 62.999… in floating point
    expect(agreedGrams(0, 80)).toBe(0);
    // 9 007 199 254 740 991 × 0.8 = 7 205 759 403 792 792.8; the float product rounds to …793.
    expect(agreedGrams(Number.MAX_SAFE_INTEGER, 80)).toBe(7_205_759_403_792_792);
    expect(agreedGrams(Number.MAX_SAFE_INTEGER, 50)).toBe(4_503_599_627_370_495);
  });

  it('share follows the actual number of winners, not maxWinners', () => {
    // n = 4 → maxWinners 3, but only the anchor is a candidate: 1000; 1801 > 1.8 × 1000 and > 50 % of 3000.
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 3000, demandG: 1_000_001 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 1000 },
        { id: 'B2', supplierId: 'S2', fenPerKg: 1801 },
        { id: 'B3', supplierId: 'S3', fenPerKg: 2500 },
        { id: 'B4', supplierId: 'S4', fenPerKg: 3000 },
      ]),
    );
    expect(lot.maxWinners).toBe(3);
    expect(winnerIds(lot)).toEqual(['B1']);
    expect(lot.share).toBe(0.5);
    expect(lot.agreedG).toBe(500_000); // floor(1 000 001 × 0.5)
    expect(reasons(lot)).toEqual({ B2: 'ABOVE_ANCHOR_LIMIT', B3: 'ABOVE_ANCHOR_LIMIT', B4: 'ABOVE_ANCHOR_LIMIT' });
  });
});

// ---------------------------------------------------------------------------------------------------
// vbp_price rules

describe('evaluateTender — vbp_price', () => {
  it('reproduces the CONTRACTS.md example exactly', () => {
    const result = evaluateTender(
      vbp([{ id: 'L1', ceilingFenPerKg: 12000, demandG: 5000000 }], [{ id: 'B1', supplierId: 'S1', fenPerKg: 8000 }]),
    );
    expect(result.lots).toEqual([
      {
        lotId: 'L1',
        status: 'awarded',
        validSuppliers: 1,
        anchorFenPerKg: 8000,
        maxWinners: 1,
        share: 0.5,
        agreedG: 2500000,
        winners: [{ rank: 1, bidId: 'B1', supplierId: 'S1', fenPerKg: 8000 }],
        rejected: [],
      },
    ]);
    expect(JSON.stringify(result.lots[0])).toBe(
      '{"lotId":"L1","status":"awarded","validSuppliers":1,"anchorFenPerKg":8000,"maxWinners":1,"share":0.5,"agreedG":2500000,' +
        '"winners":[{"rank":1,"bidId":"B1","supplierId":"S1","fenPerKg":8000}],"rejected":[]}',
    );
    expect(result.sha256).toBe(sha256Hex(canonicalJson(result.lots)));
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a later submission supersedes the earlier one, whatever else is wrong with the earlier one', () => {
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 10000, demandG: 1000 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 12000, submittedAt: '2026-01-01T08:00:00Z', qualified: false }, // also unqualified + above ceiling
        { id: 'B2', supplierId: 'S1', fenPerKg: 9000, submittedAt: '2026-01-01T08:30:00Z' }, // also above 1.8 × anchor
        { id: 'B3', supplierId: 'S1', fenPerKg: 6000, submittedAt: '2026-01-01T09:00:00Z' }, // counts
        { id: 'B4', supplierId: 'S2', fenPerKg: 5000, submittedAt: '2026-01-01T07:00:00Z' },
      ]),
    );
    expect(lot.validSuppliers).toBe(2); // distinct suppliers, not bids
    expect(lot.anchorFenPerKg).toBe(5000);
    expect(winnerIds(lot)).toEqual(['B4', 'B3']);
    expect(reasons(lot)).toEqual({ B1: 'SUPERSEDED', B2: 'SUPERSEDED' });
  });

  it('the latest bid counts even when it is invalid (and an earlier valid one stays superseded)', () => {
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 10000, demandG: 1000 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 5000, submittedAt: '2026-01-01T08:00:00Z' },
        { id: 'B2', supplierId: 'S1', fenPerKg: 10001, submittedAt: '2026-01-01T09:00:00Z' },
      ]),
    );
    expect(lot.status).toBe('failed');
    expect(reasons(lot)).toEqual({ B1: 'SUPERSEDED', B2: 'ABOVE_CEILING' });
  });

  it('same instant: the greater bid id counts (code-unit order: "B7" > "B10"), offsets compared as instants', () => {
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 10000, demandG: 1000 }], [
        { id: 'B10', supplierId: 'S1', fenPerKg: 4000, submittedAt: '2026-01-01T08:00:00Z' },
        { id: 'B7', supplierId: 'S1', fenPerKg: 4500, submittedAt: '2026-01-01T16:00:00+08:00' }, // same instant
        { id: 'B2', supplierId: 'S1', fenPerKg: 3000, submittedAt: '2026-01-01T09:00:00+02:00' }, // 07:00Z, earlier
      ]),
    );
    expect(winnerIds(lot)).toEqual(['B7']);
    expect(reasons(lot)).toEqual({ B10: 'SUPERSEDED', B2: 'SUPERSEDED' });
  });

  it('fractions of a second are compared exactly, beyond milliseconds', () => {
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 10000, demandG: 1000 }], [
        { id: 'B9', supplierId: 'S1', fenPerKg: 4000, submittedAt: '2026-01-01T08:00:00.1234567Z' },
        { id: 'B1', supplierId: 'S1', fenPerKg: 4500, submittedAt: '2026-01-01T08:00:00.12345671Z' }, // later by 10 ns
      ]),
    );
    expect(winnerIds(lot)).toEqual(['B1']);
    // ".50" and ".5" are the same instant: the greater id counts.
    const tie = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 10000, demandG: 1000 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 4000, submittedAt: '2026-01-01T08:00:00.50Z' },
        { id: 'B2', supplierId: 'S1', fenPerKg: 4500, submittedAt: '2026-01-01T08:00:00.5Z' },
      ]),
    );
    expect(winnerIds(tie)).toEqual(['B2']);
  });

  it('supersession is per lot: one supplier may bid on several lots', () => {
    const result = evaluateTender(
      vbp(
        [
          { id: 'L1', ceilingFenPerKg: 10000, demandG: 1000 },
          { id: 'L2', ceilingFenPerKg: 10000, demandG: 1000 },
        ],
        [
          { id: 'B1', lotId: 'L1', supplierId: 'S1', fenPerKg: 4000, submittedAt: '2026-01-01T08:00:00Z' },
          { id: 'B2', lotId: 'L2', supplierId: 'S1', fenPerKg: 4500, submittedAt: '2026-01-01T09:00:00Z' },
        ],
      ),
    );
    expect(result.lots.map(winnerIds)).toEqual([['B1'], ['B2']]);
  });

  it('price equal to the ceiling is valid; one fen above is ABOVE_CEILING', () => {
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 1500, demandG: 1000 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 1000 },
        { id: 'B2', supplierId: 'S2', fenPerKg: 1500 },
        { id: 'B3', supplierId: 'S3', fenPerKg: 1501 },
      ]),
    );
    expect(lot.validSuppliers).toBe(2);
    expect(winnerIds(lot)).toEqual(['B1', 'B2']);
    expect(reasons(lot)).toEqual({ B3: 'ABOVE_CEILING' });
  });

  it('an unqualified supplier is NOT_QUALIFIED (before ABOVE_CEILING) and does not count in n or the anchor', () => {
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 10000, demandG: 1000 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 100, qualified: false },
        { id: 'B2', supplierId: 'S2', fenPerKg: 20000, qualified: false },
        { id: 'B3', supplierId: 'S3', fenPerKg: 6000 },
      ]),
    );
    expect(lot.validSuppliers).toBe(1);
    expect(lot.anchorFenPerKg).toBe(6000);
    expect(winnerIds(lot)).toEqual(['B3']);
    expect(reasons(lot)).toEqual({ B1: 'NOT_QUALIFIED', B2: 'NOT_QUALIFIED' });
  });

  it('candidates: price ≤ 1.8 × anchor is in, one fen more is ABOVE_ANCHOR_LIMIT', () => {
    // Ceiling 3000: 50 % of it (1500) admits nothing extra. Anchor 1000 → limit 1800. n = 4 → 3 winners.
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 3000, demandG: 1000 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 1000 },
        { id: 'B2', supplierId: 'S2', fenPerKg: 1800 },
        { id: 'B3', supplierId: 'S3', fenPerKg: 1801 },
        { id: 'B4', supplierId: 'S4', fenPerKg: 2999 },
      ]),
    );
    expect(lot.maxWinners).toBe(3);
    expect(winnerIds(lot)).toEqual(['B1', 'B2']);
    expect(lot.share).toBe(0.6);
    expect(reasons(lot)).toEqual({ B3: 'ABOVE_ANCHOR_LIMIT', B4: 'ABOVE_ANCHOR_LIMIT' });
  });

  it('candidates: price ≤ 50 % of the ceiling is in even above 1.8 × anchor', () => {
    // Ceiling 9999 → half 4999.5; anchor 2000 → 1.8 × = 3600. 4999 in (50 % rule), 5000 out. n = 5 → 3 winners.
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 9999, demandG: 1000 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 2000 },
        { id: 'B2', supplierId: 'S2', fenPerKg: 4999 },
        { id: 'B3', supplierId: 'S3', fenPerKg: 5000 },
        { id: 'B4', supplierId: 'S4', fenPerKg: 3601 },
        { id: 'B5', supplierId: 'S5', fenPerKg: 9999 },
      ]),
    );
    expect(winnerIds(lot)).toEqual(['B1', 'B4', 'B2']);
    expect(reasons(lot)).toEqual({ B3: 'ABOVE_ANCHOR_LIMIT', B5: 'ABOVE_ANCHOR_LIMIT' });
    expect(lot.share).toBe(0.7);
  });

  it('anchor-limit comparison is exact beyond 2^53', () => {
    // anchor 5e15: 1.8 × anchor = 9e15 exactly; 9e15 + 1 is out (price × 10 is not representable as a double).
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: Number.MAX_SAFE_INTEGER, demandG: Number.MAX_SAFE_INTEGER }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 5_000_000_000_000_000 },
        { id: 'B2', supplierId: 'S2', fenPerKg: 9_000_000_000_000_000 },
        { id: 'B3', supplierId: 'S3', fenPerKg: 9_000_000_000_000_001 },
      ]),
    );
    expect(winnerIds(lot)).toEqual(['B1', 'B2']);
    expect(reasons(lot)).toEqual({ B3: 'ABOVE_ANCHOR_LIMIT' });
    expect(lot.agreedG).toBe(5_404_319_552_844_594); // floor((2^53 − 1) × 0.6)
  });

  it('ties on price are broken by earlier submission, then bid id', () => {
    // n = 4 → 3 winners; all at 5000.
    const lot = onlyLot(
      vbp([{ id: 'L1', ceilingFenPerKg: 10000, demandG: 1000 }], [
        { id: 'B1', supplierId: 'S1', fenPerKg: 5000, submittedAt: '2026-01-01T09:00:00Z' },
        { id: 'B9', supplierId: 'S2', fenPerKg: 5000, submittedAt: '2026-01-01T08:00:00Z' },
        { id: 'B10', supplierId: 'S3', fenPerKg: 5000, submittedAt: '2026-01-01T16:00:00+08:00' }, // = 08:00Z
        { id: 'B0', supplierId: 'S4', fenPerKg: 5000, submittedAt: '2026-01-01T10:00:00Z' },
      ]),
    );
    expect(lot.winners).toEqual([
      { rank: 1, bidId: 'B10', supplierId: 'S3', fenPerKg: 5000 },
      { rank: 2, bidId: 'B9', supplierId: 'S2', fenPerKg: 5000 },
      { rank: 3, bidId: 'B1', supplierId: 'S1', fenPerKg: 5000 },
    ]);
    expect(reasons(lot)).toEqual({ B0: 'OUT_OF_SHORTLIST' });
  });

  it('a lot with no valid bid fails, with every bid rejected; a lot with no bid at all fails too', () => {
    const result = evaluateTender(
      vbp(
        [
          { id: 'L1', ceilingFenPerKg: 1000, demandG: 9000 },
          { id: 'L2', ceilingFenPerKg: 1000, demandG: 9000 },
        ],
        [
          { id: 'B2', supplierId: 'S1', fenPerKg: 900, qualified: false },
          { id: 'B1', supplierId: 'S2', fenPerKg: 1001 },
          { id: 'B3', supplierId: 'S2', fenPerKg: 500, submittedAt: '2025-12-31T00:00:00Z' },
        ],
      ),
    );
    expect(result.lots).toEqual([
      {
        lotId: 'L1',
        status: 'failed',
        validSuppliers: 0,
        anchorFenPerKg: null,
        maxWinners: 0,
        share: 0,
        agreedG: 0,
        winners: [],
        rejected: [
          { bidId: 'B1', reason: 'ABOVE_CEILING' },
          { bidId: 'B2', reason: 'NOT_QUALIFIED' },
          { bidId: 'B3', reason: 'SUPERSEDED' },
        ],
      },
      { lotId: 'L2', status: 'failed', validSuppliers: 0, anchorFenPerKg: null, maxWinners: 0, share: 0, agreedG: 0, winners: [], rejected: [] },
    ]);
  });

  it('keeps lots in input order and rejected in bid-id (code unit) order', () => {
    const result = evaluateTender(
      vbp(
        [
          { id: 'Z', ceilingFenPerKg: 1000, demandG: 10 },
          { id: 'A', ceilingFenPerKg: 1000, demandG: 10 },
        ],
        [
          { id: 'b', lotId: 'A', supplierId: 'S1', fenPerKg: 2000 },
          { id: 'B', lotId: 'A', supplierId: 'S2', fenPerKg: 2000 },
          { id: 'B10', lotId: 'A', supplierId: 'S3', fenPerKg: 2000 },
          { id: 'B9', lotId: 'A', supplierId: 'S4', fenPerKg: 2000 },
          { id: 'x', lotId: 'Z', supplierId: 'S1', fenPerKg: 100 },
        ],
      ),
    );
    expect(result.lots.map((l) => l.lotId)).toEqual(['Z', 'A']);
    expect(result.lots[1]!.rejected.map((r) => r.bidId)).toEqual(['B', 'B10', 'B9', 'b']);
  });
});

// ---------------------------------------------------------------------------------------------------
// weighted_score

describe('evaluateTender — weighted_score', () => {
  // Weights 60/40, anchor 5000. score = 0.6 × (5000 / price) × 100 + 0.4 × quality:
  //   A 5000 q 70 → 0.6 × 100     + 28 = 88.00
  //   B 6000 q 95 → 0.6 × 83.333… + 38 = 88.00   (exact tie with A; as floats 50 + 38 may not be)
  //   E 5500 q 60 → 0.6 × 90.909… + 24 = 78.545…
  //   D 8000 q 100 → 0.6 × 62.5   + 40 = 77.50
  //   C 10000 q 100 → 0.6 × 50    + 40 = 70.00  (above 1.8 × anchor and 50 % of the ceiling: no filter here)
  // n = 5 → 3 winners: A (tie with B, cheaper), B, E. share 0.7.
  const lots = [{ id: 'L1', ceilingFenPerKg: 10000, demandG: 2_000_000 }];
  const bids: BidSpec[] = [
    { id: 'C', supplierId: 'S3', fenPerKg: 10000, qualityScore: 100 },
    { id: 'B', supplierId: 'S2', fenPerKg: 6000, qualityScore: 95 },
    { id: 'A', supplierId: 'S1', fenPerKg: 5000, qualityScore: 70 },
    { id: 'D', supplierId: 'S4', fenPerKg: 8000, qualityScore: 100 },
    { id: 'E', supplierId: 'S5', fenPerKg: 5500, qualityScore: 60 },
  ];

  it('ranks by score, ties broken by price (hand-computed example)', () => {
    const lot = onlyLot(weighted(lots, bids, { price: 60, quality: 40 }));
    expect(lot).toEqual({
      lotId: 'L1',
      status: 'awarded',
      validSuppliers: 5,
      anchorFenPerKg: 5000,
      maxWinners: 3,
      share: 0.7,
      agreedG: 1_400_000,
      winners: [
        { rank: 1, bidId: 'A', supplierId: 'S1', fenPerKg: 5000 },
        { rank: 2, bidId: 'B', supplierId: 'S2', fenPerKg: 6000 },
        { rank: 3, bidId: 'E', supplierId: 'S5', fenPerKg: 5500 },
      ],
      rejected: [
        { bidId: 'C', reason: 'OUT_OF_SHORTLIST' },
        { bidId: 'D', reason: 'OUT_OF_SHORTLIST' },
      ],
    });
  });

  it('weights are relative: 3/2 gives the same result as 60/40', () => {
    expect(evaluateTender(weighted(lots, bids, { price: 3, quality: 2 }))).toEqual(evaluateTender(weighted(lots, bids, { price: 60, quality: 40 })));
  });

  it('no 1.8 × anchor filter: with quality weight only, a bid at 2 × anchor can win', () => {
    // Scores: C 100, D 100 (tie → cheaper D first), B 95, A 70, E 60.
    const lot = onlyLot(weighted(lots, bids, { price: 0, quality: 1 }));
    expect(winnerIds(lot)).toEqual(['D', 'C', 'B']);
    expect(reasons(lot)).toEqual({ A: 'OUT_OF_SHORTLIST', E: 'OUT_OF_SHORTLIST' });
  });

  it('with price weight only, it ranks like the price method (without its candidate filter)', () => {
    const lot = onlyLot(weighted(lots, bids, { price: 1, quality: 0 }));
    expect(winnerIds(lot)).toEqual(['A', 'E', 'B']);
  });

  it('decimal quality scores and equal scores fall back to submission time, then id', () => {
    // Same price 5000 = anchor: score = 0.5 × 100 + 0.5 × q. Q1 80.25, Q2 80.25 (earlier), Q3 80.26.
    const lot = onlyLot(
      weighted(
        [{ id: 'L1', ceilingFenPerKg: 10000, demandG: 100 }],
        [
          { id: 'Q1', supplierId: 'S1', fenPerKg: 5000, qualityScore: 80.25, submittedAt: '2026-01-01T09:00:00Z' },
          { id: 'Q2', supplierId: 'S2', fenPerKg: 5000, qualityScore: 80.25, submittedAt: '2026-01-01T08:00:00Z' },
          { id: 'Q3', supplierId: 'S3', fenPerKg: 5000, qualityScore: 80.26, submittedAt: '2026-01-01T10:00:00Z' },
          { id: 'Q4', supplierId: 'S4', fenPerKg: 5000, qualityScore: 80.25, submittedAt: '2026-01-01T09:00:00Z' },
        ],
        { price: 1, quality: 1 },
      ),
    );
    expect(winnerIds(lot)).toEqual(['Q3', 'Q2', 'Q1']);
    expect(reasons(lot)).toEqual({ Q4: 'OUT_OF_SHORTLIST' });
  });

  it('compares huge scores exactly (BigInt path)', () => {
    // a = 3e15, weights 1e12 each (score normalised: 0.5 × 100 × a/p + 0.5 × q).
    // P (a, q 40) → 50 + 20 = 70; T (2a, q 90) → 25 + 45 = 70 (tie → cheaper P first); U (2a, q 90.01) → 70.005.
    const a = 3_000_000_000_000_000;
    const lot = onlyLot(
      weighted(
        [{ id: 'L1', ceilingFenPerKg: Number.MAX_SAFE_INTEGER, demandG: 10 }],
        [
          { id: 'T', supplierId: 'S2', fenPerKg: 2 * a, qualityScore: 90 },
          { id: 'P', supplierId: 'S1', fenPerKg: a, qualityScore: 40 },
          { id: 'U', supplierId: 'S3', fenPerKg: 2 * a, qualityScore: 90.01 },
          { id: 'V', supplierId: 'S4', fenPerKg: 2 * a + 1, qualityScore: 90 },
        ],
        { price: 1e12, quality: 1e12 },
      ),
    );
    expect(winnerIds(lot)).toEqual(['U', 'P', 'T']);
    expect(reasons(lot)).toEqual({ V: 'OUT_OF_SHORTLIST' });
  });

  it('validity and supersession work as for vbp_price', () => {
    const lot = onlyLot(
      weighted(
        [{ id: 'L1', ceilingFenPerKg: 10000, demandG: 100 }],
        [
          { id: 'W1', supplierId: 'S1', fenPerKg: 4000, qualityScore: 100, submittedAt: '2026-01-01T08:00:00Z' },
          { id: 'W2', supplierId: 'S1', fenPerKg: 9000, qualityScore: 50, submittedAt: '2026-01-01T09:00:00Z' },
          { id: 'W3', supplierId: 'S2', fenPerKg: 10001, qualityScore: 100 },
          { id: 'W4', supplierId: 'S3', fenPerKg: 5000, qualityScore: 100, qualified: false },
        ],
        { price: 60, quality: 40 },
      ),
    );
    expect(lot.validSuppliers).toBe(1);
    expect(lot.anchorFenPerKg).toBe(9000);
    expect(winnerIds(lot)).toEqual(['W2']);
    expect(reasons(lot)).toEqual({ W1: 'SUPERSEDED', W3: 'ABOVE_CEILING', W4: 'NOT_QUALIFIED' });
  });
});

// ---------------------------------------------------------------------------------------------------
// Instants

describe('parseInstant', () => {
  it('agrees with Date.parse to the millisecond for any offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (date, offsetMinutes) => {
          const local = new Date(date.getTime() + offsetMinutes * 60_000);
          if (local.getUTCFullYear() < 1 || local.getUTCFullYear() > 9999) return;
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const text = local.toISOString().replace('Z', offset);
          const instant = parseInstant(text);
          expect(instant.sec * 1000 + Number(instant.frac.padEnd(3, '0'))).toBe(Date.parse(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('compares fractions numerically and rejects what the schema rejects', () => {
    const at = (s: string) => parseInstant(s);
    expect(compareInstants(at('2026-01-01T08:00:00.5Z'), at('2026-01-01T08:00:00.500000Z'))).toBe(0);
    expect(compareInstants(at('2026-01-01T08:00:00.05Z'), at('2026-01-01T08:00:00.5Z'))).toBeLessThan(0);
    expect(compareInstants(at('2026-01-01T08:00:00.999999999Z'), at('2026-01-01T08:00:01Z'))).toBeLessThan(0);
    expect(compareInstants(at('2026-01-01T08:00:00Z'), at('2026-01-01T08:00:00-00:00'))).toBe(0);
    expect(() => parseInstant('2026-01-01T08:00:00')).toThrow();
    expect(() => parseInstant('2026-01-01 08:00:00Z')).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

/**
 * Reference implementation for the oracle property: written differently on purpose (quadratic scans,
 * BigInt nanoseconds via Date.parse, BigInt rationals for the score). Fractions have ≤ 9 digits here.
 */
function referenceEvaluate(input: TenderInput): LotResult[] {
  const ns = (s: string): bigint => {
    const fraction = /\.(\d+)/.exec(s)?.[1] ?? '';
    return BigInt(Date.parse(s)) * 1_000_000n + BigInt(fraction.padEnd(9, '0').slice(3, 9) || '0');
  };
  const shareOf = [0, 50, 60, 70];
  const table = [0, 1, 2, 2, 3, 3, 3, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10];
  return input.lots.map((lot) => {
    const lotBids = input.bids.filter((b) => b.lotId === lot.id);
    const reason = new Map<string, LotResult['rejected'][number]['reason']>();
    const counting = lotBids.filter((b) => {
      const newer = lotBids.some((o) => o.supplierId === b.supplierId && o !== b && (ns(o.submittedAt) > ns(b.submittedAt) || (ns(o.submittedAt) === ns(b.submittedAt) && o.id > b.id)));
      if (newer) reason.set(b.id, 'SUPERSEDED');
      return !newer;
    });
    const valid = counting.filter((b) => {
      if (!b.qualified) reason.set(b.id, 'NOT_QUALIFIED');
      else if (b.fenPerKg > lot.ceilingFenPerKg) reason.set(b.id, 'ABOVE_CEILING');
      else return true;
      return false;
    });
    const rejected = () => [...reason.entries()].map(([bidId, r]) => ({ bidId, reason: r })).sort((x, y) => (x.bidId < y.bidId ? -1 : 1));
    if (valid.length === 0) {
      return { lotId: lot.id, status: 'failed', validSuppliers: 0, anchorFenPerKg: null, maxWinners: 0, share: 0, agreedG: 0, winners: [], rejected: rejected() };
    }
    const anchor = Math.min(...valid.map((b) => b.fenPerKg));
    const maxWinners = table[Math.min(valid.length, 16)]!;
    const tieBreak = (x: (typeof valid)[number], y: (typeof valid)[number]) =>
      x.fenPerKg - y.fenPerKg || Number(ns(x.submittedAt) - ns(y.submittedAt)) || (x.id < y.id ? -1 : 1);
    let ranked: typeof valid;
    if (input.method === 'vbp_price') {
      ranked = valid.filter((b) => {
        const ok = BigInt(b.fenPerKg) * 10n <= BigInt(anchor) * 18n || BigInt(b.fenPerKg) * 2n <= BigInt(lot.ceilingFenPerKg);
        if (!ok) reason.set(b.id, 'ABOVE_ANCHOR_LIMIT');
        return ok;
      });
      ranked.sort(tieBreak);
    } else {
      const { price: wp, quality: wq } = input.weights;
      // score × price × 100 = wp·anchor·10000 + wq·(100·q)·price, over price
      const num = (b: (typeof valid)[number]) => BigInt(wp) * BigInt(anchor) * 10000n + BigInt(wq) * BigInt(Math.round((b.qualityScore ?? 0) * 100)) * BigInt(b.fenPerKg);
      ranked = [...valid].sort((x, y) => {
        const d = num(y) * BigInt(x.fenPerKg) - num(x) * BigInt(y.fenPerKg);
        return d > 0n ? 1 : d < 0n ? -1 : tieBreak(x, y);
      });
    }
    const winners = ranked.slice(0, maxWinners).map((b, i) => ({ rank: i + 1, bidId: b.id, supplierId: b.supplierId, fenPerKg: b.fenPerKg }));
    for (const b of ranked.slice(maxWinners)) reason.set(b.id, 'OUT_OF_SHORTLIST');
    const pct = shareOf[winners.length] ?? 80;
    return {
      lotId: lot.id,
      status: 'awarded',
      validSuppliers: valid.length,
      anchorFenPerKg: anchor,
      maxWinners,
      share: pct / 100,
      agreedG: Number((BigInt(lot.demandG) * BigInt(pct)) / 100n),
      winners,
      rejected: rejected(),
    };
  });
}

// Instants with deliberate collisions: several spellings of 08:00:00Z and of 08:00:00.5Z.
const INSTANTS = [
  '2026-01-01T08:00:00Z',
  '2026-01-01T16:00:00+08:00',
  '2026-01-01T03:00:00-05:00',
  '2026-01-01T08:00:00.5Z',
  '2026-01-01T08:00:00.500000000Z',
  '2026-01-01T08:00:00.000000001Z',
  '2026-01-01T07:59:59.999999999-00:00',
  '2026-01-01T08:00:01Z',
  '2025-12-31T23:59:59.123Z',
];

const tenderArb = fc
  .record({
    method: fc.constantFrom('vbp_price' as const, 'weighted_score' as const),
    lots: fc.array(
      fc.record({
        ceilingFenPerKg: fc.oneof(fc.integer({ min: 500, max: 3000 }), fc.constantFrom(1000, 2000)),
        demandG: fc.oneof(fc.integer({ min: 0, max: 1_000_000_000 }), fc.constant(Number.MAX_SAFE_INTEGER)),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    bidIds: fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 60 }),
    bidSeeds: fc.array(
      fc.record({
        lot: fc.nat(),
        supplier: fc.integer({ min: 1, max: 20 }),
        fenPerKg: fc.oneof(fc.integer({ min: 1, max: 3500 }), fc.constantFrom(500, 900, 1000, 1001, 1800, 1801)),
        at: fc.constantFrom(...INSTANTS),
        qualified: fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
        qualityScore: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 10000 }).map((x) => x / 100), fc.constantFrom(80, 90, 100)),
      }),
      { maxLength: 60 },
    ),
    weights: fc.record({ price: fc.nat({ max: 100 }), quality: fc.nat({ max: 100 }) }).filter((w) => w.price + w.quality > 0),
  })
  .map(({ method, lots, bidIds, bidSeeds, weights }): TenderInput => {
    const lotList = lots.map((l, i) => ({ id: `L${i + 1}`, ...l }));
    const bids = bidIds.slice(0, bidSeeds.length).map((n, i) => {
      const s = bidSeeds[i]!;
      return {
        id: `B${n}`,
        lotId: `L${(s.lot % lotList.length) + 1}`,
        supplierId: `S${s.supplier}`,
        fenPerKg: s.fenPerKg,
        submittedAt: s.at,
        qualified: s.qualified,
        qualityScore: s.qualityScore,
      };
    });
    return tenderInputSchema.parse({ method, lots: lotList, bids, ...(method === 'weighted_score' ? { weights } : {}) });
  });

describe('evaluateTender — properties', () => {
  it('matches the reference implementation', () => {
    fc.assert(
      fc.property(tenderArb, (input) => {
        expect(evaluateTender(input).lots).toEqual(referenceEvaluate(input));
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: same input → same output and sha; sha = SHA-256 of canonical lots', () => {
    fc.assert(
      fc.property(tenderArb, (input) => {
        const a = evaluateTender(input);
        const b = evaluateTender(structuredClone(input));
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        expect(a.sha256).toBe(sha256Hex(canonicalJson(a.lots)));
      }),
      { numRuns: 200 },
    );
  });

  it('shuffling the bids gives an identical output and sha', () => {
    const withShuffle = tenderArb.chain((input) =>
      fc.tuple(fc.constant(input), fc.shuffledSubarray(input.bids, { minLength: input.bids.length, maxLength: input.bids.length })),
    );
    fc.assert(
      fc.property(withShuffle, ([input, shuffled]) => {
        const a = evaluateTender(input);
        const b = evaluateTender(tenderInputSchema.parse({ ...input, bids: shuffled }));
        expect(b.sha256).toBe(a.sha256);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 200 },
    );
  });

  it('every bid appears exactly once, in its own lot, in winners ∪ rejected', () => {
    fc.assert(
      fc.property(tenderArb, (input) => {
        const result = evaluateTender(input);
        const seen = new Map<string, string>();
        for (const lot of result.lots) {
          for (const id of [...lot.winners.map((w) => w.bidId), ...lot.rejected.map((r) => r.bidId)]) {
            expect(seen.has(id)).toBe(false);
            seen.set(id, lot.lotId);
          }
        }
        expect(seen.size).toBe(input.bids.length);
        for (const b of input.bids) expect(seen.get(b.id)).toBe(b.lotId);
      }),
      { numRuns: 200 },
    );
  });

  it('winners ≤ maxWinners, ranked 1…k, one per supplier; shapes and bounds hold', () => {
    fc.assert(
      fc.property(tenderArb, (input) => {
        const result = evaluateTender(input);
        expect(result.lots.map((l) => l.lotId)).toEqual(input.lots.map((l) => l.id));
        result.lots.forEach((lot, i) => {
          const spec = input.lots[i]!;
          expect(lot.winners.length).toBeLessThanOrEqual(lot.maxWinners);
          expect(lot.winners.map((w) => w.rank)).toEqual(lot.winners.map((_, k) => k + 1));
          expect(new Set(lot.winners.map((w) => w.supplierId)).size).toBe(lot.winners.length);
          expect(lot.agreedG).toBeLessThanOrEqual(spec.demandG);
          expect(lot.agreedG).toBe(Number((BigInt(spec.demandG) * BigInt(Math.round(lot.share * 100))) / 100n));
          const ids = lot.rejected.map((r) => r.bidId);
          expect(ids).toEqual([...ids].sort());
          if (lot.status === 'failed') {
            expect(lot).toMatchObject({ validSuppliers: 0, anchorFenPerKg: null, maxWinners: 0, share: 0, agreedG: 0, winners: [] });
          } else {
            expect(lot.winners.length).toBeGreaterThanOrEqual(1);
            expect(lot.maxWinners).toBe(maxWinnersFor(lot.validSuppliers));
            expect(lot.share).toBe(sharePercentFor(lot.winners.length) / 100);
            for (const w of lot.winners) expect(w.fenPerKg).toBeLessThanOrEqual(spec.ceilingFenPerKg);
            if (input.method === 'vbp_price') {
              expect(lot.winners[0]!.fenPerKg).toBe(lot.anchorFenPerKg);
              const prices = lot.winners.map((w) => w.fenPerKg);
              expect(prices).toEqual([...prices].sort((x, y) => x - y));
            } else {
              expect(lot.rejected.some((r) => r.reason === 'ABOVE_ANCHOR_LIMIT')).toBe(false);
            }
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Input schema (the CLI reports the first issue as `field: problem`)

describe('tenderInputSchema', () => {
  const L = { id: 'L1', ceilingFenPerKg: 12000, demandG: 5000000 };
  const B = { id: 'B1', lotId: 'L1', supplierId: 'S1', fenPerKg: 8000, submittedAt: T0, qualified: true };
  const W = { method: 'weighted_score', weights: { price: 60, quality: 40 }, lots: [L], bids: [{ ...B, qualityScore: 80 }] };
  const V = { method: 'vbp_price', lots: [L], bids: [B] };
  const withBid = (patch: Record<string, unknown>, base: Record<string, unknown> = V) => ({
    ...base,
    bids: [{ ...(base.bids as Array<Record<string, unknown>>)[0], ...patch }],
  });

  const firstIssue = (value: unknown): [string, string] | 'ok' => {
    const r = tenderInputSchema.safeParse(value);
    if (r.success) return 'ok';
    const issue = r.error.issues[0]!;
    return [issue.path.length === 0 ? '(input)' : issue.path.map(String).join('.'), issue.message];
  };

  const refused: Array<[string, unknown, string, RegExp]> = [
    ['not an object', [1], '(input)', /JSON object/],
    ['unknown method', { ...V, method: 'lowest_price' }, 'method', /vbp_price, weighted_score/],
    ['no lots', { ...V, lots: [] }, 'lots', /at least one lot/],
    ['lot not an object', { ...V, lots: [null] }, 'lots.0', /lot object/],
    ['empty lot id', { ...V, lots: [{ ...L, id: '' }] }, 'lots.0.id', /empty/],
    ['lot id of 65 characters', { ...V, lots: [{ ...L, id: 'x'.repeat(65) }] }, 'lots.0.id', /64/],
    ['zero ceiling', { ...V, lots: [{ ...L, ceilingFenPerKg: 0 }] }, 'lots.0.ceilingFenPerKg', /positive/],
    ['unsafe ceiling', { ...V, lots: [{ ...L, ceilingFenPerKg: 2 ** 53 }] }, 'lots.0.ceilingFenPerKg', /2\^53/],
    ['negative demand', { ...V, lots: [{ ...L, demandG: -1 }] }, 'lots.0.demandG', /negative/],
    ['fractional demand', { ...V, lots: [{ ...L, demandG: 1.5 }] }, 'lots.0.demandG', /whole/],
    ['duplicate lot id', { ...V, lots: [L, { ...L }] }, 'lots.1.id', /duplicate lot id "L1" \(first at lots\.0\)/],
    ['bids not an array', { ...V, bids: {} }, 'bids', /array/],
    ['non-integer fen', withBid({ fenPerKg: 80.5 }), 'bids.0.fenPerKg', /fractions of a fen/],
    ['fen as a string', withBid({ fenPerKg: '8000' }), 'bids.0.fenPerKg', /number/],
    ['zero fen', withBid({ fenPerKg: 0 }), 'bids.0.fenPerKg', /positive/],
    ['unknown lotId', withBid({ lotId: 'L9' }), 'bids.0.lotId', /unknown lot "L9"/],
    ['missing supplierId', withBid({ supplierId: undefined }), 'bids.0.supplierId', /string/],
    ['qualified as a string', withBid({ qualified: 'yes' }), 'bids.0.qualified', /true or false/],
    ['submittedAt without offset', withBid({ submittedAt: '2026-01-01T08:00:00' }), 'bids.0.submittedAt', /offset/],
    ['submittedAt without seconds', withBid({ submittedAt: '2026-01-01T08:00Z' }), 'bids.0.submittedAt', /seconds/],
    ['submittedAt on 30 February', withBid({ submittedAt: '2026-02-30T08:00:00Z' }), 'bids.0.submittedAt', /ISO-8601/],
    ['submittedAt as epoch ms', withBid({ submittedAt: 1767254400000 }), 'bids.0.submittedAt', /ISO-8601/],
    ['weighted without weights', { ...W, weights: undefined }, 'weights', /required for method weighted_score/],
    ['weights summing to 0', { ...W, weights: { price: 0, quality: 0 } }, 'weights', /greater than 0/],
    ['negative weight', { ...W, weights: { price: -1, quality: 40 } }, 'weights.price', /negative/],
    ['fractional weight', { ...W, weights: { price: 60, quality: 0.5 } }, 'weights.quality', /whole/],
    ['weighted without qualityScore', withBid({ qualityScore: undefined }, W), 'bids.0.qualityScore', /required for method weighted_score/],
    ['qualityScore above 100', withBid({ qualityScore: 100.01 }, W), 'bids.0.qualityScore', /0 to 100/],
    ['qualityScore with 3 decimals', withBid({ qualityScore: 80.125 }, W), 'bids.0.qualityScore', /2 decimals/],
    ['vbp qualityScore out of range', withBid({ qualityScore: -1 }), 'bids.0.qualityScore', /0 to 100/],
  ];
  it.each(refused)('refuses %s, naming the field', (_name, value, field, problem) => {
    const issue = firstIssue(value);
    expect(issue).not.toBe('ok');
    expect(issue[0]).toBe(field);
    expect(issue[1]).toMatch(problem);
  });

  it('refuses a duplicate bid id at the later occurrence', () => {
    expect(firstIssue({ ...V, bids: [B, { ...B, supplierId: 'S2' }] })).toEqual(['bids.1.id', 'duplicate bid id "B1" (first at bids.0)']);
  });

  it('accepts offsets, fractions, decimals and ignores weights/quality for vbp_price', () => {
    expect(firstIssue(withBid({ submittedAt: '2026-01-01T16:00:00.123456789+08:00' }))).toBe('ok');
    expect(firstIssue(withBid({ qualityScore: 86.25 }, W))).toBe('ok');
    expect(firstIssue({ ...V, weights: { price: 1, quality: 0 } })).toBe('ok');
    expect(firstIssue({ ...V, lots: [{ ...L, demandG: 0, ceilingFenPerKg: Number.MAX_SAFE_INTEGER }] })).toBe('ok');
    expect(firstIssue({ ...V, bids: [] })).toBe('ok');
  });
});
