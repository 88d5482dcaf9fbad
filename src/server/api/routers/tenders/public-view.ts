import { tenderIdInput } from '../../../domains/tenders/tenders.schemas.ts';
import { publicTenderView } from '../../../domains/tenders/tenders.service.ts';
import { publicProcedure } from '../../trpc.ts';

/** The public tender page (no login): lots, schedule, and after the opening the result and its award hash. */
export const publicView = publicProcedure.input(tenderIdInput).query(({ ctx, input }) => publicTenderView(ctx.db, input));
