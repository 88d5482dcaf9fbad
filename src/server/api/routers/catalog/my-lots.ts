import { myLots as myLotsService } from '../../../domains/catalog/products.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The caller's organisation's lots with available and reserved grams. */
export const myLots = orgProcedure('listing:manage').query(({ ctx }) => myLotsService(ctx.db, ctx.activeOrg.id));
