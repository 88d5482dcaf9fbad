import { buyerCredit } from '../../../domains/orders/credit.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The buyer's payment terms per seller, with what is still available. */
export const myCredit = orgProcedure('order:create').query(({ ctx }) => buyerCredit(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }));
