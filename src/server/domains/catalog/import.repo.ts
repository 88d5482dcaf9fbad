import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { importJob, importRow, lot, orgProfile, product } from '../../db/schema/index.ts';

/** Import job queries, scoped by the organisation (ARCHITECTURE.md "Tenancy"). */
const SUMMARY = {
  id: importJob.id,
  kind: importJob.kind,
  fileName: importJob.fileName,
  fileType: importJob.fileType,
  status: importJob.status,
  mode: importJob.mode,
  totalRows: importJob.totalRows,
  processedRows: importJob.processedRows,
  okRows: importJob.okRows,
  errorRows: importJob.errorRows,
  message: importJob.message,
  createdAt: importJob.createdAt,
  updatedAt: importJob.updatedAt,
};

export async function listOwnImports(db: DbOrTx, orgId: string, limit = 50) {
  return db.select(SUMMARY).from(importJob).where(eq(importJob.orgId, orgId)).orderBy(desc(importJob.createdAt), desc(importJob.id)).limit(limit);
}

export async function findOwnImport(db: DbOrTx, orgId: string, id: string) {
  const [row] = await db.select({ ...SUMMARY, errors: importJob.errors }).from(importJob).where(and(eq(importJob.id, id), eq(importJob.orgId, orgId))).limit(1);
  return row;
}

export async function findImportForRun(db: DbOrTx, id: string) {
  const [row] = await db.select().from(importJob).where(eq(importJob.id, id)).limit(1);
  return row;
}

export async function updateImport(db: DbOrTx, id: string, set: Partial<typeof importJob.$inferInsert>) {
  await db.update(importJob).set({ ...set, updatedAt: new Date() }).where(eq(importJob.id, id));
}

export async function importedRows(db: DbOrTx, jobId: string) {
  return db.select({ rowNo: importRow.rowNo, lotId: importRow.lotId }).from(importRow).where(eq(importRow.jobId, jobId));
}

export async function findImportedRow(db: DbOrTx, jobId: string, rowNo: number) {
  const [row] = await db.select().from(importRow).where(and(eq(importRow.jobId, jobId), eq(importRow.rowNo, rowNo))).limit(1);
  return row;
}

export async function insertImportedRow(db: DbOrTx, values: typeof importRow.$inferInsert) {
  await db.insert(importRow).values(values);
}

/** Batch numbers among `batchNos` the organisation already uses. */
export async function takenBatches(db: DbOrTx, orgId: string, batchNos: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < batchNos.length; i += 1000) {
    const chunk = batchNos.slice(i, i + 1000);
    const rows = await db.select({ batchNo: lot.batchNo }).from(lot).where(and(eq(lot.sellerOrgId, orgId), inArray(lot.batchNo, [...chunk])));
    for (const r of rows) taken.add(r.batchNo);
  }
  return taken;
}

/** An existing product of the organisation with exactly this spec (reused instead of a duplicate). */
export async function findIdenticalProduct(
  db: DbOrTx,
  orgId: string,
  spec: { herbId: string; form: string; cut: string; processing: string; grade: string; origin: string; daoDi: boolean },
) {
  const [row] = await db
    .select({ id: product.id })
    .from(product)
    .where(
      and(
        eq(product.sellerOrgId, orgId),
        eq(product.herbId, spec.herbId),
        eq(product.form, spec.form),
        eq(product.cut, spec.cut),
        eq(product.processing, spec.processing),
        eq(product.grade, spec.grade),
        eq(product.origin, spec.origin.trim()),
        eq(product.daoDi, spec.daoDi),
      ),
    )
    .orderBy(sql`${product.createdAt} asc`)
    .limit(1);
  return row;
}

export async function orgRegionCode(db: DbOrTx, orgId: string): Promise<string | undefined> {
  const [row] = await db.select({ regionCode: orgProfile.regionCode }).from(orgProfile).where(eq(orgProfile.orgId, orgId)).limit(1);
  return row?.regionCode;
}
