import { amendInput } from '../../../domains/market/market.schemas.ts';
import { submitCommand } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Reduces a resting order's open quantity, keeping its time priority (a sell releases the difference). */
export const amend = orgProcedure('market:trade')
  .input(amendInput)
  .mutation(({ ctx, input }) => {
    const { instrumentId, ...command } = input;
    return submitCommand(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, instrumentId, { kind: 'amend', ...command });
  });
