import { asciiNumberText, gramsFromKg } from '@/lib/input-format.ts';

/**
 * A quantity typed in kilograms (to the gram), checked before it is sent: the add-to-cart field of a
 * listing and the quantity field of a cart line. The server checks again; this only lets the form say
 * what is wrong next to the field, in kg, without a round trip.
 */
export type KgQuantityProblem =
  | { code: 'required' }
  | { code: 'notNumber' }
  | { code: 'notPositive' }
  | { code: 'tooPrecise' }
  | { code: 'belowMin'; minG: number }
  | { code: 'aboveStock'; availableG: number };

export type KgQuantityCheck = { ok: true; grams: number } | { ok: false; problem: KgQuantityProblem };

/** The limits a listing puts on one quantity: its minimum order and the stock it can still sell (grams). */
export interface KgQuantityLimits {
  minOrderG?: number;
  availableG?: number;
}

export function checkKgQuantity(text: string, limits: KgQuantityLimits = {}): KgQuantityCheck {
  const t = asciiNumberText(text);
  if (t === '') return { ok: false, problem: { code: 'required' } };
  const grams = gramsFromKg(t);
  if (Number.isNaN(grams)) {
    if (/^[-−]\s*\d+(\.\d*)?$/.test(t)) return { ok: false, problem: { code: 'notPositive' } };
    if (/^\d+\.\d{4,}$/.test(t)) return { ok: false, problem: { code: 'tooPrecise' } };
    return { ok: false, problem: { code: 'notNumber' } };
  }
  if (grams <= 0) return { ok: false, problem: { code: 'notPositive' } };
  if (limits.minOrderG !== undefined && grams < limits.minOrderG) return { ok: false, problem: { code: 'belowMin', minG: limits.minOrderG } };
  if (limits.availableG !== undefined && grams > limits.availableG) return { ok: false, problem: { code: 'aboveStock', availableG: limits.availableG } };
  return { ok: true, grams };
}
