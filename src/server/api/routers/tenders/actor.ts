import type { OrgContext } from '../../trpc.ts';
import type { TenderActor } from '../../../domains/tenders/tenders.service.ts';

/** The caller as the tenders services see it: user (null for an API key) and active organisation. */
export const actorOf = (ctx: OrgContext): TenderActor => ({ userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id });
