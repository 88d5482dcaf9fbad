import { addMemberInput } from '../../../domains/tenders/tenders.schemas.ts';
import { addMember as addMemberService } from '../../../domains/tenders/tenders.service.ts';
import { orgProcedure } from '../../trpc.ts';
import { actorOf } from './actor.ts';

/** The alliance adds a member hospital or pharmacy. */
export const addMember = orgProcedure('tender:manage')
  .input(addMemberInput)
  .mutation(({ ctx, input }) => addMemberService(ctx.db, actorOf(ctx), input));
