import { myProducts as myProductsService } from '../../../domains/catalog/products.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The caller's organisation's products. */
export const myProducts = orgProcedure('listing:manage').query(({ ctx }) => myProductsService(ctx.db, ctx.activeOrg.id));
