import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { Locale } from '../../../lib/locale.ts';
import { msg, translate } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { importJob } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { safeFileName } from '../uploads/upload-type.core.ts';
import { errorsCsv, IMPORT_MODES, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, sniffImportType, type ImportMode } from './import.core.ts';
import { readImportSheet } from './import.files.ts';
import { importFileJob } from './import.jobs.ts';
import * as repo from './import.repo.ts';
import type { SellerActor } from './products.service.ts';

export function isImportMode(value: string): value is ImportMode {
  return (IMPORT_MODES as readonly string[]).includes(value);
}

/**
 * Stores an uploaded CSV/XLSX as an import job and enqueues `catalog.import-file` in the same
 * transaction. The file is refused at once when it is too large, not CSV/XLSX or has too many rows;
 * header and row problems are the job's to report.
 */
export async function createImport(db: Db, actor: SellerActor, input: { fileName: string; bytes: Uint8Array; mode: string }) {
  if (!isImportMode(input.mode)) throw new AppError('VALIDATION', msg('import.badMode'), { field: 'mode' });
  if (input.bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError('VALIDATION', msg('import.tooLarge', { max: '5 MB' }), { field: 'file' });
  const fileType = sniffImportType(input.bytes);
  const sheet = fileType ? await readImportSheet(input.bytes) : null;
  if (!fileType || !sheet) throw new AppError('VALIDATION', msg('import.badFile'), { field: 'file' });
  const rows = sheet.slice(1).filter((r) => r.some((c) => c.trim() !== '')).length;
  if (rows > MAX_IMPORT_ROWS) throw new AppError('VALIDATION', msg('import.tooManyRows', { max: MAX_IMPORT_ROWS, rows }), { field: 'file' });
  const id = newId('imp');
  const fileName = safeFileName(input.fileName || `import.${fileType}`);
  await db.transaction(async (tx) => {
    await tx.insert(importJob).values({ id, orgId: actor.orgId, createdBy: actor.userId, kind: 'catalog', fileName, fileType, fileBytes: input.bytes, mode: input.mode, status: 'queued', totalRows: rows });
    await enqueue(tx, importFileJob, { importId: id }, { dedupeKey: `catalog.import:${id}` });
    await appendAudit(tx, { actorUserId: actor.userId, actorOrgId: actor.orgId, orgId: actor.orgId, action: 'import.created', entityType: 'import_job', entityId: id, data: { fileName, fileType, mode: input.mode, rows } });
  });
  return { id, fileName, fileType, mode: input.mode, status: 'queued' as const, totalRows: rows };
}

export async function listImports(db: DbOrTx, orgId: string, locale: Locale) {
  const rows = await repo.listOwnImports(db, orgId);
  return rows.map((r) => ({ ...r, message: r.message ? translate(r.message, locale) : null }));
}

/** One of the organisation's imports with its first errors translated; another org's id is NOT_FOUND. */
export async function getImport(db: DbOrTx, orgId: string, id: string, locale: Locale, errorLimit = 100) {
  const row = await repo.findOwnImport(db, orgId, id);
  if (!row) throw new AppError('NOT_FOUND', msg('import.notFound'), { field: 'id' });
  const { errors, ...rest } = row;
  return {
    ...rest,
    message: rest.message ? translate(rest.message, locale) : null,
    errors: errors.slice(0, errorLimit).map((e) => ({ ...e, message: translate(e.message, locale) })),
  };
}

/** The full per-row error report as CSV (BOM for Excel); a file-level failure is row 1, field "file". */
export async function importErrorsCsv(db: DbOrTx, orgId: string, id: string, locale: Locale): Promise<{ fileName: string; csv: string }> {
  const row = await repo.findOwnImport(db, orgId, id);
  if (!row) throw new AppError('NOT_FOUND', msg('import.notFound'), { field: 'id' });
  const lines = row.errors.map((e) => ({ ...e, message: translate(e.message, locale) }));
  if (row.message) lines.unshift({ row: 1, field: 'file', message: translate(row.message, locale) });
  return { fileName: `${row.fileName.replace(/\.[^.]+$/, '')}-errors.csv`, csv: errorsCsv(lines) };
}
