import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../lib/messages.ts';
import { decimalToUnits, errorsCsv, IMPORT_COLUMNS, mapHeaders, normaliseDate, parseCsv, sniffImportType, validateRow, validateSheet } from './import.core.ts';

const HEADER_ZH = ['药材', '形态', '规格', '炮制', '等级', '产地', '道地', '批号', '数量kg', '生产日期', '有效期至', '单价元每kg', '起订kg'];
const GOOD = ['黄芪', '饮片', '片', '生', '选货', '甘肃陇西', '是', 'HQ-1', '300.5', '2025-10-01', '2027-09-30', '72.50', '5'];

describe('import core', () => {
  it('maps Chinese and English headers and names wrong ones with the expected set', () => {
    expect(mapHeaders(HEADER_ZH)).toMatchObject({ ok: true });
    expect(mapHeaders(IMPORT_COLUMNS.map((c) => c.field))).toMatchObject({ ok: true });
    expect(mapHeaders(['药材/herb', ...HEADER_ZH.slice(1)])).toMatchObject({ ok: true });
    const wrong = mapHeaders(['name', ...HEADER_ZH.slice(1)]);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      const text = translate(wrong.message, 'zh');
      expect(text).toContain('“name”');
      expect(text).toContain('药材/herb');
      expect(text).toContain('起订kg/minOrderKg');
    }
    expect(mapHeaders([...HEADER_ZH, '批号']).ok).toBe(false);
  });

  it('converts kg, yuan and dates exactly', () => {
    expect(decimalToUnits('300.5', 3)).toBe(300_500);
    expect(decimalToUnits('0.001', 3)).toBe(1);
    expect(decimalToUnits('72.50', 2)).toBe(7250);
    expect(decimalToUnits('0.1', 2)).toBe(10);
    expect(decimalToUnits('1.005', 2)).toBeNull();
    expect(decimalToUnits('-1', 2)).toBeNull();
    expect(decimalToUnits('0', 2)).toBeNull();
    expect(normaliseDate('2025/1/5')).toBe('2025-01-05');
    expect(normaliseDate('2025-02-30')).toBeNull();
    const ok = validateRow(Object.fromEntries(IMPORT_COLUMNS.slice(0, 13).map((c, i) => [c.field, GOOD[i]!])), 2);
    expect(ok).toMatchObject({ ok: true, row: { rowNo: 2, herbName: '黄芪', product: { form: 'decoction_piece', cut: 'slice', daoDi: true }, lot: { quantityG: 300_500, batchNo: 'HQ-1' }, listing: { priceFenPerKg: 7250, minOrderG: 5000, leadTimeDays: 3, deliveryRegions: [] } } });
    // A minimum order above the lot is refused in the unit of the file: kilograms.
    const minAbove = validateRow(Object.fromEntries(IMPORT_COLUMNS.slice(0, 13).map((c, i) => [c.field, i === 12 ? '1200' : GOOD[i]!])), 2);
    expect(minAbove.ok).toBe(false);
    if (!minAbove.ok) expect(translate(minAbove.errors.find((e) => e.field === 'minOrderKg')!.message, 'zh')).toBe('最小起订量不能超过批次库存（300.5 公斤）。');
  });

  it('reports each bad cell with its row and field', () => {
    const bad = ['黄芪', '丸剂', '片', '生', '选货', '甘肃陇西', '也许', 'HQ 1', '-3', '2025-13-01', '2027-09-30', '7.125', '5'];
    const sheet = validateSheet([HEADER_ZH, GOOD, bad, [...GOOD.slice(0, 7), 'HQ-1', ...GOOD.slice(8)]]);
    expect(sheet.ok).toBe(true);
    if (!sheet.ok) return;
    expect(sheet.file.total).toBe(3);
    expect(sheet.file.rows.map((r) => r.rowNo)).toEqual([2]);
    const fields = sheet.file.errors.filter((e) => e.row === 3).map((e) => e.field).sort();
    expect(fields).toEqual(['batchNo', 'daodi', 'form', 'priceYuanPerKg', 'productionDate', 'quantityKg'].sort());
    expect(sheet.file.errors.find((e) => e.row === 4)).toMatchObject({ field: 'batchNo' });
    expect(translate(sheet.file.errors.find((e) => e.field === 'form')!.message, 'zh')).toContain('丸剂');
  });

  it('never throws on arbitrary strings, and every error names a row and a known field', () => {
    const fields = new Set<string>([...IMPORT_COLUMNS.map((c) => c.field), 'row']);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 13, maxLength: 13 }), fc.integer({ min: 2, max: 10_001 }), (cells, rowNo) => {
        const result = validateRow(Object.fromEntries(IMPORT_COLUMNS.slice(0, 13).map((c, i) => [c.field, cells[i]!])), rowNo);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(e.row).toBe(rowNo);
            expect(fields.has(e.field)).toBe(true);
            expect(e.message.startsWith('msg:')).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const sheet = validateSheet(parseCsv(text));
        expect(typeof sheet.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('reports one bad cell in an otherwise good row exactly there', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 3, 8, 9, 11, 12), (col) => {
        const cells = [...GOOD];
        cells[col] = 'x?';
        const result = validateRow(Object.fromEntries(IMPORT_COLUMNS.slice(0, 13).map((c, i) => [c.field, cells[i]!])), 7);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors.map((e) => [e.row, e.field])).toContainEqual([7, IMPORT_COLUMNS[col]!.field]);
      }),
    );
  });

  it('sniffs XLSX by its ZIP signature and CSV as UTF-8 text; writes the report with a BOM', () => {
    expect(sniffImportType(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1]))).toBe('xlsx');
    expect(sniffImportType(new TextEncoder().encode('药材,形态\n'))).toBe('csv');
    expect(sniffImportType(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 1]))).toBeNull();
    expect(sniffImportType(new Uint8Array([0xff, 0xfe, 0xfd]))).toBeNull();
    const csv = errorsCsv([{ row: 3, field: 'batchNo', message: '批号, "重复"' }]);
    expect(csv.startsWith('\uFEFF行/row,字段/field,错误/message\r\n')).toBe(true);
    expect(csv).toContain('3,batchNo,"批号, ""重复"""');
  });
});
