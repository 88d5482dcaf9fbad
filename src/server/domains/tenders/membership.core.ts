import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import { regionName } from '../orgs/identity.core.ts';

/**
 * Alliance membership needs the member's consent (pure; ARCHITECTURE.md: state machines as data).
 *
 * The alliance invites a hospital or pharmacy; the invited organisation accepts or declines. Only an
 * `accepted` row is a membership: it alone lets the organisation report demand, see the alliance's
 * tenders as a member, call off its contracts, file complaints as a member and appear by name in the
 * alliance's member list. After a decline the alliance may invite again (a fresh invitation the
 * organisation answers again). Nothing leaves `accepted`: the platform has no removal of members yet.
 */
export const MEMBERSHIP_STATUSES = ['invited', 'accepted', 'declined'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** Who moves a membership: the inviting alliance or the invited organisation. */
export type MembershipActorRole = 'alliance' | 'invitee';

export interface MembershipTransition {
  from: MembershipStatus;
  to: MembershipStatus;
  by: readonly MembershipActorRole[];
}

/** Every allowed move. Anything not listed is INVALID_TRANSITION (never a silent no-op). */
export const MEMBERSHIP_TRANSITIONS: readonly MembershipTransition[] = [
  { from: 'invited', to: 'accepted', by: ['invitee'] },
  { from: 'invited', to: 'declined', by: ['invitee'] },
  { from: 'declined', to: 'invited', by: ['alliance'] },
];

/** The only status that counts as membership anywhere membership counts. */
export const MEMBER_STATUS: MembershipStatus = 'accepted';

/** Invitations waiting for the invited organisation's answer. */
export const PENDING_STATUS: MembershipStatus = 'invited';

export function isMembershipStatus(value: string): value is MembershipStatus {
  return (MEMBERSHIP_STATUSES as readonly string[]).includes(value);
}

export function countsAsMember(status: string): boolean {
  return status === MEMBER_STATUS;
}

export function findMembershipTransition(from: MembershipStatus, to: MembershipStatus): MembershipTransition | undefined {
  return MEMBERSHIP_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/**
 * A move missing from the table is INVALID_TRANSITION (an invitation already answered cannot be
 * answered again); a listed move this party may not make is FORBIDDEN. Errors name `field`.
 */
export function assertMembershipTransition(from: string, to: MembershipStatus, by: MembershipActorRole, field = 'id'): MembershipStatus {
  const current = isMembershipStatus(from) ? from : null;
  const transition = current ? findMembershipTransition(current, to) : undefined;
  if (!current || !transition) {
    const key = current === 'accepted' || current === 'declined' ? 'tenders.invitationAnswered' : 'tenders.membershipTransition';
    throw new AppError('INVALID_TRANSITION', msg(key, { from, to }), { field, from, to });
  }
  if (!transition.by.includes(by)) throw new AppError('FORBIDDEN', msg('tenders.membershipNotYourMove', { to }), { field, from, to });
  return current;
}

/**
 * What an invitation does to the current row (none, or its status): create one; leave a pending
 * invitation as it is (re-inviting is idempotent); invite again after a decline. Inviting an
 * organisation that is already a member is a CONFLICT naming `memberOrgId`: there is nothing to consent to.
 */
export type InviteOutcome = { kind: 'create' } | { kind: 'pending' } | { kind: 'reinvite'; from: MembershipStatus };

export function inviteOutcome(current: string | null): InviteOutcome {
  if (current === null) return { kind: 'create' };
  if (current === PENDING_STATUS) return { kind: 'pending' };
  if (countsAsMember(current)) throw new AppError('CONFLICT', msg('tenders.alreadyMember'), { field: 'memberOrgId' });
  return { kind: 'reinvite', from: assertMembershipTransition(current, PENDING_STATUS, 'alliance', 'memberOrgId') };
}

export interface MembershipRow {
  id: string;
  memberOrgId: string;
  status: string;
  invitedAt: Date;
  answeredAt: Date | null;
  joinedAt: Date | null;
  /** Read only for accepted rows (null otherwise). */
  name: string | null;
  kind: string | null;
  regionCode: string | null;
}

/**
 * A row of the alliance's member list. A member (accepted) shows its name, kind and region; an
 * invitation not (or not yet) accepted shows only what the alliance gave itself (the organisation's
 * id) and the invitation's own facts (status, when invited and answered): the alliance learns nothing
 * about an organisation that has not agreed to join it.
 */
export function memberListEntry(row: MembershipRow) {
  const member = countsAsMember(row.status);
  return {
    id: row.id,
    orgId: row.memberOrgId,
    status: (isMembershipStatus(row.status) ? row.status : PENDING_STATUS) as MembershipStatus,
    invitedAt: row.invitedAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    joinedAt: member ? (row.joinedAt?.toISOString() ?? null) : null,
    name: member ? row.name : null,
    kind: member ? row.kind : null,
    regionCode: member ? row.regionCode : null,
    /** The region's names (浙江省 杭州市 西湖区), for people. */
    region: member && row.regionCode ? regionName(row.regionCode) : null,
  };
}

/** Members first (by name), then pending invitations, then declined ones (newest first). */
export function sortMemberList<T extends { status: string; name: string | null; invitedAt: string; orgId: string }>(rows: readonly T[]): T[] {
  const rank = (s: string) => (s === MEMBER_STATUS ? 0 : s === PENDING_STATUS ? 1 : 2);
  return [...rows].sort((a, b) => rank(a.status) - rank(b.status) || (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN') || b.invitedAt.localeCompare(a.invitedAt) || a.orgId.localeCompare(b.orgId));
}
