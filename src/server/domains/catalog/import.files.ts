import ExcelJS from 'exceljs';
import { parseCsv, sniffImportType } from './import.core.ts';

/** A cell of the first worksheet as the text a user sees (dates as YYYY-MM-DD, formulas by result). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/** Reads an import file (CSV or XLSX by its bytes) into rows of strings; null when it is neither. */
export async function readImportSheet(bytes: Uint8Array): Promise<string[][] | null> {
  const type = sniffImportType(bytes);
  if (type === 'csv') return parseCsv(new TextDecoder('utf-8').decode(bytes));
  if (type !== 'xlsx') return null;
  try {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    if (!sheet) return [];
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(row.cellCount, 0); c += 1) cells.push(cellText(row.getCell(c).value));
      rows[rowNumber - 1] = cells;
    });
    return Array.from(rows, (r) => r ?? []);
  } catch {
    return null;
  }
}
