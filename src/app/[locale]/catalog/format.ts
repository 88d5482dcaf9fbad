const CNY = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });
const KG = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 3 });

/** Fen (integer) as ¥ with two decimals; the division happens only for display. */
export function yuan(fen: number): string {
  return CNY.format(fen / 100);
}

/** Grams (integer) as kilograms for display. */
export function kg(grams: number): string {
  return KG.format(grams / 1000);
}
