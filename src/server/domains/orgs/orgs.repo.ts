import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { apikey, invitation, licence, member, orgProfile, organization, user } from '../../db/schema/index.ts';

/** Organisation queries. Everything that reads one organisation's rows takes its id explicitly. */
export async function findOrgByUscc(db: DbOrTx, uscc: string) {
  const [row] = await db.select({ orgId: orgProfile.orgId }).from(orgProfile).where(eq(orgProfile.uscc, uscc)).limit(1);
  return row;
}

export async function getOrgProfile(db: DbOrTx, orgId: string) {
  const [row] = await db
    .select({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      createdAt: organization.createdAt,
      kind: orgProfile.kind,
      uscc: orgProfile.uscc,
      regionCode: orgProfile.regionCode,
      address: orgProfile.address,
      lat: orgProfile.lat,
      lng: orgProfile.lng,
      kybStatus: orgProfile.kybStatus,
      kybNote: orgProfile.kybNote,
      kybReviewedAt: orgProfile.kybReviewedAt,
    })
    .from(organization)
    .innerJoin(orgProfile, eq(orgProfile.orgId, organization.id))
    .where(eq(organization.id, orgId))
    .limit(1);
  return row;
}

export async function listMembershipsOfUser(db: DbOrTx, userId: string) {
  return db
    .select({ orgId: organization.id, name: organization.name, role: member.role, kind: orgProfile.kind, kybStatus: orgProfile.kybStatus })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .innerJoin(orgProfile, eq(orgProfile.orgId, organization.id))
    .where(eq(member.userId, userId))
    .orderBy(asc(organization.name));
}

export async function findMembership(db: DbOrTx, orgId: string, userId: string) {
  const [row] = await db
    .select()
    .from(member)
    .where(and(eq(member.organizationId, orgId), eq(member.userId, userId)))
    .limit(1);
  return row;
}

export async function listMembers(db: DbOrTx, orgId: string) {
  return db
    .select({ id: member.id, userId: user.id, name: user.name, email: user.email, role: member.role, joinedAt: member.createdAt })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, orgId))
    .orderBy(asc(member.createdAt));
}

export async function listInvitations(db: DbOrTx, orgId: string) {
  return db
    .select({ id: invitation.id, email: invitation.email, role: invitation.role, status: invitation.status, expiresAt: invitation.expiresAt, createdAt: invitation.createdAt })
    .from(invitation)
    .where(eq(invitation.organizationId, orgId))
    .orderBy(desc(invitation.createdAt));
}

export async function getInvitation(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      orgId: organization.id,
      orgName: organization.name,
      kind: orgProfile.kind,
    })
    .from(invitation)
    .innerJoin(organization, eq(organization.id, invitation.organizationId))
    .innerJoin(orgProfile, eq(orgProfile.orgId, organization.id))
    .where(eq(invitation.id, id))
    .limit(1);
  return row;
}

export async function listLicences(db: DbOrTx, orgId: string) {
  return db.select().from(licence).where(eq(licence.orgId, orgId)).orderBy(asc(licence.type), desc(licence.expiresOn));
}

export async function listOrgsByKyb(db: DbOrTx, status: string) {
  return db
    .select({
      id: organization.id,
      name: organization.name,
      kind: orgProfile.kind,
      uscc: orgProfile.uscc,
      regionCode: orgProfile.regionCode,
      address: orgProfile.address,
      kybStatus: orgProfile.kybStatus,
      createdAt: organization.createdAt,
    })
    .from(orgProfile)
    .innerJoin(organization, eq(organization.id, orgProfile.orgId))
    .where(eq(orgProfile.kybStatus, status))
    .orderBy(asc(organization.createdAt));
}

export async function listApiKeys(db: DbOrTx, orgId: string) {
  return db
    .select({ id: apikey.id, name: apikey.name, start: apikey.start, enabled: apikey.enabled, createdAt: apikey.createdAt, lastRequest: apikey.lastRequest })
    .from(apikey)
    .where(eq(apikey.referenceId, orgId))
    .orderBy(desc(apikey.createdAt));
}

export async function findApiKey(db: DbOrTx, orgId: string, keyId: string) {
  const [row] = await db
    .select({ id: apikey.id })
    .from(apikey)
    .where(and(eq(apikey.id, keyId), eq(apikey.referenceId, orgId)))
    .limit(1);
  return row;
}
