import { ohlcInput } from '../../../domains/market/market-data.schemas.ts';
import { instrumentOhlc } from '../../../domains/market/market.queries.ts';
import { orgProcedure } from '../../trpc.ts';

/** Daily open/high/low/close (fen per kg) and volume (g) of an instrument, China-time days; no parties. */
export const ohlc = orgProcedure('catalog:read')
  .input(ohlcInput)
  .query(({ ctx, input }) => instrumentOhlc(ctx.db, input));
