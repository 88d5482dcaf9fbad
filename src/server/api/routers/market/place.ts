import { placeOrder } from '../../../domains/market/market.funding.ts';
import { placeInput } from '../../../domains/market/market.schemas.ts';
import { appPayments } from '../../../integrations/payments/payments.ts';
import { orgProcedure } from '../../trpc.ts';

/** Places a limit order for the caller's organisation; a sell reserves the named lot's grams, a card-funded buy is authorised first. */
export const place = orgProcedure('market:trade')
  .input(placeInput)
  .mutation(({ ctx, input }) => {
    const { instrumentId, ...order } = input;
    return placeOrder(ctx.db, appPayments(), { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, instrumentId, { kind: 'place', ...order });
  });
