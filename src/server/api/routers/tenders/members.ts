import { listMembers } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The alliance's members (name, kind, region) and its invitations (only the invited id, status and times). */
export const members = orgProcedure('tender:manage').query(({ ctx }) => listMembers(ctx.db, actorOf(ctx)));
