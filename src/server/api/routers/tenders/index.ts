import { createTRPCRouter } from '../../trpc.ts';
import { acceptInvitation } from './accept-invitation.ts';
import { addMember } from './add-member.ts';
import { answerComplaint } from './answer-complaint.ts';
import { cancel } from './cancel.ts';
import { chooseWinner } from './choose-winner.ts';
import { completion } from './completion.ts';
import { create } from './create.ts';
import { declineInvitation } from './decline-invitation.ts';
import { demandSummary } from './demand-summary.ts';
import { fileComplaint } from './file-complaint.ts';
import { finalize } from './finalize.ts';
import { get } from './get.ts';
import { list } from './list.ts';
import { members } from './members.ts';
import { myInvitations } from './my-invitations.ts';
import { openDemand } from './open-demand.ts';
import { placeCallOff } from './place-call-off.ts';
import { publicView } from './public-view.ts';
import { publish } from './publish.ts';
import { qualify } from './qualify.ts';
import { register } from './register.ts';
import { reportDemand } from './report-demand.ts';
import { retender } from './retender.ts';
import { submitBid } from './submit-bid.ts';
import { update } from './update.ts';

export const tendersRouter = createTRPCRouter({
  list,
  get,
  publicView,
  create,
  update,
  openDemand,
  publish,
  cancel,
  finalize,
  retender,
  members,
  addMember,
  myInvitations,
  acceptInvitation,
  declineInvitation,
  reportDemand,
  demandSummary,
  register,
  qualify,
  submitBid,
  fileComplaint,
  answerComplaint,
  chooseWinner,
  placeCallOff,
  completion,
});
