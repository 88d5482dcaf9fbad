import { createInstrumentInput } from '../../../domains/market/market-data.schemas.ts';
import { createInstrument as createInstrumentService } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** A platform operator opens an instrument for a catalogue spec and grade (one per spec and grade). */
export const createInstrument = orgProcedure('market:operate')
  .input(createInstrumentInput)
  .mutation(({ ctx, input }) => createInstrumentService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
