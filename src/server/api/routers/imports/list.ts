import { localeFromHeaders } from '../../../../lib/locale.ts';
import { listImports } from '../../../domains/catalog/import.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** The organisation's recent catalogue imports (newest first), without their files. */
export const list = orgProcedure('listing:manage').query(({ ctx }) => listImports(ctx.db, ctx.activeOrg.id, localeFromHeaders(ctx.headers)));
