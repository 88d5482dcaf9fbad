import { listMembers } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The alliance's member hospitals and pharmacies. */
export const members = orgProcedure('tender:manage').query(({ ctx }) => listMembers(ctx.db, actorOf(ctx)));
