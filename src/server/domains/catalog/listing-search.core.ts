/**
 * The identity of a market search for the answer cache: the same question asked with its fields in
 * another order, or with absent fields spelled out as `undefined`, gives the same key; any difference
 * in a value gives another key.
 */
export function listingSearchKey(input: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}
