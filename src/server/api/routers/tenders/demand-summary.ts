import { tenderIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { demandSummary as demandSummaryService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** Demand per lot and region, and per member, for the alliance. */
export const demandSummary = orgProcedure('tender:manage')
  .input(tenderIdInput)
  .query(({ ctx, input }) => demandSummaryService(ctx.db, actorOf(ctx), input));
