import { instrumentQuotes } from '../../../domains/market/market.queries.ts';
import { orgProcedure } from '../../trpc.ts';

/** Every instrument with its status, last price and the change against the previous day's close (China time). */
export const quotes = orgProcedure('catalog:read').query(({ ctx }) => instrumentQuotes(ctx.db));
