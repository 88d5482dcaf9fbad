import { handleOhlcExport } from '@/server/api/routers/market/ohlc-http.ts';

/** Daily OHLC and volume of an instrument as CSV or JSON (see `handleOhlcExport`). */
export async function GET(req: Request) {
  return handleOhlcExport(req);
}
