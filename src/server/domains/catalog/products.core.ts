/** Product spec vocabularies (DOMAIN.md "Catalog") and the derived display name. */
export const PRODUCT_FORMS = ['raw', 'decoction_piece', 'granule'] as const;
export const PRODUCT_CUTS = ['slice', 'segment', 'shred', 'chunk', 'none'] as const;
export const PRODUCT_PROCESSINGS = ['raw', 'stir_fried', 'adjuvant_fried', 'prepared', 'calcined'] as const;
export const PRODUCT_GRADES = ['selected', 'ungraded', 'graded'] as const;

export type ProductForm = (typeof PRODUCT_FORMS)[number];
export type ProductCut = (typeof PRODUCT_CUTS)[number];
export type ProductProcessing = (typeof PRODUCT_PROCESSINGS)[number];
export type ProductGrade = (typeof PRODUCT_GRADES)[number];

export const FORM_ZH: Record<ProductForm, string> = { raw: '药材', decoction_piece: '饮片', granule: '配方颗粒' };
export const CUT_ZH: Record<ProductCut, string> = { slice: '片', segment: '段', shred: '丝', chunk: '块', none: '' };
export const PROCESSING_ZH: Record<ProductProcessing, string> = { raw: '生', stir_fried: '炒', adjuvant_fried: '炙', prepared: '制', calcined: '煅' };
export const GRADE_ZH: Record<ProductGrade, string> = { selected: '选货', ungraded: '统货', graded: '等级' };

export interface ProductSpec {
  form: ProductForm;
  cut: ProductCut;
  processing: ProductProcessing;
  grade: ProductGrade;
  origin: string;
}

/** `黄芪 饮片 片 生 选货 甘肃陇西` (an empty cut is left out). */
export function productName(herbName: string, spec: ProductSpec): string {
  return [herbName, FORM_ZH[spec.form], CUT_ZH[spec.cut], PROCESSING_ZH[spec.processing], GRADE_ZH[spec.grade], spec.origin.trim()]
    .filter((part) => part.length > 0)
    .join(' ');
}
