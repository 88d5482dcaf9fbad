import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db } from '../../db/client.ts';
import { tender, tenderSupplier, upload } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { isInsideDir, MAX_UPLOAD_BYTES, safeFileName, sniffUploadType } from './upload-type.core.ts';

/**
 * Upload bytes live under `<data dir>/uploads/<org>/<id>`, outside the web root; rows scope them by org
 * and only GET /api/uploads/:id serves them. A data directory inside `public/` (served as static files
 * to anyone) is refused outright.
 */
export function uploadsRoot(dataDir: string, webRoot = path.resolve('public')): string {
  const root = path.resolve(dataDir, 'uploads');
  if (isInsideDir(root, webRoot)) throw new Error(`BENCAO_DATA_DIR must not be inside the web root ${webRoot}: uploads would be public`);
  return root;
}

/** 413: the file is over MAX_UPLOAD_BYTES. */
export const uploadTooLarge = () => new AppError('PAYLOAD_TOO_LARGE', msg('upload.tooLarge', { max: '10 MB' }), { field: 'file' });

export async function storeUpload(db: Db, dataDir: string, actor: { userId: string | null; orgId: string }, file: { name: string; bytes: Uint8Array }) {
  if (file.bytes.byteLength > MAX_UPLOAD_BYTES) throw uploadTooLarge();
  const kind = sniffUploadType(file.bytes.subarray(0, 16));
  if (!kind) throw new AppError('VALIDATION', msg('upload.badType'), { field: 'file' });
  const id = newId('upload');
  const storageKey = `${actor.orgId}/${id}.${kind.ext}`;
  const target = path.join(uploadsRoot(dataDir), storageKey);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, file.bytes, { flag: 'wx' });
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  // The row and the file together: a failed transaction leaves no orphaned file behind.
  await db.transaction(async (tx) => {
    await tx.insert(upload).values({
      id,
      orgId: actor.orgId,
      fileName: safeFileName(file.name),
      contentType: kind.type,
      sizeBytes: file.bytes.byteLength,
      sha256,
      storageKey,
      uploadedBy: actor.userId,
    });
    await appendAudit(tx, { actorUserId: actor.userId, actorOrgId: actor.orgId, orgId: actor.orgId, action: 'upload.stored', entityType: 'upload', entityId: id, data: { sha256, contentType: kind.type, size: file.bytes.byteLength } });
  }).catch(async (error: unknown) => {
    await rm(target, { force: true });
    throw error;
  });
  return { id, fileName: safeFileName(file.name), contentType: kind.type, sizeBytes: file.bytes.byteLength, sha256 };
}

/** Reads one of the organisation's uploads; another organisation's id is simply not found. */
/**
 * Whether `id` is a document a supplier attached to its registration for a tender run by `allianceOrgId`:
 * the alliance reads it to qualify the supplier (nobody else does).
 */
async function isTenderRegistrationDocumentFor(db: Db, allianceOrgId: string, id: string): Promise<boolean> {
  const [hit] = await db
    .select({ id: tenderSupplier.id })
    .from(tenderSupplier)
    .innerJoin(tender, eq(tender.id, tenderSupplier.tenderId))
    .where(and(eq(tender.allianceOrgId, allianceOrgId), sql`${tenderSupplier.documents} @> ${JSON.stringify([{ uploadId: id }])}::jsonb`))
    .limit(1);
  return hit !== undefined;
}

export async function readUpload(db: Db, dataDir: string, orgId: string, id: string) {
  const [row] = await db.select().from(upload).where(eq(upload.id, id)).limit(1);
  if (!row || (row.orgId !== orgId && !(await isTenderRegistrationDocumentFor(db, orgId, id)))) throw new AppError('NOT_FOUND', msg('org.notFound'), { field: 'id' });
  const bytes = await readFile(path.join(uploadsRoot(dataDir), row.storageKey));
  return { row, bytes };
}
