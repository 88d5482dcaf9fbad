import { recentTradesInput } from '../../../domains/market/market-data.schemas.ts';
import { recentTrades } from '../../../domains/market/market.queries.ts';
import { orgProcedure } from '../../trpc.ts';

/** An instrument's newest trades (price, grams, time); the side and counterparty only on the caller's own trades. */
export const trades = orgProcedure('catalog:read')
  .input(recentTradesInput)
  .query(({ ctx, input }) => recentTrades(ctx.db, input.instrumentId, ctx.activeOrg.id, input.limit));
