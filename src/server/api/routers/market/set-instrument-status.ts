import { instrumentStatusInput } from '../../../domains/market/market-data.schemas.ts';
import { setInstrumentStatus as setInstrumentStatusService } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** A platform operator halts trading in an instrument (no place, cancel or amend) or resumes it. */
export const setInstrumentStatus = orgProcedure('market:operate')
  .input(instrumentStatusInput)
  .mutation(async ({ ctx, input }) => {
    await setInstrumentStatusService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input.instrumentId, input.status);
    return { instrumentId: input.instrumentId, status: input.status };
  });
