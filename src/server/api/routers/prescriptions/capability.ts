import { getCapability } from '../../../domains/prescriptions/prescriptions.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The pharmacy's dispensing capability (null until set). */
export const capability = orgProcedure('rx:dispense').query(({ ctx }) => getCapability(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }));
