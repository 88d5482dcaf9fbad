import { listInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { listPrescriptions as run } from '../../../domains/prescriptions/prescriptions.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The hospital’s prescriptions (newest first). */
export const list = orgProcedure('rx:read')
  .input(listInput)
  .query(({ ctx, input }) => run(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
