import Papa from 'papaparse';
import { z } from 'zod';
import { kgText } from '../../../lib/amount-text.ts';
import { msg } from '../../../lib/messages.ts';
import type { ImportRowError } from '../../db/schema/imports.ts';
import { isRegionCode } from '../orgs/identity.core.ts';
import { createLotInput, createProductInput } from './products.schemas.ts';
import type { ProductCut, ProductForm, ProductGrade, ProductProcessing } from './products.core.ts';

/**
 * Pure parsing and validation of a catalogue import file (CSV or XLSX rows as strings): header
 * mapping (Chinese or English names), per-row validation with zod naming the field, and exact
 * decimal → integer conversions (kg → g, 元/kg → 分/kg). Never throws on any input.
 */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 10_000;
export const IMPORT_MODES = ['all_or_nothing', 'valid_rows'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_COLUMNS = [
  { field: 'herb', zh: '药材', required: true },
  { field: 'form', zh: '形态', required: true },
  { field: 'cut', zh: '规格', required: true },
  { field: 'processing', zh: '炮制', required: true },
  { field: 'grade', zh: '等级', required: true },
  { field: 'origin', zh: '产地', required: true },
  { field: 'daodi', zh: '道地', required: true },
  { field: 'batchNo', zh: '批号', required: true },
  { field: 'quantityKg', zh: '数量kg', required: true },
  { field: 'productionDate', zh: '生产日期', required: true },
  { field: 'expiryDate', zh: '有效期至', required: true },
  { field: 'priceYuanPerKg', zh: '单价元每kg', required: true },
  { field: 'minOrderKg', zh: '起订kg', required: true },
  { field: 'contentPct', zh: '含量', required: false },
  { field: 'moisturePct', zh: '水分', required: false },
  { field: 'totalAshPct', zh: '总灰分', required: false },
  { field: 'heavyMetalsPpm', zh: '重金属', required: false },
  { field: 'pesticidePpm', zh: '农残', required: false },
  { field: 'so2Ppm', zh: '二氧化硫', required: false },
  { field: 'growerBase', zh: '种植基地', required: false },
  { field: 'harvestDate', zh: '采收日期', required: false },
  { field: 'deliveryRegions', zh: '配送地区', required: false },
  { field: 'leadTimeDays', zh: '交货天数', required: false },
] as const;
export type ImportField = (typeof IMPORT_COLUMNS)[number]['field'];

/** `药材/herb, 形态/form, …` for messages and the page. */
export function expectedHeaders(): string {
  return IMPORT_COLUMNS.filter((c) => c.required)
    .map((c) => `${c.zh}/${c.field}`)
    .join(', ');
}

function normaliseHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').replace(/[\s_()（）/\\·.-]/g, '').toLowerCase();
}

const HEADER_LOOKUP = new Map<string, ImportField>();
for (const c of IMPORT_COLUMNS) {
  HEADER_LOOKUP.set(normaliseHeader(c.zh), c.field);
  HEADER_LOOKUP.set(normaliseHeader(c.field), c.field);
  HEADER_LOOKUP.set(normaliseHeader(`${c.zh}/${c.field}`), c.field);
}

export type HeaderResult = { ok: true; columns: (ImportField | null)[] } | { ok: false; message: string };

/** Maps a header row to fields; unknown, repeated or missing required headers fail with the expected set. */
export function mapHeaders(header: readonly string[]): HeaderResult {
  const columns: (ImportField | null)[] = [];
  const seen = new Set<ImportField>();
  const problems: string[] = [];
  for (const raw of header) {
    const name = String(raw ?? '').trim();
    if (name === '') {
      columns.push(null);
      continue;
    }
    const field = HEADER_LOOKUP.get(normaliseHeader(name));
    if (!field) problems.push(`“${name.slice(0, 40)}”?`);
    else if (seen.has(field)) problems.push(`“${name.slice(0, 40)}” ×2`);
    else seen.add(field);
    columns.push(field && !columns.includes(field) ? field : null);
  }
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !seen.has(c.field)).map((c) => `${c.zh}/${c.field}`);
  if (missing.length) problems.push(`− ${missing.join(', ')}`);
  if (problems.length) return { ok: false, message: msg('import.badHeaders', { problem: problems.join('; '), expected: expectedHeaders() }) };
  return { ok: true, columns };
}

/** Parses CSV text with papaparse (BOM stripped, empty lines skipped); never throws. */
export function parseCsv(text: string): string[][] {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  return result.data.filter((r): r is string[] => Array.isArray(r)).map((r) => r.map((c) => String(c ?? '')));
}

/** What the bytes are: an XLSX (a ZIP, `PK\x03\x04`), UTF-8 CSV text, or neither. */
export function sniffImportType(bytes: Uint8Array): 'xlsx' | 'csv' | null {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes.length === 0 || bytes.includes(0)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'csv';
  } catch {
    return null;
  }
}

const ENUMS = {
  form: { raw: 'raw', 药材: 'raw', decoction_piece: 'decoction_piece', 饮片: 'decoction_piece', granule: 'granule', 配方颗粒: 'granule', 颗粒: 'granule' },
  cut: { slice: 'slice', 片: 'slice', segment: 'segment', 段: 'segment', shred: 'shred', 丝: 'shred', chunk: 'chunk', 块: 'chunk', none: 'none', 无: 'none', '': 'none' },
  processing: { raw: 'raw', 生: 'raw', stir_fried: 'stir_fried', 炒: 'stir_fried', adjuvant_fried: 'adjuvant_fried', 炙: 'adjuvant_fried', prepared: 'prepared', 制: 'prepared', calcined: 'calcined', 煅: 'calcined' },
  grade: { selected: 'selected', 选货: 'selected', ungraded: 'ungraded', 统货: 'ungraded', graded: 'graded', 等级: 'graded' },
} as const;

function enumField<K extends keyof typeof ENUMS>(kind: K) {
  const table = ENUMS[kind] as Record<string, string>;
  const allowed = [...new Set(Object.keys(table).filter((k) => k !== ''))].join('/');
  return z.string().transform((v, ctx) => {
    const key = v.trim().toLowerCase() in table ? v.trim().toLowerCase() : v.trim();
    const hit = table[key];
    if (hit === undefined) {
      ctx.addIssue({ code: 'custom', message: v.trim() === '' ? msg('import.required') : msg('import.badValue', { value: v.trim().slice(0, 30), allowed }) });
      return z.NEVER;
    }
    return hit as (typeof ENUMS)[K][keyof (typeof ENUMS)[K]];
  });
}

/** A positive decimal with at most `decimals` places as an integer of 10^-decimals units (exact). */
export function decimalToUnits(value: string, decimals: number): number | null {
  const v = value.trim().replace(/,/g, '');
  const m = new RegExp(`^(\\d{1,9})(?:\\.(\\d{1,${decimals}}))?$`).exec(v);
  if (!m) return null;
  const units = Number(m[1]) * 10 ** decimals + Number((m[2] ?? '').padEnd(decimals, '0') || '0');
  return Number.isSafeInteger(units) && units > 0 ? units : null;
}

function unitsField(decimals: number) {
  return z.string().transform((v, ctx) => {
    if (v.trim() === '') {
      ctx.addIssue({ code: 'custom', message: msg('import.required') });
      return z.NEVER;
    }
    const units = decimalToUnits(v, decimals);
    if (units === null) {
      ctx.addIssue({ code: 'custom', message: msg('import.badNumber', { decimals }) });
      return z.NEVER;
    }
    return units;
  });
}

/** YYYY-MM-DD (also YYYY/M/D and YYYY.M.D) of a real calendar date → ISO, else null. */
export function normaliseDate(value: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 1900 || y > 2200) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function parseDateCell(v: string, ctx: z.RefinementCtx): string | undefined {
  const iso = normaliseDate(v);
  if (!iso) ctx.addIssue({ code: 'custom', message: msg('import.badDate') });
  return iso ?? undefined;
}

const requiredDate = z.string().transform((v, ctx): string => {
  if (v.trim() === '') {
    ctx.addIssue({ code: 'custom', message: msg('import.required') });
    return z.NEVER;
  }
  return parseDateCell(v, ctx) ?? z.NEVER;
});

const optionalDate = z.string().transform((v, ctx): string | undefined => (v.trim() === '' ? undefined : (parseDateCell(v, ctx) ?? z.NEVER)));

const optionalDecimal = z
  .string()
  .transform((v) => v.trim())
  .pipe(z.union([z.literal('').transform(() => undefined), z.string().regex(/^\d{1,6}(\.\d{1,3})?$/, { message: msg('field.decimal') })]));

const rowSchema = z.object({
  herb: z.string().trim().min(1, { message: msg('import.required') }).max(20, { message: msg('import.badText') }),
  form: enumField('form'),
  cut: enumField('cut'),
  processing: enumField('processing'),
  grade: enumField('grade'),
  origin: z.string().trim().min(2, { message: msg('import.badText') }).max(40, { message: msg('import.badText') }),
  daodi: z.string().transform((v, ctx) => {
    const s = v.trim().toLowerCase();
    if (['', '否', 'no', 'n', 'false', '0'].includes(s)) return false;
    if (['是', 'yes', 'y', 'true', '1', '道地'].includes(s)) return true;
    ctx.addIssue({ code: 'custom', message: msg('import.badBoolean') });
    return z.NEVER;
  }),
  batchNo: z.string().trim().min(1, { message: msg('import.required') }).max(40, { message: msg('import.badText') }).regex(/^[\w\-./]+$/u, { message: msg('import.badText') }),
  quantityKg: unitsField(3),
  productionDate: requiredDate,
  expiryDate: requiredDate,
  priceYuanPerKg: unitsField(2),
  minOrderKg: unitsField(3),
  contentPct: optionalDecimal,
  moisturePct: optionalDecimal,
  totalAshPct: optionalDecimal,
  heavyMetalsPpm: optionalDecimal,
  pesticidePpm: optionalDecimal,
  so2Ppm: z.string().transform((v, ctx) => {
    const s = v.trim();
    if (s === '') return undefined;
    if (!/^\d{1,6}$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: msg('import.badNumber', { decimals: 0 }) });
      return z.NEVER;
    }
    return Number(s);
  }),
  growerBase: z
    .string()
    .trim()
    .max(80, { message: msg('import.badText') })
    .transform((v) => (v === '' ? undefined : v)),
  harvestDate: optionalDate,
  deliveryRegions: z.string().transform((v, ctx) => {
    const codes = v
      .split(/[\s,;，；、|]+/)
      .map((c) => c.trim())
      .filter(Boolean);
    if (codes.length > 50 || codes.some((c) => !isRegionCode(c))) {
      ctx.addIssue({ code: 'custom', message: msg('field.region') });
      return z.NEVER;
    }
    return [...new Set(codes)];
  }),
  leadTimeDays: z.string().transform((v, ctx) => {
    const s = v.trim();
    if (s === '') return 3;
    if (!/^\d{1,3}$/.test(s) || Number(s) > 365) {
      ctx.addIssue({ code: 'custom', message: msg('import.badNumber', { decimals: 0 }) });
      return z.NEVER;
    }
    return Number(s);
  }),
});

export interface ImportRow {
  /** 1-based row number in the sheet (header = 1, first data row = 2). */
  rowNo: number;
  herbName: string;
  product: { form: ProductForm; cut: ProductCut; processing: ProductProcessing; grade: ProductGrade; origin: string; daoDi: boolean };
  lot: {
    batchNo: string;
    quantityG: number;
    productionDate: string;
    expiryDate: string;
    contentPct?: string | undefined;
    moisturePct?: string | undefined;
    totalAshPct?: string | undefined;
    heavyMetalsPpm?: string | undefined;
    pesticidePpm?: string | undefined;
    so2Ppm?: number | undefined;
    growerBase?: string | undefined;
    harvestDate?: string | undefined;
  };
  listing: { priceFenPerKg: number; minOrderG: number; deliveryRegions: string[]; leadTimeDays: number };
}

/** Lot/product schema fields → the import column that holds them. */
const SERVICE_FIELD: Record<string, ImportField> = { quantityG: 'quantityKg', origin: 'origin', batchNo: 'batchNo' };

/** Validates one data row (cells already mapped to fields). Each bad cell gives one error naming its field. */
export function validateRow(cells: Partial<Record<ImportField, string>>, rowNo: number): { ok: true; row: ImportRow } | { ok: false; errors: ImportRowError[] } {
  const input: Record<ImportField, string> = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.field, String(cells[c.field] ?? '')])) as Record<ImportField, string>;
  const parsed = rowSchema.safeParse(input);
  if (!parsed.success) {
    const errors = new Map<string, ImportRowError>();
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'row');
      if (!errors.has(field)) errors.set(field, { row: rowNo, field, message: issue.message });
    }
    return { ok: false, errors: [...errors.values()] };
  }
  const v = parsed.data;
  const errors: ImportRowError[] = [];
  if (v.expiryDate <= v.productionDate) errors.push({ row: rowNo, field: 'expiryDate', message: msg('catalog.expiryBeforeProduction') });
  if (v.harvestDate && v.harvestDate > v.productionDate) errors.push({ row: rowNo, field: 'harvestDate', message: msg('catalog.harvestAfterProduction') });
  if (v.minOrderKg > v.quantityKg) errors.push({ row: rowNo, field: 'minOrderKg', message: msg('catalog.minOrderAboveStock', { available: kgText(v.quantityKg) }) });
  if (v.priceYuanPerKg > 100_000_000) errors.push({ row: rowNo, field: 'priceYuanPerKg', message: msg('field.integerFen') });
  const row: ImportRow = {
    rowNo,
    herbName: v.herb,
    product: { form: v.form, cut: v.cut, processing: v.processing, grade: v.grade, origin: v.origin, daoDi: v.daodi },
    lot: {
      batchNo: v.batchNo,
      quantityG: v.quantityKg,
      productionDate: v.productionDate,
      expiryDate: v.expiryDate,
      contentPct: v.contentPct,
      moisturePct: v.moisturePct,
      totalAshPct: v.totalAshPct,
      heavyMetalsPpm: v.heavyMetalsPpm,
      pesticidePpm: v.pesticidePpm,
      so2Ppm: v.so2Ppm,
      growerBase: v.growerBase,
      harvestDate: v.harvestDate,
    },
    listing: { priceFenPerKg: v.priceYuanPerKg, minOrderG: v.minOrderKg, deliveryRegions: v.deliveryRegions, leadTimeDays: v.leadTimeDays },
  };
  // The catalogue's own schemas are the last word on shape (so the services never refuse on it).
  const checks = [
    createProductInput.omit({ herbId: true }).safeParse(row.product),
    createLotInput.omit({ productId: true }).safeParse(row.lot),
  ];
  for (const check of checks) {
    if (check.success) continue;
    for (const issue of check.error.issues) {
      const key = String(issue.path[0] ?? 'row');
      const field = SERVICE_FIELD[key] ?? key;
      if (!errors.some((e) => e.field === field)) errors.push({ row: rowNo, field, message: issue.message.startsWith('msg:') ? issue.message : msg('import.badText') });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, row };
}

export interface ValidatedFile {
  total: number;
  rows: ImportRow[];
  errors: ImportRowError[];
}

/**
 * Validates a whole sheet (first row = header). Header problems fail the file with one message;
 * otherwise every row is checked, and a batch number repeated inside the file is an error on the
 * later row.
 */
export function validateSheet(sheet: readonly (readonly string[])[]): { ok: true; file: ValidatedFile } | { ok: false; message: string } {
  const [header, ...data] = sheet;
  if (!header) return { ok: false, message: msg('import.empty') };
  const mapped = mapHeaders(header);
  if (!mapped.ok) return mapped;
  const body = data.filter((r) => r.some((c) => String(c ?? '').trim() !== ''));
  if (body.length === 0) return { ok: false, message: msg('import.empty') };
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, message: msg('import.tooManyRows', { max: MAX_IMPORT_ROWS, rows: body.length }) };
  const rows: ImportRow[] = [];
  const errors: ImportRowError[] = [];
  const batches = new Map<string, number>();
  data.forEach((cellsRaw, index) => {
    if (!cellsRaw.some((c) => String(c ?? '').trim() !== '')) return;
    const rowNo = index + 2;
    const cells: Partial<Record<ImportField, string>> = {};
    mapped.columns.forEach((field, i) => {
      if (field) cells[field] = String(cellsRaw[i] ?? '');
    });
    const result = validateRow(cells, rowNo);
    if (!result.ok) {
      errors.push(...result.errors);
      return;
    }
    const first = batches.get(result.row.lot.batchNo);
    if (first !== undefined) {
      errors.push({ row: rowNo, field: 'batchNo', message: msg('import.duplicateBatch', { batchNo: result.row.lot.batchNo, first }) });
      return;
    }
    batches.set(result.row.lot.batchNo, rowNo);
    rows.push(result.row);
  });
  return { ok: true, file: { total: body.length, rows, errors } };
}

/** The error report as CSV with a BOM (Excel opens UTF-8 correctly): 行/row, 字段/field, 错误/message. */
export function errorsCsv(errors: readonly { row: number; field: string; message: string }[]): string {
  return `\uFEFF${Papa.unparse({ fields: ['行/row', '字段/field', '错误/message'], data: errors.map((e) => [e.row, e.field, e.message]) }, { newline: '\r\n' })}\r\n`;
}
