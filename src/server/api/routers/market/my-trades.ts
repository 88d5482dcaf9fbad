import { listInput } from '../../../domains/market/market.schemas.ts';
import { myTrades as myTradesService } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Trades the caller's organisation was a party to, newest first, with the counterparty disclosed. */
export const myTrades = orgProcedure('market:trade')
  .input(listInput)
  .query(({ ctx, input }) => myTradesService(ctx.db, ctx.activeOrg.id, input.limit));
