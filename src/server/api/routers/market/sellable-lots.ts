import { instrumentIdInput } from '../../../domains/market/market-data.schemas.ts';
import { sellableLots as sellableLotsQuery } from '../../../domains/market/market.queries.ts';
import { orgProcedure } from '../../trpc.ts';

/** The caller's organisation's lots that can back a sell on the instrument, with their free grams. */
export const sellableLots = orgProcedure('market:trade')
  .input(instrumentIdInput)
  .query(({ ctx, input }) => sellableLotsQuery(ctx.db, ctx.activeOrg.id, input.instrumentId));
