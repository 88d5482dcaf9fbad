import { getCart } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The caller's cart grouped by seller, priced with current tiers (integer fen). */
export const cart = orgProcedure('order:create').query(({ ctx }) => getCart(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }));
