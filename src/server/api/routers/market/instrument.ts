import { instrumentIdInput } from '../../../domains/market/market-data.schemas.ts';
import { instrumentQuote } from '../../../domains/market/market.queries.ts';
import { orgProcedure } from '../../trpc.ts';

/** One instrument: its spec, status, last price and change against the previous day's close. */
export const instrument = orgProcedure('catalog:read')
  .input(instrumentIdInput)
  .query(({ ctx, input }) => instrumentQuote(ctx.db, input.instrumentId));
