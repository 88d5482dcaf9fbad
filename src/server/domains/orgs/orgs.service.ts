import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import { ROLES_BY_KIND, type OrgKind, type Role } from '../../../lib/permissions.ts';
import type { Db } from '../../db/client.ts';
import { apikey, invitation, licence, member, orgProfile, organization } from '../../db/schema/index.ts';
import { appUrl } from '../../env.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { sendInvitationEmail } from './orgs.jobs.ts';
import { chinaToday, LICENCE_LABELS, tradingBlock } from './licences.core.ts';
import type { AddLicenceInput, CreateOrgInput } from './orgs.schemas.ts';
import * as repo from './orgs.repo.ts';

export interface Actor {
  userId: string | null;
  orgId: string | null;
}

/** Creates an organisation with the caller as owner; it starts in KYB review (pending). */
export async function createOrganisation(db: Db, actor: { userId: string }, input: CreateOrgInput) {
  return db.transaction(async (tx) => {
    if (await repo.findOrgByUscc(tx, input.uscc)) throw new AppError('CONFLICT', msg('org.usccTaken'), { field: 'uscc' });
    const id = newId('organization');
    await tx.insert(organization).values({ id, name: input.name, slug: id, createdAt: new Date() });
    await tx.insert(member).values({ id: newId('member'), organizationId: id, userId: actor.userId, role: 'owner', createdAt: new Date() });
    await tx.insert(orgProfile).values({
      orgId: id,
      kind: input.kind,
      uscc: input.uscc,
      regionCode: input.regionCode,
      address: input.address,
      lat: input.lat,
      lng: input.lng,
      kybStatus: 'pending',
    });
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: id,
      orgId: id,
      action: 'org.created',
      entityType: 'organization',
      entityId: id,
      data: { name: input.name, kind: input.kind, uscc: input.uscc, regionCode: input.regionCode },
    });
    return { id };
  });
}

export async function requireMembership(db: Db, orgId: string, userId: string) {
  const membership = await repo.findMembership(db, orgId, userId);
  if (!membership) throw new AppError('NOT_FOUND', msg('org.notFound'), { field: 'orgId' });
  return membership;
}

export async function addLicence(db: Db, actor: Actor & { orgId: string }, input: AddLicenceInput) {
  return db.transaction(async (tx) => {
    const id = newId('licence');
    if (input.documentId) {
      // A document must be one of this organisation's uploads.
      const uploads = await tx.query.upload.findFirst({ where: (u, { and: a, eq: e }) => a(e(u.id, input.documentId!), e(u.orgId, actor.orgId)) });
      if (!uploads) throw new AppError('NOT_FOUND', msg('org.notFound'), { field: 'documentId' });
    }
    await tx.insert(licence).values({ id, orgId: actor.orgId, ...input, documentId: input.documentId ?? null });
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: actor.orgId,
      orgId: actor.orgId,
      action: 'licence.added',
      entityType: 'licence',
      entityId: id,
      data: { type: input.type, number: input.number, expiresOn: input.expiresOn },
    });
    return { id };
  }).catch((error: unknown) => {
    if (error instanceof Error && /licence_type_number_uq|duplicate key/.test(`${error.message} ${String((error as { cause?: unknown }).cause)}`)) {
      throw new AppError('CONFLICT', msg('org.usccTaken'), { field: 'number' });
    }
    throw error;
  });
}

export async function tradingStatus(db: Db, orgId: string, now = new Date()) {
  const profile = await repo.getOrgProfile(db, orgId);
  if (!profile) throw new AppError('NOT_FOUND', msg('org.notFound'));
  const licences = await repo.listLicences(db, orgId);
  return tradingBlock(profile.kind as OrgKind, profile.kybStatus, licences, chinaToday(now));
}

/** Throws a clear, translated error unless the organisation may list, bid, sell or dispense today. */
export async function assertMayTrade(db: Db, orgId: string, now = new Date()): Promise<void> {
  const block = await tradingStatus(db, orgId, now);
  if (!block) return;
  if (!('licence' in block)) throw new AppError('ORG_NOT_APPROVED', msg('org.notApproved'));
  throw new AppError('LICENCE_REQUIRED', msg('org.licenceMissing', { licence: LICENCE_LABELS[block.licence].zh }), {
    licence: block.licence,
    reason: block.reason,
  });
}

export async function decideKyb(db: Db, actor: { userId: string; orgId: string }, input: { orgId: string; decision: 'approved' | 'rejected'; note?: string }) {
  return db.transaction(async (tx) => {
    const [profile] = await tx.select().from(orgProfile).where(eq(orgProfile.orgId, input.orgId)).for('no key update');
    if (!profile) throw new AppError('NOT_FOUND', msg('org.notFound'), { field: 'orgId' });
    if (profile.kybStatus !== 'pending') throw new AppError('INVALID_TRANSITION', msg('org.kybAlreadyDecided', { status: profile.kybStatus }), { field: 'orgId' });
    await tx
      .update(orgProfile)
      .set({ kybStatus: input.decision, kybNote: input.note ?? null, kybReviewedBy: actor.userId, kybReviewedAt: new Date() })
      .where(eq(orgProfile.orgId, input.orgId));
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: actor.orgId,
      orgId: input.orgId,
      action: `kyb.${input.decision}`,
      entityType: 'organization',
      entityId: input.orgId,
      data: { from: 'pending', to: input.decision, note: input.note ?? null },
    });
  });
}

const INVITATION_DAYS = 7;

export async function inviteMember(db: Db, actor: { userId: string; orgId: string; kind: OrgKind }, input: { email: string; role: Role }) {
  const inviter = await db.query.user.findFirst({ where: (u, { eq: e }) => e(u.id, actor.userId) });
  const org = await repo.getOrgProfile(db, actor.orgId);
  if (!ROLES_BY_KIND[actor.kind].includes(input.role)) throw new AppError('VALIDATION', msg('org.roleNotForKind', { role: input.role }), { field: 'role' });
  const email = input.email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const existing = await tx.query.user.findFirst({ where: (u, { eq: e }) => e(u.email, email) });
    if (existing && (await repo.findMembership(tx, actor.orgId, existing.id))) throw new AppError('CONFLICT', msg('org.alreadyMember'), { field: 'email' });
    const id = newId('invitation');
    await tx.insert(invitation).values({
      id,
      organizationId: actor.orgId,
      email,
      role: input.role,
      status: 'pending',
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      inviterId: actor.userId,
    });
    await appendAudit(tx, { actorUserId: actor.userId, actorOrgId: actor.orgId, orgId: actor.orgId, action: 'member.invited', entityType: 'invitation', entityId: id, data: { email, role: input.role } });
    const url = `${appUrl()}/zh/invitations/${id}`;
    await enqueue(tx, sendInvitationEmail, { invitationId: id, email, orgName: org?.name ?? '', role: input.role, inviterName: inviter?.name ?? '', url }, { dedupeKey: `orgs.invitation-email:${id}` });
    return { id, url };
  });
}

export async function acceptInvitation(db: Db, actor: { userId: string; email: string }, invitationId: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const [inv] = await tx.select().from(invitation).where(eq(invitation.id, invitationId)).for('no key update');
    if (!inv || inv.status !== 'pending' || inv.expiresAt < now) throw new AppError('NOT_FOUND', msg('invitation.notFound'), { field: 'invitationId' });
    if (inv.email.toLowerCase() !== actor.email.toLowerCase()) throw new AppError('FORBIDDEN', msg('invitation.wrongEmail', { email: inv.email }));
    if (!(await repo.findMembership(tx, inv.organizationId, actor.userId))) {
      await tx.insert(member).values({ id: newId('member'), organizationId: inv.organizationId, userId: actor.userId, role: inv.role ?? 'buyer', createdAt: now });
    }
    await tx.update(invitation).set({ status: 'accepted' }).where(eq(invitation.id, inv.id));
    await appendAudit(tx, {
      actorUserId: actor.userId,
      orgId: inv.organizationId,
      actorOrgId: inv.organizationId,
      action: 'member.joined',
      entityType: 'invitation',
      entityId: inv.id,
      data: { role: inv.role },
    });
    return { orgId: inv.organizationId };
  });
}

export async function revokeApiKey(db: Db, actor: { userId: string | null; orgId: string }, keyId: string) {
  return db.transaction(async (tx) => {
    if (!(await repo.findApiKey(tx, actor.orgId, keyId))) throw new AppError('NOT_FOUND', msg('apikey.notFound'), { field: 'id' });
    await tx.delete(apikey).where(and(eq(apikey.id, keyId), eq(apikey.referenceId, actor.orgId)));
    await appendAudit(tx, { actorUserId: actor.userId, actorOrgId: actor.orgId, orgId: actor.orgId, action: 'apikey.revoked', entityType: 'apikey', entityId: keyId });
  });
}
