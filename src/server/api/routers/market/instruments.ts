import { listInstruments } from '../../../domains/market/market.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** Every instrument with its status and last trade price (null before the first trade). */
export const instruments = orgProcedure('catalog:read').query(({ ctx }) => listInstruments(ctx.db));
