import { addToCartInput } from '../../../domains/orders/orders.schemas.ts';
import { addToCart as addToCartService } from '../../../domains/orders/orders.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Adds grams of a listing (≥ minimum order, ≤ available) to the cart. */
export const addToCart = orgProcedure('order:create')
  .input(addToCartInput)
  .mutation(({ ctx, input }) => addToCartService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
