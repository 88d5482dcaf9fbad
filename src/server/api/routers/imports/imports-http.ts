import { AppError } from '../../../../lib/errors.ts';
import { localeFromHeaders } from '../../../../lib/locale.ts';
import { msg } from '../../../../lib/messages.ts';
import { hasPermission } from '../../../../lib/permissions.ts';
import { MAX_IMPORT_BYTES } from '../../../domains/catalog/import.core.ts';
import { createImport, importErrorsCsv } from '../../../domains/catalog/import.service.ts';
import { formWithin } from '../../body-limit.ts';
import type { RequestContext } from '../../context.ts';
import { appErrorResponse } from '../../http-error.ts';
import { isWellFormedId } from '../../../../lib/input-guard.core.ts';
import { contextForRequest } from '../../http.ts';

type MakeContext = (req: Request) => Promise<RequestContext>;

const importTooLarge = () => new AppError('PAYLOAD_TOO_LARGE', msg('import.tooLarge', { max: '5 MB' }), { field: 'file' });
const badFile = () => new AppError('VALIDATION', msg('import.badFile'), { field: 'file' });

async function sellerContext(req: Request, makeContext: MakeContext) {
  const ctx = await makeContext(req);
  if (!ctx.user) throw new AppError('UNAUTHENTICATED', msg('auth.required'));
  if (!ctx.activeOrg) throw new AppError('FORBIDDEN', msg('org.required'));
  if (!hasPermission(ctx.permissions, 'listing:manage')) throw new AppError('FORBIDDEN', msg('org.forbidden', { permission: 'listing:manage' }));
  return { ...ctx, user: ctx.user, activeOrg: ctx.activeOrg };
}

/** POST /api/imports (multipart: `file`, `mode`): queues a catalogue import for the active organisation. */
export async function handleCreateImport(req: Request, makeContext: MakeContext = contextForRequest): Promise<Response> {
  try {
    const ctx = await sellerContext(req, makeContext);
    // Read while it streams and never past the limit (the file plus the multipart envelope): 413.
    const form = await formWithin(req, MAX_IMPORT_BYTES, importTooLarge, badFile);
    const file = form.get('file');
    if (!(file instanceof File)) throw badFile();
    if (file.size > MAX_IMPORT_BYTES) throw importTooLarge();
    const mode = String(form.get('mode') ?? 'all_or_nothing');
    const created = await createImport(ctx.db, { userId: ctx.user.id, orgId: ctx.activeOrg.id }, { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()), mode });
    return Response.json(created, { status: 202 });
  } catch (error) {
    if (error instanceof AppError) return appErrorResponse(req, error);
    throw error;
  }
}

/** GET /api/imports/:id/errors.csv — the per-row error report, for the importing organisation only. */
export async function handleImportErrors(req: Request, id: string, makeContext: MakeContext = contextForRequest): Promise<Response> {
  try {
    const ctx = await sellerContext(req, makeContext);
    if (!isWellFormedId(id)) throw new AppError('NOT_FOUND', msg('import.notFound'), { field: 'id' });
    const report = await importErrorsCsv(ctx.db, ctx.activeOrg.id, id, localeFromHeaders(req.headers));
    return new Response(report.csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(report.fileName)}`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    if (error instanceof AppError) return appErrorResponse(req, error);
    throw error;
  }
}
