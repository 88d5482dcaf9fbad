/**
 * Great-circle geometry shared by routing and delivery (DOMAIN.md "Prescriptions": ranking by
 * great-circle distance; CONTRACTS.md `bencao rx-route`: haversine on a 6371.0088 km sphere).
 */

/** Mean Earth radius (IUGG R1 = (2a + b) / 3), the sphere every distance in Bencao is measured on. */
export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

export interface LatLng {
  /** Degrees, −90..90. */
  lat: number;
  /** Degrees, −180..180 (any value works: longitudes are periodic in the formula). */
  lng: number;
}

/**
 * Haversine of the central angle between `a` and `b` (0 for the same point, 1 for antipodes).
 * Exposed so that spatial indexes can compare points without the `asin`; `haversineKm` is a
 * monotone function of it.
 */
export function haversine(a: LatLng, b: LatLng): number {
  const sinHalfDLat = Math.sin(((b.lat - a.lat) * RAD) / 2);
  const sinHalfDLng = Math.sin(((b.lng - a.lng) * RAD) / 2);
  const h = sinHalfDLat * sinHalfDLat + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * sinHalfDLng * sinHalfDLng;
  // Rounding can push h a hair outside [0, 1] for (near-)antipodal points; asin would return NaN.
  return h < 0 ? 0 : h > 1 ? 1 : h;
}

/**
 * Great-circle distance in kilometres between two points on a sphere of radius
 * {@link EARTH_RADIUS_KM} (haversine formula: well-conditioned for short distances, which are the
 * ones routing cares about). Deterministic: the same inputs give the same bits on every platform
 * whose `Math.sin/cos/asin/sqrt` agree (V8 ships its own fdlibm port, so Node is consistent).
 */
export function haversineKm(a: LatLng, b: LatLng): number {
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(haversine(a, b)));
}

/**
 * Rounds a distance to 3 decimals (metres), half away from zero, **on its shortest decimal
 * representation** — the digits `String(x)` / `JSON.stringify` print — rather than on the binary
 * value.
 *
 * Why not `Math.round(x * 1000) / 1000`: `x * 1000` is itself rounded to a double, so a value that
 * prints as `0.5005` becomes `500.49999999999994` and rounds down to 0.5. `x.toFixed(3)` rounds the
 * exact binary expansion (`(1.0005).toFixed(3)` is `"1.000"`, `(12.3455).toFixed(3)` is
 * `"12.345"`), which surprises anyone reading the printed value. Here the decision is taken on the
 * decimal digits a person (or a JSON consumer) sees, so `roundKm(0.5005) === 0.501`,
 * `roundKm(1.0005) === 1.001` and `roundKm(1.0004999) === 1`, and the result is the double nearest
 * to a number with at most three decimals (an exact integer of metres divided by 1000, which IEEE
 * division rounds correctly), so it always prints with at most 3 decimals.
 *
 * Implementation: arithmetic when x·1000 is clearly away from a half metre (almost always), else
 * the digits of `String(x)` (shortest round-trip representation).
 *
 * Non-finite input and |x| ≥ 1e12 are returned unchanged; `-0` and tiny negatives come back as `0`.
 */
export function roundKm(x: number): number {
  if (!Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  // Below half a metre (0.0005 km) everything rounds to 0; this also keeps `String` away from
  // exponent notation (it switches below 1e-6).
  if (ax < 0.0005) return 0;
  // Far beyond any distance on Earth: returned as is, which keeps the integer of metres below
  // the digits need stay exact (and `String` in fixed notation).
  if (ax >= 1e12) return x;
  // Fast path (the common case): when x·1000 is not within 1e-6 of a half metre, the binary and the
  // decimal view agree — the shortest decimal differs from x by under half an ulp, and x·1000 is off
  // by at most an ulp of it (≤ 2^-22 for values below 1e9 / 1000 km), both far below 1e-6.
  const scaled = ax * 1000;
  if (scaled < 1e9) {
    const floor = Math.floor(scaled);
    const frac = scaled - floor;
    if (Math.abs(frac - 0.5) > 1e-6) {
      const rounded = (frac > 0.5 ? floor + 1 : floor) / 1000;
      return rounded === 0 ? 0 : sign * rounded;
    }
  }
  const text = String(ax); // shortest round-trip decimal, fixed notation in this range
  const dot = text.indexOf('.');
  if (dot === -1 || text.length - dot - 1 <= 3) return x;
  const whole = text.slice(0, dot);
  const frac = text.slice(dot + 1);
  let metres = Number(whole + frac.slice(0, 3)); // exact: at most 15 digits
  if (frac.charCodeAt(3) >= 53 /* '5' */) metres += 1;
  const rounded = metres / 1000;
  return rounded === 0 ? 0 : sign * rounded;
}
