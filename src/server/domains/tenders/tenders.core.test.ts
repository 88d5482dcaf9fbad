import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../../lib/canonical-json.ts';
import { AppError } from '../../../lib/errors.ts';
import { evaluateTender } from './evaluation.core.ts';
import type { LotResult } from './evaluation.types.ts';
import {
  aggregateDemand,
  assertBidPrice,
  assertSchedule,
  assertTenderTransition,
  bidCommitment,
  contractTerm,
  evaluationInput,
  findTenderTransition,
  planContracts,
  requiredCapacityG,
  TENDER_STATUSES,
  TENDER_TRANSITIONS,
  type TenderStatus,
} from './tenders.core.ts';
import { newNonce, newWrappedDataKey, sealBid, unsealBid, unwrapDataKey, deriveMasterKey, parseMasterKey } from './tenders.crypto.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'other';
  }
  return null;
};

describe('tender state machine', () => {
  it('follows the lifecycle draft → demand collection → published → opened → publicised → awarded', () => {
    const path: TenderStatus[] = ['draft', 'demand_collection', 'published', 'opened', 'publicised', 'awarded'];
    for (let i = 0; i + 1 < path.length; i += 1) expect(findTenderTransition(path[i]!, path[i + 1]!)).toBeDefined();
  });

  it('refuses every move not in the table (INVALID_TRANSITION) and moves by the wrong actor (FORBIDDEN)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TENDER_STATUSES), fc.constantFrom(...TENDER_STATUSES), fc.constantFrom('officer' as const, 'system' as const), (from, to, by) => {
        const t = TENDER_TRANSITIONS.find((x) => x.from === from && x.to === to);
        const code = codeOf(() => assertTenderTransition(from, to, by));
        if (!t) expect(code).toBe('INVALID_TRANSITION');
        else if (!t.by.includes(by)) expect(code).toBe('FORBIDDEN');
        else expect(code).toBeNull();
      }),
    );
    expect(codeOf(() => assertTenderTransition('nonsense', 'draft', 'officer'))).toBe('INVALID_TRANSITION');
  });

  it('only the system opens a tender; awarded and cancelled are final', () => {
    expect(codeOf(() => assertTenderTransition('published', 'opened', 'officer'))).toBe('FORBIDDEN');
    for (const final of ['awarded', 'cancelled'] as const) expect(TENDER_TRANSITIONS.some((t) => t.from === final)).toBe(false);
    expect(TENDER_TRANSITIONS.some((t) => ['opened', 'publicised', 'awarded'].includes(t.from) && t.to === 'cancelled')).toBe(false);
  });
});

describe('schedule and prices', () => {
  const now = new Date('2031-01-01T00:00:00Z');
  const d = (days: number) => new Date(now.getTime() + days * 86_400_000);
  it('names the first field out of order', () => {
    expect(() => assertSchedule({ demandDeadline: d(1), bidDeadline: d(2), openingAt: d(2), publicityEndsAt: d(9) }, now)).not.toThrow();
    const field = (s: Parameters<typeof assertSchedule>[0]) => {
      try {
        assertSchedule(s, now);
      } catch (e) {
        return (e as AppError).field;
      }
      return null;
    };
    expect(field({ demandDeadline: d(0), bidDeadline: d(2), openingAt: d(3), publicityEndsAt: d(9) })).toBe('demandDeadline');
    expect(field({ demandDeadline: d(3), bidDeadline: d(2), openingAt: d(3), publicityEndsAt: d(9) })).toBe('bidDeadline');
    expect(field({ demandDeadline: d(1), bidDeadline: d(2), openingAt: d(1), publicityEndsAt: d(9) })).toBe('openingAt');
    expect(field({ demandDeadline: d(1), bidDeadline: d(2), openingAt: d(3), publicityEndsAt: d(2) })).toBe('publicityEndsAt');
  });

  it('accepts exactly the positive integer prices up to the ceiling', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -5, max: 30_000 }), fc.double({ min: -1, max: 30_000, noNaN: true })), fc.integer({ min: 1, max: 20_000 }), (price, ceiling) => {
        const ok = Number.isSafeInteger(price) && price > 0 && price <= ceiling;
        expect(codeOf(() => assertBidPrice(price, ceiling))).toBe(ok ? null : 'VALIDATION');
      }),
    );
  });
});

describe('bid commitments and sealing', () => {
  const base = { tenderId: 'tdr_1', lotId: 'tlt_1', supplierId: 'org_1', fenPerKg: 8000, nonce: 'ab'.repeat(16) };
  it('is the SHA-256 of the canonical JSON of the five fields', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (tenderId, lotId, supplierId, nonce, fenPerKg) => {
        expect(bidCommitment({ tenderId, lotId, supplierId, nonce, fenPerKg })).toBe(sha256Hex(canonicalJson({ tenderId, lotId, supplierId, nonce, fenPerKg })));
      }),
    );
  });

  it('is a deterministic SHA-256 that changes with every field', () => {
    expect(bidCommitment(base)).toBe(bidCommitment({ ...base }));
    expect(bidCommitment(base)).toMatch(/^[0-9a-f]{64}$/);
    fc.assert(
      fc.property(fc.constantFrom('tenderId', 'lotId', 'supplierId', 'nonce') as fc.Arbitrary<'tenderId' | 'lotId' | 'supplierId' | 'nonce'>, fc.string({ minLength: 1, maxLength: 20 }), (key, value) => {
        fc.pre(value !== base[key]);
        expect(bidCommitment({ ...base, [key]: value })).not.toBe(bidCommitment(base));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (price) => {
        fc.pre(price !== base.fenPerKg);
        expect(bidCommitment({ ...base, fenPerKg: price })).not.toBe(bidCommitment(base));
      }),
    );
  });

  it('round-trips a sealed price and refuses a tampered value, another bid identity or another key', () => {
    const master = deriveMasterKey('test-secret');
    const wrapped = newWrappedDataKey(master, 'tdr_1');
    const key = unwrapDataKey(master, 'tdr_1', wrapped);
    expect(() => unwrapDataKey(master, 'tdr_2', wrapped)).toThrow();
    expect(() => unwrapDataKey(deriveMasterKey('other'), 'tdr_1', wrapped)).toThrow();
    const id = { tenderId: 'tdr_1', lotId: 'tlt_1', supplierId: 'org_1', bidId: 'tbd_1' };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (price) => {
        const nonce = newNonce();
        const sealed = sealBid(key, id, { fenPerKg: price, nonce });
        expect(unsealBid(key, id, sealed)).toEqual({ fenPerKg: price, nonce });
        expect(() => unsealBid(key, { ...id, supplierId: 'org_2' }, sealed)).toThrow();
        const raw = Buffer.from(sealed, 'base64');
        raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
        expect(() => unsealBid(key, id, raw.toString('base64'))).toThrow();
      }),
      { numRuns: 50 },
    );
  });

  it('parses a master key from hex or base64 and refuses other lengths', () => {
    expect(parseMasterKey('00'.repeat(32))).toHaveLength(32);
    expect(parseMasterKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(() => parseMasterKey('abcd')).toThrow();
  });
});

describe('demand, capacity and contracts', () => {
  it('aggregates demand per lot and region, conserving the total', () => {
    const row = fc.record({ lotId: fc.constantFrom('L1', 'L2', 'L3'), memberOrgId: fc.constantFrom('m1', 'm2', 'm3', 'm4'), regionCode: fc.constantFrom('330106', '330102', '320100'), grams: fc.integer({ min: 0, max: 10_000_000 }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const out = aggregateDemand(['L1', 'L2'], rows);
        for (const lot of out) {
          const mine = rows.filter((r) => r.lotId === lot.lotId);
          expect(lot.totalG).toBe(mine.reduce((s, r) => s + r.grams, 0));
          expect(lot.byRegion.reduce((s, r) => s + r.grams, 0)).toBe(lot.totalG);
          expect(lot.byRegion.map((r) => r.regionCode)).toEqual([...lot.byRegion.map((r) => r.regionCode)].sort());
        }
      }),
    );
  });

  it('requires capacity for half the demand, in whole grams', () => {
    expect(requiredCapacityG(5_000_000)).toBe(2_500_000);
    expect(requiredCapacityG(3)).toBe(1);
    expect(requiredCapacityG(0)).toBe(0);
  });

  it('splits every awarded lot among its winners: the contracts add up to the agreed volume exactly', () => {
    const winner = (rank: number) => ({ rank, bidId: `b${rank}`, supplierId: `s${rank}`, fenPerKg: 1000 + rank });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 1, max: 10 }), (agreedG, k) => {
        const lot: LotResult = { lotId: 'L1', status: 'awarded', validSuppliers: k, anchorFenPerKg: 1001, maxWinners: k, share: 0.6, agreedG, winners: Array.from({ length: k }, (_, i) => winner(i + 1)), rejected: [] };
        const plans = planContracts([lot, { ...lot, lotId: 'L2', status: 'failed', winners: [], agreedG: 0 }]);
        expect(plans).toHaveLength(k);
        expect(plans.reduce((s, p) => s + p.agreedG, 0)).toBe(agreedG);
        const sizes = plans.map((p) => p.agreedG);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      }),
    );
  });

  it('computes the contract term on the calendar', () => {
    expect(contractTerm('2031-03-09', 12)).toEqual({ startsOn: '2031-03-09', endsOn: '2032-03-08' });
    expect(contractTerm('2031-01-01', 1)).toEqual({ startsOn: '2031-01-01', endsOn: '2031-01-31' });
  });
});

describe('evaluation input', () => {
  it('feeds the pure core the same JSON whatever the order of the bids (same award hash)', () => {
    const bid = fc.record({ lot: fc.constantFrom('L1', 'L2'), supplier: fc.constantFrom('S1', 'S2', 'S3', 'S4', 'S5'), price: fc.integer({ min: 1, max: 15_000 }), minute: fc.integer({ min: 0, max: 600 }), qualified: fc.boolean(), q: fc.integer({ min: 0, max: 10_000 }) });
    fc.assert(
      fc.property(fc.array(bid, { maxLength: 25 }), fc.constantFrom('vbp_price' as const, 'weighted_score' as const), (raw, method) => {
        const bids = raw.map((b, i) => ({ id: `B${String(i).padStart(3, '0')}`, lotId: b.lot, supplierId: b.supplier, fenPerKg: b.price, submittedAt: new Date(Date.UTC(2031, 0, 1, 0, b.minute)), qualified: b.qualified, qualityScoreHundredths: b.q }));
        const lots = [
          { id: 'L1', ceilingFenPerKg: 12_000, demandG: 5_000_000 },
          { id: 'L2', ceilingFenPerKg: 9_000, demandG: 777 },
        ];
        const weights = method === 'weighted_score' ? { price: 60, quality: 40 } : null;
        const a = evaluateTender(evaluationInput(method, weights, lots, bids));
        const b = evaluateTender(evaluationInput(method, weights, lots, [...bids].reverse()));
        expect(b.sha256).toBe(a.sha256);
      }),
      { numRuns: 60 },
    );
  });
});
