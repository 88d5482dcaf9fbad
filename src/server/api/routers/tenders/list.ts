import { listTenders } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** Tenders the caller's organisation may see: its own (alliance), its alliances' (member), published ones (supplier). */
export const list = orgProcedure('org:read').query(({ ctx }) => listTenders(ctx.db, actorOf(ctx)));
