import type { ProductForm, ProductProcessing } from './products.core.ts';

/**
 * Pure parts of the public lot trace: quality values against Chinese Pharmacopoeia (2020) limits and
 * the processing steps a product form implies. Limits are given only where they are clear; every
 * other value shows "—" (no limit) rather than a guessed one.
 */
export const QUALITY_KEYS = ['content', 'moisture', 'totalAsh', 'heavyMetals', 'pesticide', 'so2'] as const;
export type QualityKey = (typeof QUALITY_KEYS)[number];

export const QUALITY_UNITS: Record<QualityKey, '%' | 'mg/kg'> = {
  content: '%',
  moisture: '%',
  totalAsh: '%',
  heavyMetals: 'mg/kg',
  pesticide: 'mg/kg',
  so2: 'mg/kg',
};

export interface QualityLimit {
  /** `max`: the value may not exceed it (不得过); `min`: it may not be below it (不得少于). */
  kind: 'max' | 'min';
  value: string;
  /** The marker compound for 含量 (e.g. 黄芪甲苷). */
  marker?: string;
}

/** 二氧化硫残留: ChP 2020 general rule ≤ 150 mg/kg; ≤ 400 mg/kg for these ten herbs and their pieces. */
export const SO2_400_HERBS = ['山药', '牛膝', '粉葛', '天冬', '天麻', '天花粉', '白及', '白芍', '白术', '党参'] as const;

/** Monograph limits we are sure of (ChP 2020), per standard herb name. */
const MONOGRAPH: Record<string, Partial<Record<'content' | 'moisture' | 'totalAsh', QualityLimit>>> = {
  黄芪: { moisture: { kind: 'max', value: '10.0' }, totalAsh: { kind: 'max', value: '5.0' }, content: { kind: 'min', value: '0.080', marker: '黄芪甲苷' } },
  当归: { moisture: { kind: 'max', value: '15.0' }, totalAsh: { kind: 'max', value: '7.0' }, content: { kind: 'min', value: '0.050', marker: '阿魏酸' } },
};

export function qualityLimit(herbName: string, key: QualityKey): QualityLimit | null {
  if (key === 'so2') return { kind: 'max', value: (SO2_400_HERBS as readonly string[]).includes(herbName) ? '400' : '150' };
  if (key === 'content' || key === 'moisture' || key === 'totalAsh') return MONOGRAPH[herbName]?.[key] ?? null;
  return null;
}

/** Compares two non-negative decimal strings exactly (no floating point): -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const [ai = '0', af = ''] = a.trim().split('.');
  const [bi = '0', bf = ''] = b.trim().split('.');
  const width = Math.max(af.length, bf.length);
  const x = BigInt(ai.replace(/^0+(?=\d)/, '') + af.padEnd(width, '0'));
  const y = BigInt(bi.replace(/^0+(?=\d)/, '') + bf.padEnd(width, '0'));
  return x === y ? 0 : x < y ? -1 : 1;
}

/** true/false against the limit; null when the value is missing or there is no limit. */
export function meetsLimit(value: string | null, limit: QualityLimit | null): boolean | null {
  if (value === null || limit === null || !/^\d+(\.\d+)?$/.test(value.trim())) return null;
  const c = compareDecimal(value, limit.value);
  return limit.kind === 'max' ? c <= 0 : c >= 0;
}

export const PROCESSING_STEPS = ['harvest', 'primary_processing', 'cleaning', 'cutting', 'stir_frying', 'adjuvant_frying', 'preparing', 'calcining', 'drying', 'extraction', 'granulation', 'packing'] as const;
export type ProcessingStep = (typeof PROCESSING_STEPS)[number];

const PROCESSING_STEP: Record<ProductProcessing, ProcessingStep | null> = {
  raw: null,
  stir_fried: 'stir_frying',
  adjuvant_fried: 'adjuvant_frying',
  prepared: 'preparing',
  calcined: 'calcining',
};

/** The steps from the field to the package that a product's form, cut and processing imply. */
export function processingSteps(spec: { form: ProductForm; cut: string; processing: ProductProcessing }): ProcessingStep[] {
  if (spec.form === 'raw') return ['harvest', 'primary_processing', 'drying', 'packing'];
  if (spec.form === 'granule') return ['harvest', 'primary_processing', 'cleaning', 'extraction', 'granulation', 'packing'];
  const steps: ProcessingStep[] = ['harvest', 'primary_processing', 'cleaning'];
  if (spec.cut !== 'none') steps.push('cutting');
  const special = PROCESSING_STEP[spec.processing];
  if (special) steps.push(special);
  steps.push('drying', 'packing');
  return steps;
}
