import { z } from 'zod';
import { nearbyStores } from '../../../domains/prescriptions/prescriptions.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Pharmacies near a point the patient may pick for pickup (nearest first). */
export const stores = orgProcedure('rx:sign')
  .input(z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }))
  .query(({ ctx, input }) => nearbyStores(ctx.db, input));
