import { z } from 'zod';
import { AppError } from '../../../../lib/errors.ts';
import { msg } from '../../../../lib/messages.ts';
import { getOrgProfile } from '../../../domains/orgs/orgs.repo.ts';
import { orgProcedure } from '../../trpc.ts';

const orgOutput = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  uscc: z.string(),
  regionCode: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  kybStatus: z.string(),
});

/**
 * `GET /api/v1/orgs/{id}`: an organisation's profile, for its own members and API keys only; any other
 * organisation's id answers 404, whether or not it exists.
 */
export const byId = orgProcedure('org:read')
  .meta({ openapi: { method: 'GET', path: '/orgs/{id}', tags: ['organisations'], summary: 'Own organisation profile', protect: true } })
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(orgOutput)
  .query(async ({ ctx, input }) => {
    const profile = input.id === ctx.activeOrg.id ? await getOrgProfile(ctx.db, input.id) : undefined;
    if (!profile) throw new AppError('NOT_FOUND', msg('org.notFound'), { field: 'id' });
    return orgOutput.parse(profile);
  });
