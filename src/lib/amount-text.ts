/**
 * Amounts as a person reads them in a message, whatever the API carries (integer grams, integer fen):
 * kilograms grouped with up to 3 decimals ("1,234.5"), yuan grouped with 2 ("1,250,000.00").
 */
const KG = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const YUAN = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function kgText(grams: number): string {
  return KG.format(grams / 1000);
}

export function yuanText(fen: number): string {
  return YUAN.format(fen / 100);
}
