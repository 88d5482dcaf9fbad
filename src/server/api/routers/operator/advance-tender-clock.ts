import { z } from 'zod';
import { advanceDemoClock } from '../../../domains/tenders/demo-clock.service.ts';
import { orgProcedure } from '../../trpc.ts';

/**
 * Embedded demo only (refused anywhere else): moves the tender clock forward to `to` and runs the
 * tender timers that became due (the sealed-bid opening, the final award). Audited.
 */
export const advanceTenderClock = orgProcedure('jobs:manage')
  .input(z.object({ to: z.coerce.date() }))
  .mutation(({ ctx, input }) => advanceDemoClock(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
