import QRCode from 'qrcode';
import { AppError, errorHttpStatus } from '../../../../lib/errors.ts';
import { localeFromHeaders } from '../../../../lib/locale.ts';
import { msg, translate } from '../../../../lib/messages.ts';
import { hasPermission } from '../../../../lib/permissions.ts';
import { ownLotForLabel } from '../../../domains/catalog/trace.service.ts';
import { appUrl } from '../../../env.ts';
import type { RequestContext } from '../../context.ts';
import { isWellFormedId } from '../../../../lib/input-guard.core.ts';
import { contextForRequest } from '../../http.ts';

/** The absolute public trace URL printed as the QR code on a lot label. */
export function traceUrl(lotId: string, base = appUrl(), locale = 'zh'): string {
  return `${base.replace(/\/+$/, '')}/${locale}/trace/${encodeURIComponent(lotId)}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/**
 * The label image: the QR code of the trace URL with the batch number under it. PNG (default) comes
 * straight from `QRCode.toBuffer` (the batch number is in the file name and the QR target); SVG adds
 * the batch number as text under the code.
 */
export async function labelImage(lot: { id: string; batchNo: string }, format: 'png' | 'svg', base = appUrl()): Promise<{ body: Uint8Array; type: string }> {
  const url = traceUrl(lot.id, base);
  if (format === 'png') {
    const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 });
    return { body: new Uint8Array(png), type: 'image/png' };
  }
  const qr = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 320 });
  const inner = qr.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  const viewBox = /viewBox="([^"]+)"/.exec(qr)?.[1] ?? '0 0 33 33';
  const size = Number(viewBox.split(' ')[2] ?? '33');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="370" viewBox="0 0 ${size} ${size + 5}"><svg viewBox="${viewBox}" width="${size}" height="${size}">${inner}</svg><text x="${size / 2}" y="${size + 3.5}" font-size="2.6" text-anchor="middle" font-family="sans-serif">批号 ${escapeXml(lot.batchNo)}</text></svg>`;
  return { body: new TextEncoder().encode(svg), type: 'image/svg+xml' };
}

/**
 * GET /api/lots/:id/label.png (or .svg): only members of the lot's seller organisation (active org,
 * `listing:manage`) may print its label; any other caller gets 404 whether or not the lot exists.
 */
export async function handleLotLabel(req: Request, lotId: string, format: 'png' | 'svg' = 'png', makeContext: (req: Request) => Promise<RequestContext> = contextForRequest): Promise<Response> {
  try {
    const ctx = await makeContext(req);
    if (!ctx.user && !ctx.apiKeyId) throw new AppError('UNAUTHENTICATED', msg('auth.required'));
    if (!ctx.activeOrg || !hasPermission(ctx.permissions, 'listing:manage') || !isWellFormedId(lotId)) throw new AppError('NOT_FOUND', msg('catalog.lotNotFound'), { field: 'id' });
    const lot = await ownLotForLabel(ctx.db, ctx.activeOrg.id, lotId);
    const image = await labelImage(lot, format);
    const name = `label-${lot.batchNo}.${format}`;
    return new Response(image.body as BodyInit, {
      headers: {
        'content-type': image.type,
        'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    if (error instanceof AppError) {
      const message = translate(error.message, localeFromHeaders(req.headers));
      return Response.json({ error: { code: error.code, message, field: error.field ?? null } }, { status: errorHttpStatus(error.code) });
    }
    throw error;
  }
}
