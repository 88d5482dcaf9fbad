import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { herb, lot, lotDocument, orgProfile, organization, product, upload } from '../../db/schema/index.ts';

/** Reads for the public lot trace and the seller's lot documents. */
export async function findLotForTrace(db: DbOrTx, lotId: string) {
  const [row] = await db
    .select({
      lotId: lot.id,
      batchNo: lot.batchNo,
      productionDate: lot.productionDate,
      expiryDate: lot.expiryDate,
      contentPct: lot.contentPct,
      moisturePct: lot.moisturePct,
      totalAshPct: lot.totalAshPct,
      heavyMetalsPpm: lot.heavyMetalsPpm,
      pesticidePpm: lot.pesticidePpm,
      so2Ppm: lot.so2Ppm,
      growerBase: lot.growerBase,
      harvestDate: lot.harvestDate,
      sellerOrgId: lot.sellerOrgId,
      productName: product.name,
      form: product.form,
      cut: product.cut,
      processing: product.processing,
      grade: product.grade,
      origin: product.origin,
      daoDi: product.daoDi,
      herbName: herb.name,
      herbLatin: herb.latin,
      sellerName: organization.name,
      sellerKind: orgProfile.kind,
      sellerRegionCode: orgProfile.regionCode,
    })
    .from(lot)
    .innerJoin(product, eq(product.id, lot.productId))
    .innerJoin(herb, eq(herb.id, product.herbId))
    .innerJoin(organization, eq(organization.id, lot.sellerOrgId))
    .leftJoin(orgProfile, eq(orgProfile.orgId, lot.sellerOrgId))
    .where(eq(lot.id, lotId))
    .limit(1);
  return row;
}

export async function lotDocumentKinds(db: DbOrTx, lotId: string): Promise<string[]> {
  const rows = await db.select({ kind: lotDocument.kind }).from(lotDocument).where(eq(lotDocument.lotId, lotId));
  return rows.map((r) => r.kind);
}

export async function findOwnLotId(db: DbOrTx, sellerOrgId: string, lotId: string) {
  const [row] = await db.select({ id: lot.id, batchNo: lot.batchNo }).from(lot).where(and(eq(lot.id, lotId), eq(lot.sellerOrgId, sellerOrgId))).limit(1);
  return row;
}

export async function findOwnUpload(db: DbOrTx, orgId: string, uploadId: string) {
  const [row] = await db.select({ id: upload.id, fileName: upload.fileName, contentType: upload.contentType }).from(upload).where(and(eq(upload.id, uploadId), eq(upload.orgId, orgId))).limit(1);
  return row;
}

export async function insertLotDocumentOnce(db: DbOrTx, values: typeof lotDocument.$inferInsert) {
  const [row] = await db.insert(lotDocument).values(values).onConflictDoNothing().returning();
  return row;
}

export async function listLotDocuments(db: DbOrTx, sellerOrgId: string, lotId: string) {
  return db
    .select({ uploadId: lotDocument.uploadId, kind: lotDocument.kind, createdAt: lotDocument.createdAt, fileName: upload.fileName, contentType: upload.contentType })
    .from(lotDocument)
    .innerJoin(lot, eq(lot.id, lotDocument.lotId))
    .innerJoin(upload, eq(upload.id, lotDocument.uploadId))
    .where(and(eq(lotDocument.lotId, lotId), eq(lot.sellerOrgId, sellerOrgId)));
}
