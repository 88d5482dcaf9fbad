import { instrumentInput } from '../../../domains/market/market.schemas.ts';
import { bookDepth } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Depth of one instrument's book: the best price levels of each side (grams per fen/kg price). */
export const book = orgProcedure('catalog:read')
  .input(instrumentInput)
  .query(({ ctx, input }) => bookDepth(ctx.db, input.instrumentId, input.depth));
