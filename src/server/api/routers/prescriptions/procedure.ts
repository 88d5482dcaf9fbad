import { ZodError } from 'zod';
import type { Permission } from '../../../../lib/permissions.ts';
import { appendAudit } from '../../../domains/audit/audit.service.ts';
import { orgProcedure } from '../../trpc.ts';

/**
 * `orgProcedure` for prescription commands, auditing input refused at the edge (zod): every attempt
 * leaves a trace even when nothing reaches the service (which audits its own refusals).
 */
export function rxCommand(permission: Permission) {
  return orgProcedure(permission).use(async ({ ctx, path, next }) => {
    const result = await next();
    if (!result.ok && result.error.cause instanceof ZodError) {
      const issue = result.error.cause.issues[0];
      await ctx.db.transaction((tx) =>
        appendAudit(tx, {
          actorUserId: ctx.user?.id ?? null,
          actorOrgId: ctx.activeOrg.id,
          orgId: ctx.activeOrg.id,
          action: `rx.refused.${path.split('.').pop() ?? path}`,
          entityType: 'prescription',
          entityId: 'input',
          data: { code: 'VALIDATION', field: issue ? issue.path.join('.') : null },
        }),
      );
    }
    return result;
  });
}
