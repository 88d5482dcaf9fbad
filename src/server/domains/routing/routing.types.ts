import { z } from 'zod';
import { DEFAULT_LIMIT, DEFAULT_MAX_KM, gramsToMg, type RoutablePharmacy, type RoutingRx } from './routing.core.ts';
import { msg } from '../../../lib/messages.ts';

/**
 * Input of prescription routing (CONTRACTS.md `bencao rx-route`, DOMAIN.md "Prescriptions"), shared
 * by the CLI and REST. The schema is the single gate: `rankPharmacies` assumes an input it accepted.
 *
 * Field rules:
 * - `rx.items`: 1–60 items; `herb` a non-empty string (matched exactly against `stockG` keys);
 *   `grams` (per dose) > 0 with at most 3 decimals (milligram precision).
 * - `rx.doses`: integer ≥ 1; every `grams × doses` must stay a safe integer number of milligrams.
 * - `rx.decoction`: boolean (代煎 requested). `rx.patient`: `lat` −90..90, `lng` −180..180.
 * - `maxKm`: > 0 and ≤ 5000, default 50. `limit`: integer 1–100, default 5.
 * - `pharmacies[]`: `id` non-empty string, unique (a duplicate is reported at the later occurrence,
 *   e.g. `pharmacies.7.id`); `lat`/`lng` as the patient; `open`, `decoction` booleans; `capacityLeft`
 *   integer ≥ 0; `stockG` herb → grams in stock, a finite number ≥ 0.
 * Unknown keys are ignored (stripped), so callers may send richer pharmacy or rx records.
 */

/** True when `x` is the double nearest to a decimal with at most 3 fraction digits (1.005 is). */
export function hasAtMost3Decimals(x: number): boolean {
  return Number.isFinite(x) && Number(x.toFixed(3)) === x;
}

const latitude = z
  .number({ error: 'must be a number (latitude in degrees)' })
  .min(-90, { error: 'must be a latitude from -90 to 90' })
  .max(90, { error: 'must be a latitude from -90 to 90' });

const longitude = z
  .number({ error: 'must be a number (longitude in degrees)' })
  .min(-180, { error: 'must be a longitude from -180 to 180' })
  .max(180, { error: 'must be a longitude from -180 to 180' });

const boolean = (what: string) => z.boolean({ error: `must be true or false (${what})` });

export const rxItemSchema = z.object({
  herb: z.string({ error: 'must be a string (herb name)' }).min(1, { error: 'must not be empty (herb name)' }),
  grams: z
    .number({ error: 'must be a number (grams per dose)' })
    .positive({ error: 'must be greater than 0 (grams per dose)' })
    .refine(hasAtMost3Decimals, { error: msg('rx.gramsPrecision') }),
});

export const routingRxSchema = z
  .object({
    items: z
      .array(rxItemSchema, { error: 'must be an array of {herb, grams}' })
      .min(1, { error: 'must list at least 1 item' })
      .max(60, { error: 'must list at most 60 items' }),
    doses: z
      .number({ error: 'must be a number (doses)' })
      .int({ error: 'must be a whole number of doses' })
      .min(1, { error: 'must be at least 1 dose' })
      .max(Number.MAX_SAFE_INTEGER, { error: 'must be a safe integer' }),
    decoction: boolean('decoction requested'),
    patient: z.object(
      { lat: latitude, lng: longitude },
      { error: 'must be an object {lat, lng}' },
    ),
  }, { error: 'must be an object {items, doses, decoction, patient}' })
  .superRefine((rx, ctx) => {
    rx.items.forEach((item, i) => {
      if (!Number.isSafeInteger(gramsToMg(item.grams) * rx.doses)) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'grams'], message: 'grams × doses is too large' });
      }
    });
  });

export const routablePharmacySchema = z.object(
  {
    id: z.string({ error: 'must be a string (pharmacy id)' }).min(1, { error: 'must not be empty (pharmacy id)' }),
    lat: latitude,
    lng: longitude,
    open: boolean('open now'),
    decoction: boolean('decoction capability'),
    capacityLeft: z
      .number({ error: 'must be a number (prescriptions it can still take today)' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must not be negative' }),
    stockG: z.record(
      z.string(),
      z.number({ error: 'must be a number (grams in stock)' }).min(0, { error: 'must not be negative (grams in stock)' }),
      { error: 'must be an object mapping herb → grams in stock' },
    ),
  },
  { error: 'must be an object {id, lat, lng, open, decoction, capacityLeft, stockG}' },
);

export const rxRouteInputSchema = z.object(
  {
    rx: routingRxSchema,
    maxKm: z
      .number({ error: 'must be a number (km)' })
      .positive({ error: 'must be greater than 0 (km)' })
      .max(5000, { error: 'must be at most 5000 (km)' })
      .default(DEFAULT_MAX_KM),
    limit: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be from 1 to 100' })
      .max(100, { error: 'must be from 1 to 100' })
      .default(DEFAULT_LIMIT),
    pharmacies: z
      .array(routablePharmacySchema, { error: 'must be an array of pharmacies' })
      .superRefine((pharmacies, ctx) => {
        const firstAt = new Map<string, number>();
        pharmacies.forEach((p, i) => {
          const seen = firstAt.get(p.id);
          if (seen === undefined) firstAt.set(p.id, i);
          else ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate pharmacy id "${p.id}" (also pharmacies.${seen}.id)` });
        });
      }),
  },
  { error: 'must be an object {rx, maxKm?, limit?, pharmacies}' },
);

export type RxRouteInput = z.infer<typeof rxRouteInputSchema>;

// The parsed shapes are what the core consumes (compile-time check, no runtime cost).
const _rxFits = (rx: z.infer<typeof routingRxSchema>): RoutingRx => rx;
const _pharmacyFits = (p: z.infer<typeof routablePharmacySchema>): RoutablePharmacy => p;
