import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import type { ImportRowError } from '../../db/schema/imports.ts';
import { herbIdsByName } from './herbs.repo.ts';
import { validateSheet, type ImportRow } from './import.core.ts';
import { readImportSheet } from './import.files.ts';
import * as repo from './import.repo.ts';
import { createListing } from './listings.service.ts';
import { createLot, createProduct, type SellerActor } from './products.service.ts';

/**
 * Runs one catalogue import (the `catalog.import-file` job). Idempotent under redelivery:
 * - all_or_nothing: every row is written in ONE transaction together with the job's final status, so
 *   a crash leaves either everything (status done → a redelivery returns at once) or nothing;
 * - valid_rows: each row is written in its own transaction with an `import_row (job, row)` record;
 *   a redelivery skips the rows already recorded.
 */
export const PROGRESS_EVERY = 25;

/**
 * The catalogue services open their own transaction; handed a transaction they nest (SAVEPOINT),
 * which is what makes a file (all_or_nothing) or a row (valid_rows) one atomic unit here.
 */
function nested(tx: Tx): Db {
  return tx as unknown as Db;
}

const FIELD_OF_SERVICE: Record<string, string> = {
  herbId: 'herb',
  productId: 'herb',
  lotId: 'batchNo',
  quantityG: 'quantityKg',
  minOrderG: 'minOrderKg',
  priceFenPerKg: 'priceYuanPerKg',
};

function rowError(rowNo: number, error: AppError): ImportRowError {
  const field = error.field ? (FIELD_OF_SERVICE[error.field.split('.')[0] ?? ''] ?? error.field) : 'row';
  return { row: rowNo, field, message: error.message };
}

async function writeRow(tx: Tx, actor: SellerActor, jobId: string, row: ImportRow, herbId: string, defaultRegion: string | undefined) {
  const spec = { herbId, ...row.product };
  const existing = await repo.findIdenticalProduct(tx, actor.orgId, spec);
  const productId = existing?.id ?? (await createProduct(nested(tx), actor, spec)).id;
  const created = await createLot(nested(tx), actor, { productId, ...row.lot });
  const regions = row.listing.deliveryRegions.length ? row.listing.deliveryRegions : defaultRegion ? [defaultRegion] : [];
  const listing = await createListing(nested(tx), actor, {
    lotId: created.id,
    priceFenPerKg: row.listing.priceFenPerKg,
    tiers: [],
    minOrderG: row.listing.minOrderG,
    deliveryRegions: regions,
    leadTimeDays: row.listing.leadTimeDays,
  });
  await repo.insertImportedRow(tx, { jobId, rowNo: row.rowNo, productId, lotId: created.id, listingId: listing.id });
}

function errorRowCount(errors: readonly ImportRowError[]): number {
  return new Set(errors.map((e) => e.row)).size;
}

class RollBack extends Error {}

async function fail(db: DbOrTx, id: string, message: string, errors: ImportRowError[] = [], totalRows = 0) {
  await repo.updateImport(db, id, { status: 'failed', message, errors, errorRows: errorRowCount(errors), okRows: 0, processedRows: totalRows, totalRows });
}

export async function runImport(db: Db, importId: string, options: { progressEvery?: number } = {}): Promise<void> {
  const job = await repo.findImportForRun(db, importId);
  if (!job || job.status === 'done' || job.status === 'failed') return;
  await repo.updateImport(db, job.id, { status: 'running' });
  const actor: SellerActor = { userId: job.createdBy, orgId: job.orgId };

  const sheet = await readImportSheet(job.fileBytes);
  if (!sheet) return fail(db, job.id, msg('import.badFile'));
  const checked = validateSheet(sheet);
  if (!checked.ok) return fail(db, job.id, checked.message);
  const { total, rows } = checked.file;
  const errors: ImportRowError[] = [...checked.file.errors];

  // Checks that need the database: herb names and batch numbers already used by the organisation.
  const herbs = await herbIdsByName(db, [...new Set(rows.map((r) => r.herbName))]);
  const done = new Set((await repo.importedRows(db, job.id)).map((r) => r.rowNo));
  const taken = await repo.takenBatches(
    db,
    job.orgId,
    rows.filter((r) => !done.has(r.rowNo)).map((r) => r.lot.batchNo),
  );
  const writable: { row: ImportRow; herbId: string }[] = [];
  for (const row of rows) {
    const herbId = herbs.get(row.herbName);
    if (!herbId) errors.push({ row: row.rowNo, field: 'herb', message: msg('import.unknownHerb', { herb: row.herbName }) });
    else if (!done.has(row.rowNo) && taken.has(row.lot.batchNo)) errors.push({ row: row.rowNo, field: 'batchNo', message: msg('catalog.batchTaken', { batchNo: row.lot.batchNo }) });
    else writable.push({ row, herbId });
  }
  const defaultRegion = await repo.orgRegionCode(db, job.orgId);
  await repo.updateImport(db, job.id, { totalRows: total, processedRows: 0, errorRows: errorRowCount(errors) });
  const sortErrors = () => errors.sort((a, b) => a.row - b.row);

  if (job.mode === 'all_or_nothing') {
    if (errors.length) return fail(db, job.id, msg('import.rolledBack'), sortErrors(), total);
    try {
      await db.transaction(async (tx) => {
        for (const { row, herbId } of writable) {
          try {
            await writeRow(tx, actor, job.id, row, herbId, defaultRegion);
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            errors.push(rowError(row.rowNo, error));
          }
        }
        if (errors.length) throw new RollBack();
        await repo.updateImport(tx, job.id, { status: 'done', message: null, errors: [], okRows: writable.length, errorRows: 0, processedRows: total, totalRows: total });
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
      return fail(db, job.id, msg('import.rolledBack'), sortErrors(), total);
    }
    return;
  }

  // valid_rows: one transaction per row, progress every N rows.
  const every = Math.max(1, options.progressEvery ?? PROGRESS_EVERY);
  let ok = 0;
  let processed = total - writable.length;
  for (const { row, herbId } of writable) {
    if (done.has(row.rowNo)) ok += 1;
    else {
      try {
        await db.transaction(async (tx) => {
          if (await repo.findImportedRow(tx, job.id, row.rowNo)) return;
          await writeRow(tx, actor, job.id, row, herbId, defaultRegion);
        });
        ok += 1;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        errors.push(rowError(row.rowNo, error));
      }
    }
    processed += 1;
    if (processed % every === 0) await repo.updateImport(db, job.id, { processedRows: processed, okRows: ok, errorRows: errorRowCount(errors) });
  }
  await repo.updateImport(db, job.id, { status: 'done', message: null, errors: sortErrors(), okRows: ok, errorRows: errorRowCount(errors), processedRows: total, totalRows: total });
}

/** Marks an import failed after its last delivery attempt broke on something unexpected. */
export async function markImportBroken(db: Db, importId: string): Promise<void> {
  const job = await repo.findImportForRun(db, importId);
  if (job && job.status !== 'done') await repo.updateImport(db, importId, { status: 'failed', message: msg('internal') });
}
