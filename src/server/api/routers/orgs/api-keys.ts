import { z } from 'zod';
import { appendAudit } from '../../../domains/audit/audit.service.ts';
import { listApiKeys } from '../../../domains/orgs/orgs.repo.ts';
import { revokeApiKey as revoke } from '../../../domains/orgs/orgs.service.ts';
import { orgProcedure } from '../../trpc.ts';

export const apiKeys = orgProcedure('apikey:manage').query(({ ctx }) => listApiKeys(ctx.db, ctx.activeOrg.id));

/** Creates an organisation API key; the full key is in this answer only (stored hashed). */
export const createApiKey = orgProcedure('apikey:manage')
  .input(z.object({ name: z.string().trim().min(1).max(64) }))
  .mutation(async ({ ctx, input }) => {
    const created = await ctx.auth.api.createApiKey({ body: { name: input.name, organizationId: ctx.activeOrg.id, userId: ctx.user!.id } });
    await ctx.db.transaction((tx) =>
      appendAudit(tx, { actorUserId: ctx.user?.id, actorOrgId: ctx.activeOrg.id, orgId: ctx.activeOrg.id, action: 'apikey.created', entityType: 'apikey', entityId: created.id, data: { name: input.name } }),
    );
    return { id: created.id, name: input.name, key: created.key };
  });

export const revokeApiKey = orgProcedure('apikey:manage')
  .input(z.object({ id: z.string().min(1).max(64) }))
  .mutation(async ({ ctx, input }) => {
    await revoke(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input.id);
    return { id: input.id };
  });
