import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allianceMember, auditLog, tenderDemand } from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../domains/audit/audit.service.ts';
import { addMember as addStaff } from '../../../domains/prescriptions/prescriptions.testkit.ts';
import { setTenderClock } from '../../../domains/tenders/tenders.config.ts';
import { enrolMember } from '../../../domains/tenders/tenders.testkit.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';

// Alliance membership needs the member's consent: the alliance invites (tenders.addMember), the
// invited hospital or pharmacy accepts or declines (tenders.acceptInvitation / declineInvitation), and
// only an accepted membership counts. Real sessions and database, the tender clock moved by the test.
let app: TestApp;
const clock = new Date('2032-04-01T00:00:00Z');
const at = (days: number) => new Date(Date.UTC(2032, 3, 1 + days));

let alliance: TestOrg;
let otherAlliance: TestOrg;
let accepting: TestOrg;
let declining: TestOrg;
let pending: TestOrg;
let thirdParty: TestOrg;
let supplier: TestOrg;
let tenderId = '';
let lotId = '';

const lots = [{ herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', qualityTier: 'A', ceilingFenPerKg: 12_000, deliveryRegions: ['330106'] }];
const membership = async (id: string) => (await app.handle.db.select().from(allianceMember).where(eq(allianceMember.id, id)))[0];
const demandOf = async (orgId: string) => app.handle.db.select().from(tenderDemand).where(and(eq(tenderDemand.tenderId, tenderId), eq(tenderDemand.memberOrgId, orgId)));
const report = (org: TestOrg) => org.api.tenders.reportDemand({ tenderId, lots: [{ lotId, grams: 1_000_000 }] });
const invitationIds = new Map<string, string>();

beforeAll(async () => {
  setTenderClock({ now: () => clock });
  app = await createTestApp();
  alliance = await createTestOrg(app, 'alliance', { tag: 'mc-alliance' });
  otherAlliance = await createTestOrg(app, 'alliance', { tag: 'mc-alliance2' });
  accepting = await createTestOrg(app, 'hospital', { tag: 'mc-accepts' });
  declining = await createTestOrg(app, 'pharmacy', { tag: 'mc-declines' });
  pending = await createTestOrg(app, 'hospital', { tag: 'mc-pending' });
  thirdParty = await createTestOrg(app, 'hospital', { tag: 'mc-third' });
  supplier = await createTestOrg(app, 'supplier', { tag: 'mc-sup' });
  const created = await alliance.api.tenders.create({ title: '联盟成员同意测试', method: 'vbp_price', demandDeadline: at(2), bidDeadline: at(5), openingAt: at(5.5), publicityEndsAt: at(8), lots });
  tenderId = created.id;
  lotId = (await alliance.api.tenders.get({ id: tenderId })).lots[0]!.id;
  await alliance.api.tenders.openDemand({ id: tenderId });
}, 120_000);

afterAll(async () => {
  setTenderClock(null);
  await app?.close();
});

describe('the alliance invites; nothing counts before the invitee accepts', () => {
  it('creates invitations (status invited), idempotent for a pending invitee', async () => {
    for (const org of [accepting, declining, pending]) {
      const invitation = await alliance.api.tenders.addMember({ memberOrgId: org.id });
      expect(invitation).toMatchObject({ memberOrgId: org.id, status: 'invited', created: true });
      expect(invitation.id).toMatch(/^alm_/);
      invitationIds.set(org.id, invitation.id);
    }
    const again = await alliance.api.tenders.addMember({ memberOrgId: pending.id });
    expect(again).toMatchObject({ id: invitationIds.get(pending.id), status: 'invited', created: false });
    const rows = await app.handle.db.select().from(allianceMember).where(eq(allianceMember.memberOrgId, pending.id));
    expect(rows).toHaveLength(1);
  });

  it('refuses to invite what cannot be a member, naming the field, and writes nothing', async () => {
    const before = (await app.handle.db.select().from(allianceMember)).length;
    const ofSupplier = await errorOf(() => alliance.api.tenders.addMember({ memberOrgId: supplier.id }));
    expect(ofSupplier.data).toMatchObject({ code: 'BAD_REQUEST', field: 'memberOrgId' });
    const ofAlliance = await errorOf(() => alliance.api.tenders.addMember({ memberOrgId: otherAlliance.id }));
    expect(ofAlliance.data).toMatchObject({ code: 'BAD_REQUEST', field: 'memberOrgId' });
    const unknown = await errorOf(() => alliance.api.tenders.addMember({ memberOrgId: 'org_does_not_exist' }));
    expect(unknown.data).toMatchObject({ code: 'NOT_FOUND', field: 'memberOrgId' });
    const empty = await errorOf(() => alliance.api.tenders.addMember({ memberOrgId: '' }));
    expect(empty.data).toMatchObject({ code: 'BAD_REQUEST', field: 'memberOrgId' });
    // A hospital's owner holds every org permission, but only an alliance invites members.
    const notAlliance = await errorOf(() => accepting.api.tenders.addMember({ memberOrgId: thirdParty.id }));
    expect(notAlliance.data.code).toBe('FORBIDDEN');
    expect((await app.handle.db.select().from(allianceMember)).length).toBe(before);
  });

  it('shows the alliance a pending invitation by the id it gave and nothing more', async () => {
    const list = await alliance.api.tenders.members();
    expect(list).toHaveLength(3);
    for (const row of list) {
      expect(row).toEqual({ id: invitationIds.get(row.orgId), orgId: row.orgId, status: 'invited', invitedAt: expect.any(String), answeredAt: null, joinedAt: null, name: null, kind: null, regionCode: null, region: null });
    }
  });

  it('shows the invited organisation who invites it and when', async () => {
    const mine = await pending.api.tenders.myInvitations();
    expect(mine).toEqual([{ id: invitationIds.get(pending.id), allianceOrgId: alliance.id, allianceName: expect.stringContaining('测试alliance'), allianceRegionCode: '330106', invitedAt: expect.any(String) }]);
    expect(await thirdParty.api.tenders.myInvitations()).toEqual([]);
    expect(await alliance.api.tenders.myInvitations()).toEqual([]);
  });

  it('keeps a pending invitee out: no tender in its list, no tender page, no demand', async () => {
    expect((await pending.api.tenders.list()).tenders).toEqual([]);
    expect((await errorOf(() => pending.api.tenders.get({ id: tenderId }))).data.code).toBe('NOT_FOUND');
    const demand = await errorOf(() => report(pending));
    expect(demand.data).toMatchObject({ code: 'FORBIDDEN', field: 'tenderId' });
    expect(await demandOf(pending.id)).toEqual([]);
  });
});

describe('the invitee answers', () => {
  it('accepts: from then on it counts as a member (list, tender page, demand, member list)', async () => {
    const answer = await accepting.api.tenders.acceptInvitation({ id: invitationIds.get(accepting.id)! });
    expect(answer).toMatchObject({ id: invitationIds.get(accepting.id), allianceOrgId: alliance.id, status: 'accepted' });
    expect(await accepting.api.tenders.myInvitations()).toEqual([]);
    expect((await accepting.api.tenders.list()).tenders.map((t) => t.id)).toEqual([tenderId]);
    expect((await accepting.api.tenders.get({ id: tenderId })).role).toBe('member');
    await report(accepting);
    expect(await demandOf(accepting.id)).toHaveLength(1);
    const row = (await alliance.api.tenders.members()).find((m) => m.orgId === accepting.id)!;
    expect(row).toMatchObject({ status: 'accepted', name: expect.stringContaining('mc-accepts'), kind: 'hospital', regionCode: '330106', joinedAt: expect.any(String), answeredAt: expect.any(String) });
    const stored = await membership(invitationIds.get(accepting.id)!);
    expect(stored).toMatchObject({ status: 'accepted', answeredByUserId: accepting.ownerUserId });
  });

  it('refuses a second answer to an answered invitation (double accept, decline after accept)', async () => {
    const id = invitationIds.get(accepting.id)!;
    const twice = await errorOf(() => accepting.api.tenders.acceptInvitation({ id }));
    expect(twice.data).toMatchObject({ code: 'CONFLICT', field: 'id' });
    const declineNow = await errorOf(() => accepting.api.tenders.declineInvitation({ id }));
    expect(declineNow.data).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect((await membership(id))?.status).toBe('accepted');
  });

  it('makes inviting an existing member a CONFLICT naming memberOrgId', async () => {
    const e = await errorOf(() => alliance.api.tenders.addMember({ memberOrgId: accepting.id }));
    expect(e.data).toMatchObject({ code: 'CONFLICT', field: 'memberOrgId' });
    expect((await membership(invitationIds.get(accepting.id)!))?.status).toBe('accepted');
  });

  it('declines: it never counts, and the alliance sees only that the invitation was declined', async () => {
    await declining.api.tenders.declineInvitation({ id: invitationIds.get(declining.id)! });
    expect(await declining.api.tenders.myInvitations()).toEqual([]);
    expect((await declining.api.tenders.list()).tenders).toEqual([]);
    expect((await errorOf(() => report(declining))).data).toMatchObject({ code: 'FORBIDDEN', field: 'tenderId' });
    const acceptLater = await errorOf(() => declining.api.tenders.acceptInvitation({ id: invitationIds.get(declining.id)! }));
    expect(acceptLater.data).toMatchObject({ code: 'CONFLICT', field: 'id' });
    const row = (await alliance.api.tenders.members()).find((m) => m.orgId === declining.id)!;
    expect(row).toMatchObject({ status: 'declined', answeredAt: expect.any(String), joinedAt: null, name: null, kind: null, regionCode: null });
  });

  it('lets the alliance invite again after a decline: pending again, counting only once accepted', async () => {
    const renewed = await alliance.api.tenders.addMember({ memberOrgId: declining.id });
    expect(renewed).toMatchObject({ id: invitationIds.get(declining.id), status: 'invited', created: true });
    expect((await declining.api.tenders.myInvitations()).map((i) => i.id)).toEqual([renewed.id]);
    expect((await errorOf(() => report(declining))).data.code).toBe('FORBIDDEN');
    await declining.api.tenders.acceptInvitation({ id: renewed.id });
    await report(declining);
    expect(await demandOf(declining.id)).toHaveLength(1);
  });
});

describe('only the invited organisation answers its invitation', () => {
  it("refuses a third organisation, the inviting alliance and another alliance, naming the field 'id'", async () => {
    const id = invitationIds.get(pending.id)!;
    for (const party of [thirdParty, alliance, otherAlliance, supplier, accepting]) {
      for (const answer of [party.api.tenders.acceptInvitation, party.api.tenders.declineInvitation]) {
        const e = await errorOf(() => answer({ id }));
        expect(e.data).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
      }
    }
    expect((await membership(id))?.status).toBe('invited');
  });

  it('refuses unknown and malformed ids, naming the field', async () => {
    const unknown = await errorOf(() => pending.api.tenders.acceptInvitation({ id: 'alm_00000000000000000000000000' }));
    expect(unknown.data).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    // Another organisation's id is not an invitation either.
    const orgId = await errorOf(() => pending.api.tenders.declineInvitation({ id: alliance.id }));
    expect(orgId.data).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const empty = await errorOf(() => pending.api.tenders.acceptInvitation({ id: '' }));
    expect(empty.data).toMatchObject({ code: 'BAD_REQUEST', field: 'id' });
  });

  it('needs a role that manages procurement: a physician cannot see or answer invitations, a buyer can', async () => {
    const physician = await addStaff(app, pending.id, 'physician');
    expect((await errorOf(() => physician.api.tenders.myInvitations())).data.code).toBe('FORBIDDEN');
    expect((await errorOf(() => physician.api.tenders.acceptInvitation({ id: invitationIds.get(pending.id)! }))).data.code).toBe('FORBIDDEN');
    expect((await membership(invitationIds.get(pending.id)!))?.status).toBe('invited');
    const buyer = await addStaff(app, pending.id, 'buyer');
    expect((await buyer.api.tenders.myInvitations()).map((i) => i.id)).toEqual([invitationIds.get(pending.id)]);
  });

  it('enrols through the shared test helper (invite, then accept) in another alliance too', async () => {
    const answer = await enrolMember(otherAlliance, thirdParty);
    expect(answer.status).toBe('accepted');
    expect((await otherAlliance.api.tenders.members()).map((m) => [m.orgId, m.status])).toEqual([[thirdParty.id, 'accepted']]);
    // Membership of one alliance says nothing about another.
    expect((await errorOf(() => report(thirdParty))).data.code).toBe('FORBIDDEN');
  });
});

describe('audit', () => {
  it('writes one entry per membership move, on the alliance, and keeps the chain', async () => {
    const entries = await app.handle.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'alliance_member'), eq(auditLog.orgId, alliance.id)));
    const moves = (orgId: string) =>
      entries
        .filter((e) => (e.data as { memberOrgId?: string }).memberOrgId === orgId)
        .sort((a, b) => a.seq - b.seq)
        .map((e) => [e.action, (e.data as { from: string | null }).from, (e.data as { to: string }).to, e.actorOrgId]);
    expect(moves(accepting.id)).toEqual([
      ['alliance.member_invited', null, 'invited', alliance.id],
      ['alliance.member_accepted', 'invited', 'accepted', accepting.id],
    ]);
    expect(moves(declining.id)).toEqual([
      ['alliance.member_invited', null, 'invited', alliance.id],
      ['alliance.member_declined', 'invited', 'declined', declining.id],
      ['alliance.member_invited', 'declined', 'invited', alliance.id],
      ['alliance.member_accepted', 'invited', 'accepted', declining.id],
    ]);
    // The repeated invitation of a pending invitee and every refused call wrote nothing.
    expect(moves(pending.id)).toEqual([['alliance.member_invited', null, 'invited', alliance.id]]);
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });
});
