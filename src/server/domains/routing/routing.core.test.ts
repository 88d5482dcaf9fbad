import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_KM, haversineKm, type LatLng } from '../../../lib/geo.ts';
import {
  PharmacyIndex,
  rankPharmacies,
  rankPharmaciesBruteForce,
  type Candidate,
  type RankOptions,
  type RoutablePharmacy,
  type RoutingRx,
} from './routing.core.ts';

const RAD = Math.PI / 180;

/** The point `km` away from `origin` on initial bearing `bearingDeg` (same sphere), lng in −180..180. */
function destination(origin: LatLng, bearingDeg: number, km: number): LatLng {
  const d = km / EARTH_RADIUS_KM;
  const theta = bearingDeg * RAD;
  const phi1 = origin.lat * RAD;
  const sinPhi2 = Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(theta);
  const phi2 = Math.asin(Math.max(-1, Math.min(1, sinPhi2)));
  const lambda2 =
    origin.lng * RAD + Math.atan2(Math.sin(theta) * Math.sin(d) * Math.cos(phi1), Math.cos(d) - Math.sin(phi1) * sinPhi2);
  let lng = ((((lambda2 / RAD + 180) % 360) + 360) % 360) - 180;
  if (lng < -180) lng = -180;
  if (lng > 180) lng = 180;
  return { lat: Math.max(-90, Math.min(90, phi2 / RAD)), lng };
}

const HANGZHOU: LatLng = { lat: 30.25, lng: 120.16 };

function pharmacy(id: string, at: LatLng, over: Partial<RoutablePharmacy> = {}): RoutablePharmacy {
  return { id, lat: at.lat, lng: at.lng, open: true, decoction: true, capacityLeft: 10, stockG: { 黄芪: 5000, 当归: 5000 }, ...over };
}

function rx(over: Partial<RoutingRx> = {}): RoutingRx {
  return { items: [{ herb: '黄芪', grams: 30 }], doses: 7, decoction: false, patient: HANGZHOU, ...over };
}

type Ranker = (rx: RoutingRx, pharmacies: readonly RoutablePharmacy[], options?: RankOptions) => Candidate[];

const implementations: Array<[string, Ranker]> = [
  ['brute force', rankPharmaciesBruteForce],
  ['index', (r, ps, o) => new PharmacyIndex(ps).rank(r, o)],
  ['index (nodeSize 2)', (r, ps, o) => new PharmacyIndex(ps, { nodeSize: 2 }).rank(r, o)],
];

describe.each(implementations)('routing rules (%s)', (_name, rank) => {
  it('ranks eligible pharmacies nearest first with km rounded to 3 decimals', () => {
    const ps = [
      pharmacy('far', destination(HANGZHOU, 90, 20)),
      pharmacy('near', destination(HANGZHOU, 10, 3.4123)),
      pharmacy('mid', destination(HANGZHOU, 200, 7.00049)),
    ];
    expect(rank(rx(), ps)).toEqual([
      { id: 'near', km: 3.412 },
      { id: 'mid', km: 7 },
      { id: 'far', km: 20 },
    ]);
  });

  it('requires the pharmacy to be open', () => {
    const ps = [pharmacy('closed', HANGZHOU, { open: false }), pharmacy('open', destination(HANGZHOU, 0, 1))];
    expect(rank(rx(), ps).map((c) => c.id)).toEqual(['open']);
  });

  it('requires capacity left today', () => {
    const ps = [pharmacy('full', HANGZHOU, { capacityLeft: 0 }), pharmacy('one', destination(HANGZHOU, 0, 1), { capacityLeft: 1 })];
    expect(rank(rx(), ps).map((c) => c.id)).toEqual(['one']);
  });

  it('requires decoction capability only when the rx asks for it', () => {
    const ps = [pharmacy('plain', HANGZHOU, { decoction: false }), pharmacy('decocts', destination(HANGZHOU, 0, 1))];
    expect(rank(rx({ decoction: true }), ps).map((c) => c.id)).toEqual(['decocts']);
    expect(rank(rx({ decoction: false }), ps).map((c) => c.id)).toEqual(['plain', 'decocts']);
  });

  it('requires stock of grams × doses for every item', () => {
    const items = [
      { herb: '黄芪', grams: 30 },
      { herb: '当归', grams: 10 },
    ];
    const ps = [
      pharmacy('exact', HANGZHOU, { stockG: { 黄芪: 210, 当归: 70 } }),
      pharmacy('short', HANGZHOU, { stockG: { 黄芪: 209.999, 当归: 5000 } }),
      pharmacy('missing', HANGZHOU, { stockG: { 黄芪: 5000 } }),
      pharmacy('second-short', HANGZHOU, { stockG: { 黄芪: 5000, 当归: 69.999 } }),
    ];
    expect(rank(rx({ items, doses: 7 }), ps).map((c) => c.id)).toEqual(['exact']);
  });

  it('compares decimal grams × doses with stock in milligrams, free of float error', () => {
    // 0.1 × 3 = 0.30000000000000004 and 1.1 × 3 = 3.3000000000000003 in floating point.
    const items = [
      { herb: '细辛', grams: 0.1 },
      { herb: '甘草', grams: 1.1 },
      { herb: '朱砂', grams: 0.003 },
    ];
    const exact = pharmacy('exact', HANGZHOU, { stockG: { 细辛: 0.3, 甘草: 3.3, 朱砂: 0.009 } });
    const milligramShort = pharmacy('short', HANGZHOU, { stockG: { 细辛: 0.3, 甘草: 3.299, 朱砂: 0.009 } });
    expect(rank(rx({ items, doses: 3 }), [exact, milligramShort]).map((c) => c.id)).toEqual(['exact']);
    const many = pharmacy('many', HANGZHOU, { stockG: { 甘草: 29.3 } });
    expect(rank(rx({ items: [{ herb: '甘草', grams: 2.93 }], doses: 10 }), [many]).map((c) => c.id)).toEqual(['many']);
  });

  it('adds up items naming the same herb', () => {
    const items = [
      { herb: '黄芪', grams: 20 },
      { herb: '黄芪', grams: 10 },
    ];
    const ps = [pharmacy('enough', HANGZHOU, { stockG: { 黄芪: 60 } }), pharmacy('per-item-only', HANGZHOU, { stockG: { 黄芪: 59 } })];
    expect(rank(rx({ items, doses: 2 }), ps).map((c) => c.id)).toEqual(['enough']);
  });

  it('looks herbs up as own keys only (no prototype properties)', () => {
    const ps = [pharmacy('p', HANGZHOU, { stockG: {} })];
    expect(rank(rx({ items: [{ herb: 'constructor', grams: 1 }] }), ps)).toEqual([]);
    expect(rank(rx({ items: [{ herb: 'toString', grams: 1 }] }), ps)).toEqual([]);
  });

  it('breaks distance ties by id (UTF-16 code unit order)', () => {
    const spot = destination(HANGZHOU, 45, 2);
    const ps = ['p2', 'p10', 'P1', 'p1', '药房'].map((id) => pharmacy(id, spot));
    ps.push(pharmacy('a-nearer', destination(HANGZHOU, 45, 1.5)));
    expect(rank(rx(), ps).map((c) => c.id)).toEqual(['a-nearer', 'P1', 'p1', 'p10', 'p2']);
    expect(rank(rx(), ps, { limit: 10 }).map((c) => c.id)).toEqual(['a-nearer', 'P1', 'p1', 'p10', 'p2', '药房']);
  });

  it('sorts by exact distance, not by the rounded km', () => {
    // Both print 2 km; 'z' is 0.2 m nearer, so it comes first despite its id.
    const ps = [pharmacy('a', destination(HANGZHOU, 0, 2.0002)), pharmacy('z', destination(HANGZHOU, 180, 2.0000))];
    expect(rank(rx(), ps)).toEqual([
      { id: 'z', km: 2 },
      { id: 'a', km: 2 },
    ]);
  });

  it('returns at most limit candidates (default 5)', () => {
    const ps = Array.from({ length: 12 }, (_, i) => pharmacy(`p${String(i).padStart(2, '0')}`, destination(HANGZHOU, i * 30, 1 + i)));
    expect(rank(rx(), ps).map((c) => c.id)).toEqual(['p00', 'p01', 'p02', 'p03', 'p04']);
    expect(rank(rx(), ps, { limit: 2 }).map((c) => c.id)).toEqual(['p00', 'p01']);
    expect(rank(rx(), ps, { limit: 100 })).toHaveLength(12);
    expect(rank(rx(), ps, { limit: 0 })).toEqual([]);
  });

  it('keeps pharmacies within maxKm, inclusive at the exact distance (default 50)', () => {
    const at = destination(HANGZHOU, 123, 30);
    const d = haversineKm(HANGZHOU, at);
    const ps = [pharmacy('edge', at)];
    expect(rank(rx(), ps, { maxKm: d })).toEqual([{ id: 'edge', km: 30 }]);
    const justBelow = d - d * Number.EPSILON;
    expect(justBelow).toBeLessThan(d);
    expect(rank(rx(), ps, { maxKm: justBelow })).toEqual([]);
    const fifty = [pharmacy('in', destination(HANGZHOU, 0, 49.99)), pharmacy('out', destination(HANGZHOU, 0, 50.01))];
    expect(rank(rx(), fifty).map((c) => c.id)).toEqual(['in']);
    expect(rank(rx(), fifty, { maxKm: 51 }).map((c) => c.id)).toEqual(['in', 'out']);
  });

  it('returns an empty list when nothing qualifies or there are no pharmacies', () => {
    expect(rank(rx(), [])).toEqual([]);
    expect(rank(rx(), [pharmacy('closed', HANGZHOU, { open: false })])).toEqual([]);
    expect(rank(rx(), [pharmacy('far', destination(HANGZHOU, 0, 60))])).toEqual([]);
  });

  it('works across the antimeridian and at the poles', () => {
    const east = { lat: -16.5, lng: 179.99 };
    const ps = [pharmacy('west', { lat: -16.5, lng: -179.99 }), pharmacy('same-east', { lat: -16.5, lng: 179.98 })];
    expect(rank(rx({ patient: east }), ps).map((c) => c.id)).toEqual(['same-east', 'west']);
    const pole = { lat: 90, lng: 0 };
    const polar = [pharmacy('a', { lat: 89.9, lng: 180 }), pharmacy('b', { lat: 89.9, lng: -90 }), pharmacy('c', { lat: 89.8, lng: 0 })];
    // a and b are equally far in theory; their computed distances differ in the last bits, and the
    // exact computed distance decides (see the module doc), so only the set is fixed here.
    const found = rank(rx({ patient: pole }), polar, { maxKm: 12 });
    expect(found.map((c) => c.km)).toEqual([11.12, 11.12]);
    expect(found.map((c) => c.id).sort()).toEqual(['a', 'b']);
  });

  it('refuses out-of-range coordinates and options with RangeError', () => {
    expect(() => rank(rx({ patient: { lat: 91, lng: 0 } }), [])).toThrow(RangeError);
    expect(() => rank(rx(), [pharmacy('bad', { lat: 0, lng: 181 })])).toThrow(/pharmacy bad/);
    expect(() => rank(rx(), [], { limit: 1.5 })).toThrow(RangeError);
    expect(() => rank(rx(), [], { maxKm: Number.NaN })).toThrow(RangeError);
    expect(() => rank(rx({ doses: 0 }), [])).toThrow(RangeError);
  });
});

describe('rankPharmacies', () => {
  it('is the brute-force scan', () => {
    expect(rankPharmacies).toBe(rankPharmaciesBruteForce);
  });
});

describe('PharmacyIndex', () => {
  it('sees open, capacity, decoction and stock changes once the pharmacy is refreshed (no rebuild)', () => {
    const a = pharmacy('a', destination(HANGZHOU, 0, 1));
    const b = pharmacy('b', destination(HANGZHOU, 0, 2));
    const index = new PharmacyIndex([a, b]);
    const ranked = (query = rx()): string[] => index.rank(query).map((c) => c.id);
    expect(ranked()).toEqual(['a', 'b']);
    a.open = false;
    expect(ranked()).toEqual(['a', 'b']); // not told yet
    index.refresh(a);
    expect(ranked()).toEqual(['b']);
    a.open = true;
    b.capacityLeft = 0;
    index.refresh(a);
    index.refresh(b);
    expect(ranked()).toEqual(['a']);
    b.capacityLeft = 1;
    a.stockG = { 黄芪: 1 };
    index.refresh(a);
    index.refresh(b);
    expect(ranked()).toEqual(['b']);
    a.stockG = { 黄芪: 210, 人参: 50 };
    a.decoction = false;
    index.refresh(a);
    expect(ranked(rx({ decoction: true }))).toEqual(['b']);
    expect(ranked()).toEqual(['a', 'b']);
    // A herb first stocked after the build gets its column.
    expect(ranked(rx({ items: [{ herb: '人参', grams: 5 }] }))).toEqual(['a']);
  });

  it('refuses to refresh a pharmacy it was not built with', () => {
    const index = new PharmacyIndex([pharmacy('a', destination(HANGZHOU, 0, 1))]);
    expect(() => index.refresh(pharmacy('a', destination(HANGZHOU, 0, 1)))).toThrow(RangeError);
  });

  it('indexes locations once: a moved pharmacy needs a new index', () => {
    const a = pharmacy('a', destination(HANGZHOU, 0, 1));
    const index = new PharmacyIndex([a]);
    Object.assign(a, destination(HANGZHOU, 0, 500));
    expect(index.rank(rx())).toEqual([{ id: 'a', km: 1 }]);
    expect(new PharmacyIndex([a]).rank(rx())).toEqual([]);
  });

  it('resolves many duplicated coordinates at the limit cut by id', () => {
    const spot = destination(HANGZHOU, 300, 4);
    const ps = Array.from({ length: 200 }, (_, i) => pharmacy(`p${(i * 7919) % 1000}`, spot));
    const expected = [...ps.map((p) => p.id)].sort().slice(0, 5);
    expect(new PharmacyIndex(ps).rank(rx()).map((c) => c.id)).toEqual(expected);
  });

  it('answers with the same result as the brute force at country scale', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const ps = Array.from({ length: 3000 }, (_, i) =>
      pharmacy(`p${i}`, destination(HANGZHOU, random() * 360, random() * 400), {
        open: random() < 0.9,
        capacityLeft: random() < 0.1 ? 0 : 5,
        stockG: { 黄芪: random() * 600 },
      }),
    );
    const index = new PharmacyIndex(ps);
    for (let q = 0; q < 200; q++) {
      const query = rx({ patient: destination(HANGZHOU, random() * 360, random() * 300), doses: 1 + Math.floor(random() * 14) });
      expect(index.rank(query, { limit: 10 })).toEqual(rankPharmaciesBruteForce(query, ps, { limit: 10 }));
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Property: the index answers exactly as the brute force (ties, rounding, boundary), also after the
// dynamic fields change, on adversarial geometry.

const HERBS = ['a', 'b', 'c', 'constructor'] as const;

const patientArb = fc.oneof(
  fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lng: fc.double({ min: -180, max: 180, noNaN: true }) }),
  // near the antimeridian
  fc.record({ lat: fc.double({ min: -70, max: 70, noNaN: true }), lng: fc.oneof(fc.double({ min: 179, max: 180, noNaN: true }), fc.double({ min: -180, max: -179, noNaN: true })) }),
  // near the poles
  fc.record({ lat: fc.oneof(fc.double({ min: 88, max: 90, noNaN: true }), fc.double({ min: -90, max: -88, noNaN: true })), lng: fc.double({ min: -180, max: 180, noNaN: true }) }),
  // exact, special values
  fc.record({ lat: fc.constantFrom(90, -90, 0, 30.25), lng: fc.constantFrom(180, -180, 0, 120.16) }),
);

const placementArb = fc.oneof(
  // somewhere around the patient, inside or outside maxKm
  fc.record({ kind: fc.constant('around' as const), bearing: fc.double({ min: 0, max: 360, noNaN: true }), frac: fc.double({ min: 0, max: 2, noNaN: true }) }),
  // on the maxKm boundary, give or take a few nanometres
  fc.record({ kind: fc.constant('edge' as const), bearing: fc.double({ min: 0, max: 360, noNaN: true }), nudge: fc.integer({ min: -3, max: 3 }) }),
  // on top of another pharmacy (exact distance ties)
  fc.record({ kind: fc.constant('duplicate' as const), of: fc.nat() }),
  // on top of the patient
  fc.constant({ kind: 'patient' as const }),
  // anywhere on Earth
  fc.record({ kind: fc.constant('anywhere' as const), lat: fc.double({ min: -90, max: 90, noNaN: true }), lng: fc.double({ min: -180, max: 180, noNaN: true }) }),
);

const stateArb = fc.record({
  open: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
  decoction: fc.boolean(),
  capacityLeft: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })),
  stockG: fc.dictionary(fc.constantFrom(...HERBS), fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 50, noNaN: true }))),
});

const specArb = fc.record({ placement: placementArb, state: stateArb, idPrefix: fc.constantFrom('p', 'P', 'q', 'p1', ''), idKey: fc.nat({ max: 999 }) });

const rxArb = fc.record({
  items: fc.array(fc.record({ herb: fc.constantFrom(...HERBS), grams: fc.integer({ min: 1, max: 5000 }).map((mg) => mg / 1000) }), { minLength: 0, maxLength: 3 }),
  doses: fc.integer({ min: 1, max: 7 }),
  decoction: fc.boolean(),
});

const optionsArb = fc.record({
  maxKm: fc.oneof(fc.constantFrom(0, 0.001, 1, 50, 5000, 19_000, 30_000), fc.double({ min: 0.001, max: 5000, noNaN: true })),
  limit: fc.integer({ min: 0, max: 12 }),
});

type Placement = typeof placementArb extends fc.Arbitrary<infer T> ? T : never;

function place(p: Placement, patient: LatLng, maxKm: number, placed: LatLng[]): LatLng {
  switch (p.kind) {
    case 'around':
      return destination(patient, p.bearing, Math.min(maxKm, 25_000) * p.frac);
    case 'edge': {
      const at = destination(patient, p.bearing, Math.min(maxKm, 19_000));
      return { lat: at.lat, lng: Math.max(-180, Math.min(180, at.lng + p.nudge * 1e-12)) };
    }
    case 'duplicate':
      return placed.length === 0 ? patient : placed[p.of % placed.length]!;
    case 'patient':
      return patient;
    case 'anywhere':
      return { lat: p.lat, lng: p.lng };
  }
}

describe('PharmacyIndex ≡ brute force (property)', () => {
  it('gives identical answers, before and after the dynamic fields change', () => {
    fc.assert(
      fc.property(
        patientArb,
        rxArb,
        optionsArb,
        // size 'max': fast-check otherwise keeps arrays around 10 items, too few for cuts inside ties
        fc.array(specArb, { maxLength: 80, size: 'max' }),
        fc.array(stateArb, { maxLength: 80, size: 'max' }),
        (patient, rxBase, options, specs, nextStates) => {
          const placed: LatLng[] = [];
          const pharmacies: RoutablePharmacy[] = specs.map((spec, i) => {
            const at = place(spec.placement, patient, options.maxKm, placed);
            placed.push(at);
            return { id: `${spec.idPrefix}${spec.idKey}-${i}`, lat: at.lat, lng: at.lng, ...spec.state };
          });
          const query: RoutingRx = { ...rxBase, patient };
          const index = new PharmacyIndex(pharmacies, { nodeSize: 4 });
          expect(index.rank(query, options)).toEqual(rankPharmaciesBruteForce(query, pharmacies, options));
          nextStates.forEach((state, i) => {
            const p = pharmacies[i];
            if (p) {
              Object.assign(p, state);
              index.refresh(p);
            }
          });
          expect(index.rank(query, options)).toEqual(rankPharmaciesBruteForce(query, pharmacies, options));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives identical answers for dense clusters with many ties and a wide limit', () => {
    fc.assert(
      fc.property(
        patientArb,
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat({ max: 9 }), fc.double({ min: 0, max: 360, noNaN: true }), fc.boolean(), fc.nat({ max: 9999 })), {
          minLength: 1,
          maxLength: 400,
          size: 'max',
        }),
        fc.integer({ min: 1, max: 30 }),
        (patient, limit, rows, maxKm) => {
          // 10 ring positions, so many pharmacies share coordinates (and some share distances).
          const pharmacies = rows.map(([ring, bearing, open, key], i) => {
            const at = destination(patient, ring % 3 === 0 ? 0 : bearing, ring * 3);
            return { id: `x${key}-${i}`, lat: at.lat, lng: at.lng, open, decoction: true, capacityLeft: 1, stockG: { a: 10 } };
          });
          const query: RoutingRx = { items: [{ herb: 'a', grams: 1 }], doses: 1, decoction: false, patient };
          expect(new PharmacyIndex(pharmacies).rank(query, { maxKm, limit })).toEqual(
            rankPharmaciesBruteForce(query, pharmacies, { maxKm, limit }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
