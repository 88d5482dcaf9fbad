import { z } from 'zod';
import { AppError } from '../../../../lib/errors.ts';
import { msg } from '../../../../lib/messages.ts';
import { getInvitation } from '../../../domains/orgs/orgs.repo.ts';
import { publicProcedure } from '../../trpc.ts';

/** What an invitation link shows before sign-in: organisation, role and the invited address. */
export const invitation = publicProcedure.input(z.object({ id: z.string().min(1).max(64) })).query(async ({ ctx, input }) => {
  const row = await getInvitation(ctx.db, input.id);
  if (!row || row.status !== 'pending' || row.expiresAt < new Date()) throw new AppError('NOT_FOUND', msg('invitation.notFound'), { field: 'id' });
  return { id: row.id, orgName: row.orgName, kind: row.kind, role: row.role, email: row.email, expiresAt: row.expiresAt };
});
