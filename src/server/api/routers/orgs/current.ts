import { listLicences, getOrgProfile } from '../../../domains/orgs/orgs.repo.ts';
import { tradingStatus } from '../../../domains/orgs/orgs.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The active organisation: profile, licences, trading status and the caller's permissions. */
export const current = orgProcedure('org:read').query(async ({ ctx }) => {
  const orgId = ctx.activeOrg.id;
  const [profile, licences, block] = await Promise.all([getOrgProfile(ctx.db, orgId), listLicences(ctx.db, orgId), tradingStatus(ctx.db, orgId)]);
  return { profile: profile!, licences, tradingBlock: block, role: ctx.activeOrg.role, permissions: [...ctx.permissions].sort() };
});
