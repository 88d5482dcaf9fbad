import { listOffers } from '../../../domains/prescriptions/pharmacy.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The pharmacy's open offers, soonest timeout first. */
export const offers = orgProcedure('rx:dispense').query(({ ctx }) => listOffers(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }));
