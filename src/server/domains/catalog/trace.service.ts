import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { regionLabel } from '../orgs/identity.core.ts';
import type { ProductForm, ProductProcessing } from './products.core.ts';
import type { SellerActor } from './products.service.ts';
import { meetsLimit, processingSteps, QUALITY_KEYS, QUALITY_UNITS, qualityLimit, type ProcessingStep, type QualityKey, type QualityLimit } from './trace.core.ts';
import * as repo from './trace.repo.ts';

export const LOT_DOCUMENT_KINDS = ['quality_report', 'other'] as const;
export type LotDocumentKind = (typeof LOT_DOCUMENT_KINDS)[number];

export interface TraceQualityRow {
  key: QualityKey;
  value: string | null;
  unit: '%' | 'mg/kg';
  limit: QualityLimit | null;
  /** null when the value is missing or there is no limit. */
  meets: boolean | null;
}

/**
 * The public, privacy-safe view of one lot (reachable from the QR code on its label): herb, product
 * spec, batch, dates, quality values, whether a report document is attached, the grower base and
 * harvest, processing steps and the seller's organisation name and region. Never people, prices,
 * stock, buyers or the document itself.
 */
export interface LotTrace {
  lotId: string;
  batchNo: string;
  herb: { name: string; latin: string };
  product: { name: string; form: string; cut: string; processing: string; grade: string; origin: string; daoDi: boolean };
  productionDate: string;
  expiryDate: string;
  quality: TraceQualityRow[];
  /** Quality keys without a value (the page says so). */
  missing: QualityKey[];
  reportAttached: boolean;
  grower: { base: string | null; harvestDate: string | null };
  processingSteps: ProcessingStep[];
  seller: { name: string; kind: string | null; regionCode: string | null; region: string | null };
}

export async function traceLot(db: DbOrTx, lotId: string): Promise<LotTrace> {
  const row = lotId.length <= 64 ? await repo.findLotForTrace(db, lotId) : undefined;
  if (!row) throw new AppError('NOT_FOUND', msg('trace.lotNotFound'), { field: 'id' });
  const kinds = await repo.lotDocumentKinds(db, row.lotId);
  const values: Record<QualityKey, string | null> = {
    content: row.contentPct,
    moisture: row.moisturePct,
    totalAsh: row.totalAshPct,
    heavyMetals: row.heavyMetalsPpm,
    pesticide: row.pesticidePpm,
    so2: row.so2Ppm === null ? null : String(row.so2Ppm),
  };
  const quality = QUALITY_KEYS.map((key): TraceQualityRow => {
    const limit = qualityLimit(row.herbName, key);
    return { key, value: values[key], unit: QUALITY_UNITS[key], limit, meets: meetsLimit(values[key], limit) };
  });
  return {
    lotId: row.lotId,
    batchNo: row.batchNo,
    herb: { name: row.herbName, latin: row.herbLatin },
    product: { name: row.productName, form: row.form, cut: row.cut, processing: row.processing, grade: row.grade, origin: row.origin, daoDi: row.daoDi },
    productionDate: row.productionDate,
    expiryDate: row.expiryDate,
    quality,
    missing: quality.filter((q) => q.value === null).map((q) => q.key),
    reportAttached: kinds.includes('quality_report'),
    grower: { base: row.growerBase, harvestDate: row.harvestDate },
    processingSteps: processingSteps({ form: row.form as ProductForm, cut: row.cut, processing: row.processing as ProductProcessing }),
    seller: {
      name: row.sellerName,
      kind: row.sellerKind ?? null,
      regionCode: row.sellerRegionCode ?? null,
      region: row.sellerRegionCode ? regionLabel(row.sellerRegionCode) : null,
    },
  };
}

/** The lot's batch number when the lot belongs to `orgId` (label printing); otherwise NOT_FOUND. */
export async function ownLotForLabel(db: DbOrTx, orgId: string, lotId: string): Promise<{ id: string; batchNo: string }> {
  const row = await repo.findOwnLotId(db, orgId, lotId);
  if (!row) throw new AppError('NOT_FOUND', msg('catalog.lotNotFound'), { field: 'id' });
  return row;
}

/**
 * Attaches one of the seller's uploads (e.g. the quality report PDF) to one of its lots. Another
 * organisation's lot or upload is NOT_FOUND; attaching the same upload twice is a no-op.
 */
export async function attachLotDocument(db: Db, actor: SellerActor, input: { lotId: string; uploadId: string; kind: LotDocumentKind }) {
  return db.transaction(async (tx) => {
    const owned = await repo.findOwnLotId(tx, actor.orgId, input.lotId);
    if (!owned) throw new AppError('NOT_FOUND', msg('catalog.lotNotFound'), { field: 'lotId' });
    const file = await repo.findOwnUpload(tx, actor.orgId, input.uploadId);
    if (!file) throw new AppError('NOT_FOUND', msg('trace.uploadNotFound'), { field: 'uploadId' });
    const inserted = await repo.insertLotDocumentOnce(tx, { lotId: owned.id, uploadId: file.id, kind: input.kind });
    if (inserted) {
      await appendAudit(tx, {
        actorUserId: actor.userId,
        actorOrgId: actor.orgId,
        orgId: actor.orgId,
        action: 'lot.document_attached',
        entityType: 'lot',
        entityId: owned.id,
        data: { uploadId: file.id, kind: input.kind },
      });
    }
    return { lotId: owned.id, uploadId: file.id, kind: input.kind, attached: Boolean(inserted) };
  });
}

export async function lotDocuments(db: DbOrTx, orgId: string, lotId: string) {
  const owned = await repo.findOwnLotId(db, orgId, lotId);
  if (!owned) throw new AppError('NOT_FOUND', msg('catalog.lotNotFound'), { field: 'lotId' });
  return repo.listLotDocuments(db, orgId, lotId);
}
