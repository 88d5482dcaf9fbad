import { listWork } from '../../../domains/prescriptions/pharmacy.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Prescriptions the pharmacy accepted (in progress and done). */
export const work = orgProcedure('rx:dispense').query(({ ctx }) => listWork(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }));
