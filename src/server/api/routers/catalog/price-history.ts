import { z } from 'zod';
import { MAX_PRICE_HISTORY_WEEKS } from '../../../domains/orders/price-history.core.ts';
import { productPriceHistory } from '../../../domains/orders/price-history.service.ts';
import { authedProcedure } from '../../trpc.ts';

/**
 * Weekly min/median/max of a product's traded prices (fen/kg) and volume (g). Aggregated market data
 * for any signed-in caller: no buyer or seller identities in the answer.
 */
export const priceHistory = authedProcedure
  .input(z.object({ productId: z.string().trim().min(1).max(64), weeks: z.number().int().min(1).max(MAX_PRICE_HISTORY_WEEKS).default(26) }))
  .query(({ ctx, input }) => productPriceHistory(ctx.db, input));
