import { handleOhlcExport } from '@/server/api/routers/market/ohlc-http.ts';
import { withRequestId } from '@/server/observability/request-scope.ts';

/** Daily OHLC and volume of an instrument as CSV or JSON (see `handleOhlcExport`). */
export const GET = withRequestId((req: Request) => handleOhlcExport(req));
