import { createTRPCRouter } from '../../trpc.ts';
import { acceptInvitation } from './accept-invitation.ts';
import { addLicence } from './add-licence.ts';
import { apiKeys, createApiKey, revokeApiKey } from './api-keys.ts';
import { byId } from './by-id.ts';
import { create } from './create.ts';
import { current } from './current.ts';
import { invitation } from './invitation.ts';
import { invite } from './invite.ts';
import { members } from './members.ts';
import { mine } from './mine.ts';
import { setActive } from './set-active.ts';

export const orgsRouter = createTRPCRouter({
  create,
  byId,
  mine,
  setActive,
  current,
  addLicence,
  members,
  invite,
  invitation,
  acceptInvitation,
  apiKeys,
  createApiKey,
  revokeApiKey,
});
