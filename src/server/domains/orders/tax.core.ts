import type { ProductForm } from '../catalog/products.core.ts';

/**
 * VAT (增值税) included in the listed prices, as data with its source. Prices on Bencao are
 * tax-inclusive (含税价), so a line's tax is the part of its total that is VAT:
 * tax = round(total × rate / (1 + rate)), in integer fen with half-up rounding (no floats).
 */
export interface TaxRule {
  form: ProductForm;
  /** Applies when the seller is a grower selling its own produce. */
  sellerIsGrower: boolean;
  /** Basis points: 900 = 9 %. */
  rateBp: number;
  source: string;
}

const SOURCE_RATES = '财政部 税务总局 海关总署公告2019年第39号（13% / 9%）';
const SOURCE_SCOPE = '财税字〔1995〕52号《农业产品征税范围注释》：中药材属农业产品，中药饮片、中成药不属于';
const SOURCE_EXEMPT = '《增值税暂行条例》第十五条：农业生产者销售的自产农产品免征增值税';

export const TAX_RULES: readonly TaxRule[] = [
  { form: 'raw', sellerIsGrower: true, rateBp: 0, source: SOURCE_EXEMPT },
  { form: 'raw', sellerIsGrower: false, rateBp: 900, source: `${SOURCE_RATES}；${SOURCE_SCOPE}` },
  { form: 'decoction_piece', sellerIsGrower: true, rateBp: 1300, source: `${SOURCE_RATES}；${SOURCE_SCOPE}` },
  { form: 'decoction_piece', sellerIsGrower: false, rateBp: 1300, source: `${SOURCE_RATES}；${SOURCE_SCOPE}` },
  { form: 'granule', sellerIsGrower: true, rateBp: 1300, source: SOURCE_RATES },
  { form: 'granule', sellerIsGrower: false, rateBp: 1300, source: SOURCE_RATES },
];

export function taxRateBp(form: string, sellerKind: string): number {
  const rule = TAX_RULES.find((r) => r.form === form && r.sellerIsGrower === (sellerKind === 'grower'));
  // An unknown form is taxed at the standard rate rather than exempted by accident.
  return rule?.rateBp ?? 1300;
}

/** VAT included in a tax-inclusive amount, half-up, exact integer arithmetic. */
export function includedTaxFen(totalFen: number, rateBp: number): number {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0) throw new RangeError('totalFen must be a non-negative integer');
  if (!Number.isSafeInteger(rateBp) || rateBp < 0 || rateBp > 10_000) throw new RangeError('rateBp must be 0..10000');
  if (rateBp === 0) return 0;
  const numerator = BigInt(totalFen) * BigInt(rateBp);
  const denominator = BigInt(10_000 + rateBp);
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

export interface TaxLine {
  rateBp: number;
  /** Tax-inclusive amount at this rate. */
  grossFen: number;
  taxFen: number;
  netFen: number;
}

/**
 * Tax lines of an order (one per rate, as on a 发票): the tax of each rate is the sum of its lines'
 * tax, so lines, rates and the order total reconcile to the fen.
 */
export function taxLines(lines: readonly { lineTotalFen: number; taxRateBp: number; taxFen: number }[]): TaxLine[] {
  const byRate = new Map<number, TaxLine>();
  for (const line of lines) {
    const entry = byRate.get(line.taxRateBp) ?? { rateBp: line.taxRateBp, grossFen: 0, taxFen: 0, netFen: 0 };
    entry.grossFen += line.lineTotalFen;
    entry.taxFen += line.taxFen;
    entry.netFen = entry.grossFen - entry.taxFen;
    byRate.set(line.taxRateBp, entry);
  }
  return [...byRate.values()].sort((a, b) => a.rateBp - b.rateBp);
}
