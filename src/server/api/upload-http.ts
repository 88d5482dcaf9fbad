import { AppError } from '../../lib/errors.ts';
import { msg } from '../../lib/messages.ts';
import { hasPermission } from '../../lib/permissions.ts';
import { env } from '../env.ts';
import { readUpload, storeUpload } from '../domains/uploads/uploads.service.ts';
import { appErrorResponse } from './http-error.ts';
import { contextForRequest } from './http.ts';


/** POST /api/uploads (multipart, field `file`): stores a licence or report document for the active org. */
export async function handleUpload(req: Request): Promise<Response> {
  try {
    const ctx = await contextForRequest(req);
    if (!ctx.user && !ctx.apiKeyId) throw new AppError('UNAUTHENTICATED', msg('auth.required'));
    if (!ctx.activeOrg) throw new AppError('FORBIDDEN', msg('org.required'));
    if (!hasPermission(ctx.permissions, 'licence:manage')) throw new AppError('FORBIDDEN', msg('org.forbidden', { permission: 'licence:manage' }));
    const declared = Number(req.headers.get('content-length') ?? '0');
    if (declared > 11 * 1024 * 1024) throw new AppError('VALIDATION', msg('upload.tooLarge', { max: '10 MB' }), { field: 'file' });
    const form = await req.formData();
    const file = form.get('file');
    if (!(file instanceof File)) throw new AppError('VALIDATION', msg('upload.badType'), { field: 'file' });
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
