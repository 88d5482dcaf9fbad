import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db } from '../../db/client.ts';
import { upload } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { MAX_UPLOAD_BYTES, safeFileName, sniffUploadType } from './upload-type.core.ts';

/** Upload bytes live under `<data dir>/uploads/<org>/<id>`, outside the web root; rows scope them by org. */
export function uploadsRoot(dataDir: string): string {
  return path.resolve(dataDir, 'uploads');
}

export async function storeUpload(db: Db, dataDir: string, actor: { userId: string | null; orgId: string }, file: { name: string; bytes: Uint8Array }) {
  if (file.bytes.byteLength > MAX_UPLOAD_BYTES) throw new AppError('VALIDATION', msg('upload.tooLarge', { max: '10 MB' }), { field: 'file' });
  const kind = sniffUploadType(file.bytes.subarray(0, 16));
  if (!kind) throw new AppError('VALIDATION', msg('upload.badType'), { field: 'file' });
  const id = newId('upload');
  const storageKey = `${actor.orgId}/${id}.${kind.ext}`;
  const target = path.join(uploadsRoot(dataDir), storageKey);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, file.bytes, { flag: 'wx' });
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
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
  });
  return { id, fileName: safeFileName(file.name), contentType: kind.type, sizeBytes: file.bytes.byteLength, sha256 };
}

/** Reads one of the organisation's uploads; another organisation's id is simply not found. */
export async function readUpload(db: Db, dataDir: string, orgId: string, id: string) {
  const [row] = await db.select().from(upload).where(and(eq(upload.id, id), eq(upload.orgId, orgId))).limit(1);
  if (!row) throw new AppError('NOT_FOUND', msg('org.notFound'), { field: 'id' });
  const bytes = await readFile(path.join(uploadsRoot(dataDir), row.storageKey));
  return { row, bytes };
}
