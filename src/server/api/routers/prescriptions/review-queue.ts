import { localeFromHeaders } from '../../../../lib/locale.ts';
import { reviewQueue as reviewQueueService } from '../../../domains/prescriptions/prescriptions.service.ts';
import { orgProcedure } from '../../trpc.ts';

/** 审方 queue: the hospital's screened prescriptions, flags highlighted. */
export const reviewQueue = orgProcedure('rx:review').query(({ ctx }) => reviewQueueService(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, localeFromHeaders(ctx.headers)));
