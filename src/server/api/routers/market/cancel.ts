import { cancelInput } from '../../../domains/market/market.schemas.ts';
import { submitCommand } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Cancels a resting order of the caller's organisation (a sell's open grams go back to its lot). */
export const cancel = orgProcedure('market:trade')
  .input(cancelInput)
  .mutation(({ ctx, input }) => {
    const { instrumentId, ...command } = input;
    return submitCommand(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, instrumentId, { kind: 'cancel', ...command });
  });
