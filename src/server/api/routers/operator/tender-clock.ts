import { demoClockState } from '../../../domains/tenders/demo-clock.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The tender clock as the operator sees it; `enabled` only in the embedded demo. */
export const tenderClock = orgProcedure('jobs:manage').query(() => demoClockState());
