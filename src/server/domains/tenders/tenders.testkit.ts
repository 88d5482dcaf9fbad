import type { TestApp } from '../../testing/test-app.ts';

type Caller = Awaited<ReturnType<TestApp['caller']>>;

/**
 * Makes `member` a member of `alliance` the way the platform does: the alliance invites it
 * (`tenders.addMember`) and the invited organisation (here its owner or API key) accepts the
 * invitation. Answers the accepted invitation.
 */
export async function enrolMember(alliance: { api: Caller }, member: { id: string; api: Caller }) {
  const invitation = await alliance.api.tenders.addMember({ memberOrgId: member.id });
  return member.api.tenders.acceptInvitation({ id: invitation.id });
}
