import { tradeCounterparties } from '../../../domains/market/market.queries.ts';
import { orgProcedure } from '../../trpc.ts';

/** The organisations the caller's organisation traded with (id and name): trading is disclosed between parties. */
export const counterparties = orgProcedure('market:trade').query(({ ctx }) => tradeCounterparties(ctx.db, ctx.activeOrg.id));
