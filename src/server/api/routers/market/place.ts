import { placeInput } from '../../../domains/market/market.schemas.ts';
import { submitCommand } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Places a limit order for the caller's organisation; a sell reserves the named lot's grams. */
export const place = orgProcedure('market:trade')
  .input(placeInput)
  .mutation(({ ctx, input }) => {
    const { instrumentId, ...order } = input;
    return submitCommand(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, instrumentId, { kind: 'place', ...order });
  });
