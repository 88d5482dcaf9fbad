import { sellerCredit as sellerCreditService } from '../../../domains/orders/credit.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** A seller's credit lines with each buyer's balance and overdue invoices, and the buyers it may grant terms to. */
export const sellerCredit = orgProcedure('listing:manage').query(({ ctx }) => sellerCreditService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }));
