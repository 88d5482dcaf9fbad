import { z } from 'zod';
import { HANDLINGS } from '../catalog/herb-master.data.ts';
import { msg } from '../../../lib/messages.ts';

/**
 * Input of prescription safety screening (CONTRACTS.md `bencao rx-screen`,
 * `POST /api/v1/prescriptions/screen`), shared by the CLI and REST. The schema is the single gate:
 * `screenPrescription` assumes an input it accepted.
 *
 * Field rules:
 * - `patient`: `sex` 'M' | 'F'; `ageYears` integer 0–150; `pregnant` boolean, default false, and
 *   only true for a female patient.
 * - `decoction`: boolean (代煎 requested). `doses`: integer 1–365 (剂数).
 * - `items`: 1–60 items; `herb` a string, trimmed, 1–40 characters, as written by the physician;
 *   `grams` per dose (= daily dose, 每日1剂) > 0 and ≤ 10000 with at most 3 decimals (stored as
 *   integer milligrams, see `gramsToMg`); `handling` optional, one of 先煎 后下 包煎 另煎 烊化 冲服.
 * Unknown keys are ignored (stripped).
 */

/** True when `x` is the double nearest to a decimal with at most 3 fraction digits (1.005 is). */
export function hasAtMost3Decimals(x: number): boolean {
  return Number.isFinite(x) && Number(x.toFixed(3)) === x;
}

/** Grams with up to 3 decimals → integer milligrams (CONTRACTS.md). */
export function gramsToMg(grams: number): number {
  return Math.round(grams * 1000);
}

/** Integer milligrams → grams as a plain decimal string ("1.5", "0.05", "12"). */
export function mgToGramsText(mg: number): string {
  return String(mg / 1000);
}

export const MAX_ITEM_GRAMS = 10_000;
export const MAX_ITEMS = 60;
export const MAX_DOSES = 365;
export const MAX_HERB_NAME_LENGTH = 40;

/** A zod error that says "is required" when the field is missing, else `problem`. */
const required = (problem: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : problem),
});

export const rxScreenItemSchema = z.object(
  {
    herb: z
      .string(required('must be a string (herb name)'))
      .trim()
      .min(1, { error: 'must not be empty (herb name)' })
      .max(MAX_HERB_NAME_LENGTH, { error: `must be at most ${MAX_HERB_NAME_LENGTH} characters (herb name)` }),
    grams: z
      .number(required('must be a number (grams per dose)'))
      .positive({ error: 'must be greater than 0 (grams per dose)' })
      .max(MAX_ITEM_GRAMS, { error: `must be at most ${MAX_ITEM_GRAMS} (grams per dose)` })
      .refine(hasAtMost3Decimals, { error: msg('rx.gramsPrecision') }),
    handling: z.enum(HANDLINGS, { error: `must be one of ${HANDLINGS.join(', ')} (handling)` }).optional(),
  },
  required('must be an object {herb, grams, handling?}'),
);

export const rxScreenPatientSchema = z
  .object(
    {
      sex: z.enum(['M', 'F'], required('must be "M" or "F" (sex)')),
      ageYears: z
        .number(required('must be a number (age in years)'))
        .int({ error: 'must be a whole number of years' })
        .min(0, { error: 'must be from 0 to 150 (age in years)' })
        .max(150, { error: 'must be from 0 to 150 (age in years)' }),
      pregnant: z.boolean({ error: 'must be true or false (pregnant)' }).default(false),
    },
    required('must be an object {sex, ageYears, pregnant}'),
  )
  .superRefine((patient, ctx) => {
    if (patient.pregnant && patient.sex !== 'F') {
      ctx.addIssue({ code: 'custom', path: ['pregnant'], message: 'can only be true for a female patient (sex "F")' });
    }
  });

export const rxScreenInputSchema = z.object(
  {
    patient: rxScreenPatientSchema,
    decoction: z.boolean(required('must be true or false (decoction requested, 代煎)')),
    doses: z
      .number(required('must be a number (doses, 剂数)'))
      .int({ error: 'must be a whole number of doses' })
      .min(1, { error: `must be from 1 to ${MAX_DOSES} (doses)` })
      .max(MAX_DOSES, { error: `must be from 1 to ${MAX_DOSES} (doses)` }),
    items: z
      .array(rxScreenItemSchema, required('must be an array of {herb, grams, handling?}'))
      .min(1, { error: 'must list at least 1 item' })
      .max(MAX_ITEMS, { error: `must list at most ${MAX_ITEMS} items` }),
  },
  { error: 'must be a JSON object {patient, decoction, doses, items}' },
);

export type RxScreenInput = z.output<typeof rxScreenInputSchema>;
export type RxScreenInputRaw = z.input<typeof rxScreenInputSchema>;
export type RxScreenItem = z.output<typeof rxScreenItemSchema>;
