import { AppError } from '../../../../lib/errors.ts';
import { textProblem } from '../../../../lib/input-guard.core.ts';
import { msg } from '../../../../lib/messages.ts';
import { hasPermission } from '../../../../lib/permissions.ts';
import { instrumentOhlc } from '../../../domains/market/market.queries.ts';
import { candlesCsv, OHLC_EXPORT_FORMATS, type OhlcExportFormat } from '../../../domains/market/ohlc.core.ts';
import type { RequestContext } from '../../context.ts';
import { appErrorResponse } from '../../http-error.ts';
import { contextForRequest } from '../../http.ts';

type MakeContext = (req: Request) => Promise<RequestContext>;

/** The query string's names for the domain's fields (the error names what the caller sent). */
const PARAM_OF_FIELD: Record<string, string> = { instrumentId: 'instrument', from: 'from', to: 'to' };
type Param = 'instrument' | 'from' | 'to' | 'format';

function errorResponse(req: Request, error: AppError): Response {
  const field = error.field ? (PARAM_OF_FIELD[error.field] ?? error.field) : null;
  return appErrorResponse(req, error, { field, headers: { 'cache-control': 'private, no-store' } });
}

/** One value per parameter (a repeated or over-long one is refused naming it); undefined when absent or empty. */
function param(url: URL, name: Param): string | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length > 1 || (values[0]?.length ?? 0) > 64 || (values[0] !== undefined && textProblem(values[0]) !== null)) {
    throw new AppError('VALIDATION', msg('marketData.badParam', { param: name }), { field: name });
  }
  const value = values[0]?.trim();
  return value ? value : undefined;
}

/**
 * GET /api/market/ohlc?instrument=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|json — daily candles
 * and volume of an instrument (China-time days, both ends included; defaults: the last 90 days, JSON).
 * Market data for any signed-in member (session or API key) of an organisation; no parties in it.
 * Bad parameters answer 400 with `{ error: { code, message, field } }` in the caller's language.
 */
export async function handleOhlcExport(req: Request, makeContext: MakeContext = contextForRequest): Promise<Response> {
  try {
    const ctx = await makeContext(req);
    if (ctx.apiKeyInvalid) throw new AppError('UNAUTHENTICATED', msg('auth.apiKeyInvalid'));
    if (!ctx.user && !ctx.apiKeyId) throw new AppError('UNAUTHENTICATED', msg('auth.required'));
    if (!ctx.activeOrg) throw new AppError('FORBIDDEN', msg('org.required'));
    if (!hasPermission(ctx.permissions, 'catalog:read')) throw new AppError('FORBIDDEN', msg('org.forbidden', { permission: 'catalog:read' }));
    const url = new URL(req.url);
    const instrumentId = param(url, 'instrument');
    const from = param(url, 'from');
    const to = param(url, 'to');
    const formatParam = param(url, 'format') ?? 'json';
    if (!instrumentId) throw new AppError('VALIDATION', msg('marketData.instrumentRequired'), { field: 'instrument' });
    if (!(OHLC_EXPORT_FORMATS as readonly string[]).includes(formatParam)) throw new AppError('VALIDATION', msg('marketData.badFormat'), { field: 'format' });
    const format = formatParam as OhlcExportFormat;
    const data = await instrumentOhlc(ctx.db, { instrumentId, from, to });
    const headers = { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' };
    if (format === 'json') return Response.json(data, { headers });
    const fileName = `ohlc-${data.instrument.id}-${data.from}-${data.to}.csv`;
    return new Response(candlesCsv(data.days), {
      headers: { ...headers, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(`${data.instrument.name} ${data.from}~${data.to}.csv`)}` },
    });
  } catch (error) {
    if (error instanceof AppError) return errorResponse(req, error);
    throw error;
  }
}
