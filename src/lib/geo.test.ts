import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_KM, haversineKm, roundKm } from './geo.ts';

const BEIJING = { lat: 39.9042, lng: 116.4074 };
const SHANGHAI = { lat: 31.2304, lng: 121.4737 };
const HANGZHOU = { lat: 30.2741, lng: 120.1551 };

describe('haversineKm', () => {
  it('measures known city distances (reference values: Vincenty formula on the same sphere)', () => {
    expect(haversineKm(BEIJING, SHANGHAI)).toBeCloseTo(1067.311645, 5);
    expect(roundKm(haversineKm(BEIJING, SHANGHAI))).toBe(1067.312);
    expect(haversineKm(SHANGHAI, HANGZHOU)).toBeCloseTo(164.874438, 5);
    expect(haversineKm({ lat: 51.5074, lng: -0.1278 }, { lat: 48.8566, lng: 2.3522 })).toBeCloseTo(343.556535, 5);
  });

  it('uses the 6371.0088 km sphere', () => {
    const oneDegree = (Math.PI * EARTH_RADIUS_KM) / 180;
    expect(EARTH_RADIUS_KM).toBe(6371.0088);
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 0, lng: 1 })).toBeCloseTo(oneDegree, 9);
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111.19508, 4);
    expect(haversineKm({ lat: 90, lng: 0 }, { lat: 0, lng: 42 })).toBeCloseTo((Math.PI * EARTH_RADIUS_KM) / 2, 9);
    expect(haversineKm({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 9);
    expect(haversineKm({ lat: 90, lng: 0 }, { lat: -90, lng: 0 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 9);
  });

  it('is zero for the same point and across the antimeridian and at the poles', () => {
    expect(haversineKm(BEIJING, BEIJING)).toBe(0);
    expect(haversineKm({ lat: 10, lng: 180 }, { lat: 10, lng: -180 })).toBeLessThan(1e-9);
    expect(haversineKm({ lat: 90, lng: -120 }, { lat: 90, lng: 60 })).toBeLessThan(1e-9);
    expect(haversineKm({ lat: 0, lng: 179.5 }, { lat: 0, lng: -179.5 })).toBeCloseTo(111.19508, 4);
  });

  it('is symmetric, non-negative, never NaN and bounded by half the circumference', () => {
    const point = fc.record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lng: fc.double({ min: -180, max: 180, noNaN: true }),
    });
    fc.assert(
      fc.property(point, point, (a, b) => {
        const d = haversineKm(a, b);
        expect(Number.isNaN(d)).toBe(false);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.PI * EARTH_RADIUS_KM + 1e-9);
        expect(Math.abs(d - haversineKm(b, a))).toBeLessThanOrEqual(1e-9 * (1 + d));
      }),
    );
  });
});

describe('roundKm', () => {
  it('rounds to 3 decimals, half away from zero on the printed decimal digits', () => {
    expect(roundKm(3.41249)).toBe(3.412);
    expect(roundKm(3.4125)).toBe(3.413);
    expect(roundKm(0.5005)).toBe(0.501); // 0.5005 * 1000 === 500.49999999999994 in binary
    expect(roundKm(1.0005)).toBe(1.001); // (1.0005).toFixed(3) === '1.000'
    expect(roundKm(12.3455)).toBe(12.346); // (12.3455).toFixed(3) === '12.345'
    expect(roundKm(1.0004999)).toBe(1);
    expect(roundKm(2.0004999999999997)).toBe(2);
    expect(roundKm(1.005)).toBe(1.005);
    expect(roundKm(0.1 + 0.2)).toBe(0.3);
    expect(roundKm(1067.3116451587264)).toBe(1067.312);
    expect(roundKm(0.9995)).toBe(1);
    expect(roundKm(999.9996)).toBe(1000);
    expect(roundKm(-1.0005)).toBe(-1.001);
  });

  it('handles tiny, zero, integral, huge and non-finite values', () => {
    expect(roundKm(0)).toBe(0);
    expect(Object.is(roundKm(-0), 0)).toBe(true);
    expect(Object.is(roundKm(-0.0001), 0)).toBe(true);
    expect(roundKm(0.0005)).toBe(0.001);
    expect(roundKm(0.00049999)).toBe(0);
    expect(roundKm(1e-7)).toBe(0);
    expect(roundKm(5e-324)).toBe(0);
    expect(roundKm(42)).toBe(42);
    expect(roundKm(1.5e13)).toBe(1.5e13);
    expect(roundKm(123_456_789.0125)).toBe(123_456_789.013);
    expect(roundKm(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(roundKm(Number.NaN))).toBe(true);
  });

  it('always prints at most 3 decimals, moves by at most half a metre and is idempotent', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 25_000, noNaN: true }), (x) => {
        const r = roundKm(x);
        expect(String(r)).toMatch(/^\d+(\.\d{1,3})?$/);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(roundKm(r)).toBe(r);
      }),
    );
  });

  /** Reference: round-half-up of `String(x)` to 3 decimals, in BigInt (x ≥ 1e-6, fixed notation). */
  function decimalReference(x: number): number {
    const [whole = '0', frac = ''] = String(x).split('.');
    const digits = BigInt(whole + frac.padEnd(4, '0').slice(0, 4));
    return Number((digits + 5n) / 10n) / 1000;
  }

  it('agrees with the decimal reference on arbitrary doubles and on neighbours of half metres', () => {
    const nearHalf = fc
      .tuple(fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: -4, max: 4 }))
      .map(([metres, ulps]) => {
        let x = (metres + 0.5) / 1000;
        for (let i = 0; i < Math.abs(ulps); i++) x = ulps > 0 ? x + x * Number.EPSILON * 0.5 : x - x * Number.EPSILON * 0.5;
        return x;
      });
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 1e-6, max: 25_000, noNaN: true }), nearHalf), (x) => {
        fc.pre(x >= 1e-6);
        expect(roundKm(x)).toBe(decimalReference(x));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with decimal rounding of the printed digits (checked with BigInt arithmetic)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000_000_000 }), fc.integer({ min: 0, max: 9 }), (micro, extra) => {
        // x = micro / 1e6 (+ a trailing digit), an exactly written decimal with up to 7 decimals.
        const text = `${Math.floor(micro / 1e6)}.${String(micro % 1e6).padStart(6, '0')}${extra}`;
        const x = Number(text);
        const digits = BigInt(text.replace('.', ''));
        const expected = Number((digits + 5000n) / 10000n) / 1000;
        expect(roundKm(x)).toBe(expected);
      }),
    );
  });
});
