/**
 * Form input conversions (presentation only; the server validates the result): yuan typed by a
 * person into integer fen, kilograms into integer grams, and a `datetime-local` value read as
 * Asia/Shanghai time into an ISO-8601 instant. Unparseable input is passed on as NaN or the raw text
 * so the server's validation names the field.
 */

/**
 * A typed number as ASCII: full-width digits and point (what a Chinese input method types, "１２．５")
 * and the ideographic full stop typed for a point ("12。5") become "12.5"; spaces around are dropped.
 */
export function asciiNumberText(text: string): string {
  return text.normalize('NFKC').replace(/。/g, '.').trim();
}

/** A typed number as `Number()` reads it, after `asciiNumberText` (so "１０" is 10, as "10" is). */
export function numberFromText(text: string): number {
  return Number(asciiNumberText(text));
}

export function fenFromYuan(text: string): number {
  const t = asciiNumberText(text);
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return Number.NaN;
  const [whole, frac = ''] = t.split('.') as [string, string?];
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export function gramsFromKg(text: string): number {
  const t = asciiNumberText(text);
  if (!/^\d+(\.\d{1,3})?$/.test(t)) return Number.NaN;
  const [whole, frac = ''] = t.split('.') as [string, string?];
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

export function shanghaiLocalToIso(local: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+08:00` : local;
}

/** An instant as a `datetime-local` value in Asia/Shanghai (UTC+8, no daylight saving). */
export function isoToShanghaiLocal(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

/** Integer fen as a yuan string for an input ("120.5" → "120.50"). */
export function yuanFromFen(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Integer grams as a kilogram string for an input or a spreadsheet cell ("1500" → "1.500"). */
export function kgFromGrams(grams: number): string {
  return `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')}`;
}
