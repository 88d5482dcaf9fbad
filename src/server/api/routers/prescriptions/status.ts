import { statusTokenInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { statusByToken } from '../../../domains/prescriptions/prescriptions.service.ts';
import { publicProcedure } from '../../trpc.ts';

/** The patient's status page: a random token, no login, minimal data; expired or unknown → NOT_FOUND. */
export const status = publicProcedure.input(statusTokenInput).query(({ ctx, input }) => statusByToken(ctx.db, input.token));
