import { AppError } from '../../lib/errors.ts';
import { msg } from '../../lib/messages.ts';
import { hasPermission } from '../../lib/permissions.ts';
import { env } from '../env.ts';
import { MAX_UPLOAD_BYTES } from '../domains/uploads/upload-type.core.ts';
import { readUpload, storeUpload, uploadTooLarge } from '../domains/uploads/uploads.service.ts';
import { formWithin } from './body-limit.ts';
import { isWellFormedId } from '../../lib/input-guard.core.ts';
import { appErrorResponse } from './http-error.ts';
import { contextForRequest } from './http.ts';

const noFile = () => new AppError('VALIDATION', msg('upload.noFile'), { field: 'file' });

/** POST /api/uploads (multipart, field `file`): stores a licence or report document for the active org. */
export async function handleUpload(req: Request): Promise<Response> {
  try {
    const ctx = await contextForRequest(req);
    if (!ctx.user && !ctx.apiKeyId) throw new AppError('UNAUTHENTICATED', msg('auth.required'));
    if (!ctx.activeOrg) throw new AppError('FORBIDDEN', msg('org.required'));
    if (!hasPermission(ctx.permissions, 'licence:manage')) throw new AppError('FORBIDDEN', msg('org.forbidden', { permission: 'licence:manage' }));
    // Read while it streams and never past the limit (the file plus the multipart envelope): 413.
    const form = await formWithin(req, MAX_UPLOAD_BYTES, uploadTooLarge, noFile);
    const file = form.get('file');
    if (!(file instanceof File)) throw noFile();
    const stored = await storeUpload(ctx.db, env().BENCAO_DATA_DIR, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    return Response.json(stored, { status: 201 });
  } catch (error) {
    if (error instanceof AppError) return appErrorResponse(req, error);
    throw error;
  }
}

/** GET /api/uploads/:id — only members of the owning organisation may download. */
export async function handleDownload(req: Request, id: string): Promise<Response> {
  try {
    const ctx = await contextForRequest(req);
    if (!ctx.activeOrg) throw new AppError('NOT_FOUND', msg('org.notFound'));
    if (!isWellFormedId(id)) throw new AppError('NOT_FOUND', msg('org.notFound'), { field: 'id' });
    const { row, bytes } = await readUpload(ctx.db, env().BENCAO_DATA_DIR, ctx.activeOrg.id, id);
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': row.contentType,
        'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    if (error instanceof AppError) return appErrorResponse(req, error);
    throw error;
  }
}
