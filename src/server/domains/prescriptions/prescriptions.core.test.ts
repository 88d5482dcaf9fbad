import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.ts';
import { haversineKm } from '../../../lib/geo.ts';
import {
  assertRxTransition,
  boxAround,
  chinaDayStart,
  chinaMinuteOfDay,
  expiryOf,
  FINAL_RX_STATUSES,
  gramsToDraw,
  ineligibleReason,
  isOpenAt,
  maskName,
  missingDecoctionSteps,
  reachableRxStatuses,
  RX_STATUSES,
  statusAfterDecoction,
  statusAfterDispensing,
  summarizeIneligible,
  type PharmacyFacts,
} from './prescriptions.core.ts';
import { newPickupCode, newStatusToken } from './prescriptions.codes.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'other';
  }
  return undefined;
}

describe('prescription state machine', () => {
  it('walks the happy paths and reaches every status', () => {
    expect(reachableRxStatuses()).toEqual(new Set(RX_STATUSES));
    expect([...FINAL_RX_STATUSES].sort()).toEqual(['cancelled', 'completed', 'expired', 'rejected']);
    expect(assertRxTransition('screened', 'approved', 'pharmacist')).toBe('screened');
    expect(assertRxTransition('routed', 'routed', 'system')).toBe('routed');
  });

  it('refuses forbidden moves: INVALID_TRANSITION for missing ones, FORBIDDEN for the wrong party', () => {
    expect(codeOf(() => assertRxTransition('screened', 'dispensing', 'pharmacy'))).toBe('INVALID_TRANSITION'); // 不得先药后方
    expect(codeOf(() => assertRxTransition('approved', 'accepted', 'pharmacy'))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => assertRxTransition('dispensing', 'expired', 'system'))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => assertRxTransition('completed', 'cancelled', 'physician'))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => assertRxTransition('bogus', 'screened', 'system'))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => assertRxTransition('screened', 'approved', 'physician'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertRxTransition('routed', 'accepted', 'pharmacist'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertRxTransition('routed', 'cancelled', 'pharmacy'))).toBe('FORBIDDEN');
  });

  it('picks the step after dispensing and decoction from 代煎 and pickup/delivery', () => {
    expect(statusAfterDispensing({ decoction: true, fulfilment: 'pickup' })).toBe('decocting');
    expect(statusAfterDispensing({ decoction: false, fulfilment: 'pickup' })).toBe('ready');
    expect(statusAfterDispensing({ decoction: false, fulfilment: 'delivery' })).toBe('shipped');
    expect(statusAfterDecoction({ fulfilment: 'delivery' })).toBe('shipped');
  });
});

describe('small rules', () => {
  it('validity is at most 3 days', () => {
    const issued = new Date('2026-03-01T02:00:00Z');
    expect(expiryOf(issued).toISOString()).toBe('2026-03-04T02:00:00.000Z');
    expect(expiryOf(issued, 1).toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(codeOf(() => expiryOf(issued, 4))).toBe('VALIDATION');
    expect(codeOf(() => expiryOf(issued, 0))).toBe('VALIDATION');
  });

  it('masks names and rounds stock draws up to whole grams', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('李*');
    expect(maskName('  Li Ming ')).toBe('L******');
    expect(gramsToDraw(9000, 7)).toBe(63);
    expect(gramsToDraw(500, 7)).toBe(4); // 3.5 g
    expect(gramsToDraw(50, 1)).toBe(1);
    expect(newPickupCode()).toMatch(/^\d{6}$/);
    expect(newStatusToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newStatusToken()).not.toBe(newStatusToken());
  });

  it('opening hours in Asia/Shanghai, across midnight and around the clock', () => {
    expect(chinaMinuteOfDay(new Date('2026-03-01T01:30:00Z'))).toBe(9 * 60 + 30);
    expect(chinaDayStart(new Date('2026-03-01T17:00:00Z')).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(chinaDayStart(new Date('2026-03-01T15:59:00Z')).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    const day = { opensAtMin: 8 * 60, closesAtMin: 22 * 60 };
    expect(isOpenAt(day, 8 * 60)).toBe(true);
    expect(isOpenAt(day, 22 * 60)).toBe(false);
    expect(isOpenAt({ opensAtMin: 20 * 60, closesAtMin: 2 * 60 }, 60)).toBe(true);
    expect(isOpenAt({ opensAtMin: 20 * 60, closesAtMin: 2 * 60 }, 12 * 60)).toBe(false);
    expect(isOpenAt({ opensAtMin: 0, closesAtMin: 0 }, 12 * 60)).toBe(true);
  });

  it('names the first failed routing rule and sums them for the hospital', () => {
    const ok: PharmacyFacts = { id: 'p1', active: true, mayTrade: true, open: true, capacityLeft: 3, decoction: true, km: 2, serviceRadiusKm: 10, stockG: { a: 100, b: 50 }, alreadyOffered: false };
    const rx = { decoction: true, needG: new Map([['a', 60], ['b', 50]]) };
    expect(ineligibleReason(ok, rx)).toBeNull();
    expect(ineligibleReason({ ...ok, open: false }, rx)).toEqual({ reason: 'closed' });
    expect(ineligibleReason({ ...ok, capacityLeft: 0 }, rx)).toEqual({ reason: 'capacity' });
    expect(ineligibleReason({ ...ok, decoction: false }, rx)).toEqual({ reason: 'decoction' });
    expect(ineligibleReason({ ...ok, decoction: false }, { ...rx, decoction: false })).toBeNull();
    expect(ineligibleReason({ ...ok, km: 10.5 }, rx)).toEqual({ reason: 'distance' });
    expect(ineligibleReason({ ...ok, stockG: { a: 59 } }, rx)).toEqual({ reason: 'stock', herbs: ['a', 'b'] });
    expect(ineligibleReason({ ...ok, mayTrade: false }, rx)).toEqual({ reason: 'licence' });
    const summary = summarizeIneligible([null, { reason: 'stock', herbs: ['b'] }, { reason: 'stock', herbs: ['a', 'b'] }, { reason: 'closed' }]);
    expect(summary.reasons).toMatchObject({ stock: 2, closed: 1, capacity: 0 });
    expect(summary.missingHerbIds).toEqual(['a', 'b']);
  });

  it('bounds the pharmacies worth loading with a box that holds the whole radius', () => {
    const center = { lat: 30.27, lng: 120.15 };
    const box = boxAround(center, 50);
    for (const [dLat, dLng] of [[0.449, 0], [-0.449, 0], [0, 0.519], [0, -0.519]]) {
      const p = { lat: center.lat + dLat!, lng: center.lng + dLng! };
      expect(haversineKm(center, p)).toBeLessThanOrEqual(50.1);
      expect(p.lat >= box.minLat && p.lat <= box.maxLat && p.lng >= box.lng!.min && p.lng <= box.lng!.max).toBe(true);
    }
    expect(boxAround({ lat: 89.9, lng: 0 }, 50).lng).toBeNull();
    expect(boxAround({ lat: 0, lng: 179.9 }, 50).lng).toBeNull();
  });

  it('asks for 先煎 and 后下 steps when items carry them', () => {
    expect(missingDecoctionSteps([], [null])).toEqual(['boil', 'pack']);
    expect(missingDecoctionSteps(['boil'], ['先煎', '后下'])).toEqual(['first_boil', 'pack', 'late_add']);
    expect(missingDecoctionSteps(['soak', 'first_boil', 'boil', 'late_add', 'pack'], ['先煎', '后下'])).toEqual([]);
  });
});
