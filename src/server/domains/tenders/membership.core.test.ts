import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.ts';
import {
  assertMembershipTransition,
  countsAsMember,
  findMembershipTransition,
  inviteOutcome,
  MEMBERSHIP_STATUSES,
  MEMBERSHIP_TRANSITIONS,
  memberListEntry,
  type MembershipActorRole,
  type MembershipStatus,
  sortMemberList,
} from './membership.core.ts';

const ROLES: MembershipActorRole[] = ['alliance', 'invitee'];

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? { code: e.code, field: e.field } : { code: 'other', field: undefined };
  }
  return null;
};

describe('membership transition table', () => {
  it('allows exactly the listed moves, each only to the party it names; everything else is an error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MEMBERSHIP_STATUSES), fc.constantFrom(...MEMBERSHIP_STATUSES), fc.constantFrom(...ROLES), (from, to, by) => {
        const t = findMembershipTransition(from, to);
        const outcome = failure(() => assertMembershipTransition(from, to, by));
        if (!t) expect(outcome).toEqual({ code: 'INVALID_TRANSITION', field: 'id' });
        else if (!t.by.includes(by)) expect(outcome).toEqual({ code: 'FORBIDDEN', field: 'id' });
        else expect(outcome).toBeNull();
      }),
    );
  });

  it('lets only the invitee answer and only the alliance invite', () => {
    for (const t of MEMBERSHIP_TRANSITIONS) {
      if (t.to === 'accepted' || t.to === 'declined') expect(t.by).toEqual(['invitee']);
      if (t.to === 'invited') expect(t.by).toEqual(['alliance']);
    }
  });

  it('reaches accepted only from invited, by the invitee: no path makes a member without its consent', () => {
    const intoAccepted = MEMBERSHIP_TRANSITIONS.filter((t) => t.to === 'accepted');
    expect(intoAccepted).toEqual([{ from: 'invited', to: 'accepted', by: ['invitee'] }]);
    // Any sequence of moves the alliance alone may make never ends in a counting status.
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...MEMBERSHIP_STATUSES), { maxLength: 12 }), (targets) => {
        let status: MembershipStatus = 'invited';
        for (const to of targets) {
          if (failure(() => assertMembershipTransition(status, to, 'alliance')) === null) status = to;
        }
        expect(countsAsMember(status)).toBe(false);
      }),
    );
  });

  it('answers an invitation once: accepted and declined are not answered again', () => {
    for (const from of ['accepted', 'declined'] as const) {
      for (const to of ['accepted', 'declined'] as const) expect(failure(() => assertMembershipTransition(from, to, 'invitee'))?.code).toBe('INVALID_TRANSITION');
    }
    expect(failure(() => assertMembershipTransition('bogus', 'accepted', 'invitee'))?.code).toBe('INVALID_TRANSITION');
  });

  it('only accepted counts as membership', () => {
    expect(MEMBERSHIP_STATUSES.filter(countsAsMember)).toEqual(['accepted']);
  });
});

describe('inviting', () => {
  it('creates, leaves a pending invitation as it is, renews a declined one, refuses a member', () => {
    expect(inviteOutcome(null)).toEqual({ kind: 'create' });
    expect(inviteOutcome('invited')).toEqual({ kind: 'pending' });
    expect(inviteOutcome('declined')).toEqual({ kind: 'reinvite', from: 'declined' });
    expect(failure(() => inviteOutcome('accepted'))).toEqual({ code: 'CONFLICT', field: 'memberOrgId' });
  });
});

describe('the alliance member list', () => {
  const row = (status: string, extra: Partial<Parameters<typeof memberListEntry>[0]> = {}) => ({
    id: `alm_${status}`,
    memberOrgId: `org_${status}`,
    status,
    invitedAt: new Date('2032-01-01T00:00:00Z'),
    answeredAt: status === 'invited' ? null : new Date('2032-01-02T00:00:00Z'),
    joinedAt: status === 'accepted' ? new Date('2032-01-02T00:00:00Z') : null,
    name: '浙江省中医院',
    kind: 'hospital',
    regionCode: '330102',
    ...extra,
  });

  it('shows a member by name, kind and region; an invitation not accepted only by its id, status and times', () => {
    expect(memberListEntry(row('accepted'))).toMatchObject({ orgId: 'org_accepted', name: '浙江省中医院', kind: 'hospital', regionCode: '330102', region: '浙江省 杭州市 上城区', joinedAt: '2032-01-02T00:00:00.000Z' });
    for (const status of ['invited', 'declined']) {
      // Even if a caller read the organisation's facts, a row not accepted drops them.
      expect(memberListEntry(row(status, { joinedAt: new Date() }))).toEqual({
        id: `alm_${status}`,
        orgId: `org_${status}`,
        status,
        invitedAt: '2032-01-01T00:00:00.000Z',
        answeredAt: status === 'invited' ? null : '2032-01-02T00:00:00.000Z',
        joinedAt: null,
        name: null,
        kind: null,
        regionCode: null,
        region: null,
      });
    }
  });

  it('lists members first, then pending, then declined invitations', () => {
    const entries = [row('declined'), row('invited'), row('accepted', { name: '杭州市中医院' }), row('accepted', { memberOrgId: 'org_b', name: '浙江省中医院' })].map(memberListEntry);
    expect(sortMemberList(entries).map((e) => e.status)).toEqual(['accepted', 'accepted', 'invited', 'declined']);
  });
});
