import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  allianceMember,
  frameworkContract,
  organization,
  orgProfile,
  tender,
  tenderAward,
  tenderBid,
  tenderComplaint,
  tenderDemand,
  tenderLot,
  tenderSupplier,
  upload,
} from '../../db/schema/index.ts';
import { MEMBER_STATUS, PENDING_STATUS } from './membership.core.ts';

/**
 * Drizzle queries of the tenders domain. Reads of organisation data take the caller's org: the
 * alliance (`allianceOrgId`), a member or a supplier; bid rows are read only by their supplier or by
 * the opening. No query here selects a bid's price for anyone before the opening has written it.
 */
export type TenderRow = typeof tender.$inferSelect;
export type TenderLotRow = typeof tenderLot.$inferSelect;
export type TenderBidRow = typeof tenderBid.$inferSelect;
export type RegistrationRow = typeof tenderSupplier.$inferSelect;

export async function findTender(db: DbOrTx, id: string) {
  const [row] = await db.select().from(tender).where(eq(tender.id, id));
  return row;
}

/** The tender row locked for the rest of the transaction (state moves, the opening). */
export async function lockTender(db: DbOrTx, id: string) {
  const [row] = await db.select().from(tender).where(eq(tender.id, id)).for('no key update');
  return row;
}

export async function findAllianceTender(db: DbOrTx, allianceOrgId: string, id: string) {
  const [row] = await db
    .select()
    .from(tender)
    .where(and(eq(tender.id, id), eq(tender.allianceOrgId, allianceOrgId)));
  return row;
}

export async function lockAllianceTender(db: DbOrTx, allianceOrgId: string, id: string) {
  const [row] = await db
    .select()
    .from(tender)
    .where(and(eq(tender.id, id), eq(tender.allianceOrgId, allianceOrgId)))
    .for('no key update');
  return row;
}

export async function lotsOf(db: DbOrTx, tenderId: string) {
  return db.select().from(tenderLot).where(eq(tenderLot.tenderId, tenderId)).orderBy(asc(tenderLot.lotNo));
}

export async function demandsOf(db: DbOrTx, tenderId: string) {
  return db
    .select({ lotId: tenderDemand.lotId, memberOrgId: tenderDemand.memberOrgId, memberName: organization.name, regionCode: tenderDemand.regionCode, grams: tenderDemand.grams, updatedAt: tenderDemand.updatedAt })
    .from(tenderDemand)
    .innerJoin(organization, eq(organization.id, tenderDemand.memberOrgId))
    .where(eq(tenderDemand.tenderId, tenderId))
    .orderBy(asc(tenderDemand.lotId), asc(organization.name));
}

export async function demandsOfMember(db: DbOrTx, tenderId: string, memberOrgId: string) {
  return db
    .select({ lotId: tenderDemand.lotId, grams: tenderDemand.grams, updatedAt: tenderDemand.updatedAt })
    .from(tenderDemand)
    .where(and(eq(tenderDemand.tenderId, tenderId), eq(tenderDemand.memberOrgId, memberOrgId)));
}

/**
 * Whether `memberOrgId` is a member of the alliance: an accepted membership only. A pending or
 * declined invitation counts nowhere (demand, call-offs, tender visibility, complaints, completion).
 */
export async function isAllianceMember(db: DbOrTx, allianceOrgId: string, memberOrgId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: allianceMember.id })
    .from(allianceMember)
    .where(and(eq(allianceMember.allianceOrgId, allianceOrgId), eq(allianceMember.memberOrgId, memberOrgId), eq(allianceMember.status, MEMBER_STATUS)));
  return Boolean(row);
}

/**
 * The alliance's membership rows (members and invitations). The invited organisation's name, kind and
 * region are joined only for accepted rows: an invitation not accepted reads nothing about it.
 */
export async function membersOf(db: DbOrTx, allianceOrgId: string) {
  const accepted = eq(allianceMember.status, MEMBER_STATUS);
  return db
    .select({
      id: allianceMember.id,
      memberOrgId: allianceMember.memberOrgId,
      status: allianceMember.status,
      invitedAt: allianceMember.invitedAt,
      answeredAt: allianceMember.answeredAt,
      joinedAt: allianceMember.joinedAt,
      name: organization.name,
      kind: orgProfile.kind,
      regionCode: orgProfile.regionCode,
    })
    .from(allianceMember)
    .leftJoin(organization, and(accepted, eq(organization.id, allianceMember.memberOrgId)))
    .leftJoin(orgProfile, and(accepted, eq(orgProfile.orgId, allianceMember.memberOrgId)))
    .where(eq(allianceMember.allianceOrgId, allianceOrgId));
}

/** The alliances `memberOrgId` has joined (accepted memberships only). */
export async function alliancesOfMember(db: DbOrTx, memberOrgId: string): Promise<string[]> {
  const rows = await db
    .select({ id: allianceMember.allianceOrgId })
    .from(allianceMember)
    .where(and(eq(allianceMember.memberOrgId, memberOrgId), eq(allianceMember.status, MEMBER_STATUS)));
  return rows.map((r) => r.id);
}

export type MembershipRowOf = typeof allianceMember.$inferSelect;

/** The alliance's row for `memberOrgId` (any status), locked for the rest of the transaction. */
export async function lockMembership(db: DbOrTx, allianceOrgId: string, memberOrgId: string): Promise<MembershipRowOf | undefined> {
  const [row] = await db
    .select()
    .from(allianceMember)
    .where(and(eq(allianceMember.allianceOrgId, allianceOrgId), eq(allianceMember.memberOrgId, memberOrgId)))
    .for('no key update');
  return row;
}

/** An invitation addressed to `memberOrgId` (the caller's organisation), locked; another's id finds nothing. */
export async function lockInvitationOf(db: DbOrTx, memberOrgId: string, id: string): Promise<MembershipRowOf | undefined> {
  const [row] = await db
    .select()
    .from(allianceMember)
    .where(and(eq(allianceMember.id, id), eq(allianceMember.memberOrgId, memberOrgId)))
    .for('no key update');
  return row;
}

/** Invitations waiting for `memberOrgId`'s answer, with the inviting alliance's name, newest first. */
export async function pendingInvitationsOf(db: DbOrTx, memberOrgId: string) {
  return db
    .select({ id: allianceMember.id, allianceOrgId: allianceMember.allianceOrgId, allianceName: organization.name, allianceRegionCode: orgProfile.regionCode, invitedAt: allianceMember.invitedAt })
    .from(allianceMember)
    .innerJoin(organization, eq(organization.id, allianceMember.allianceOrgId))
    .leftJoin(orgProfile, eq(orgProfile.orgId, allianceMember.allianceOrgId))
    .where(and(eq(allianceMember.memberOrgId, memberOrgId), eq(allianceMember.status, PENDING_STATUS)))
    .orderBy(desc(allianceMember.invitedAt), asc(allianceMember.id));
}

export async function tendersOfAlliances(db: DbOrTx, allianceOrgIds: readonly string[], statuses?: readonly string[]) {
  if (allianceOrgIds.length === 0) return [];
  const where = statuses ? and(inArray(tender.allianceOrgId, [...allianceOrgIds]), inArray(tender.status, [...statuses])) : inArray(tender.allianceOrgId, [...allianceOrgIds]);
  return db.select().from(tender).where(where).orderBy(desc(tender.createdAt));
}

export async function tendersInStatuses(db: DbOrTx, statuses: readonly string[]) {
  return db
    .select()
    .from(tender)
    .where(inArray(tender.status, [...statuses]))
    .orderBy(desc(tender.createdAt));
}

export async function registrationOf(db: DbOrTx, tenderId: string, supplierOrgId: string) {
  const [row] = await db
    .select()
    .from(tenderSupplier)
    .where(and(eq(tenderSupplier.tenderId, tenderId), eq(tenderSupplier.supplierOrgId, supplierOrgId)));
  return row;
}

export async function registrationsOf(db: DbOrTx, tenderId: string) {
  return db
    .select({ registration: tenderSupplier, supplierName: organization.name })
    .from(tenderSupplier)
    .innerJoin(organization, eq(organization.id, tenderSupplier.supplierOrgId))
    .where(eq(tenderSupplier.tenderId, tenderId))
    .orderBy(asc(organization.name));
}

/** Tenders a supplier registered for. */
export async function tenderIdsOfSupplier(db: DbOrTx, supplierOrgId: string): Promise<string[]> {
  const rows = await db.select({ id: tenderSupplier.tenderId }).from(tenderSupplier).where(eq(tenderSupplier.supplierOrgId, supplierOrgId));
  return rows.map((r) => r.id);
}

/** A supplier's registrations (status and lots) and the lots it has bid on, on the given tenders. */
export async function supplierStandings(db: DbOrTx, supplierOrgId: string, tenderIds: readonly string[]) {
  if (tenderIds.length === 0) return { registrations: new Map<string, { status: string; lotIds: string[] }>(), bidLots: new Map<string, Set<string>>() };
  const [registrations, bids] = await Promise.all([
    db
      .select({ tenderId: tenderSupplier.tenderId, status: tenderSupplier.status, lots: tenderSupplier.lots })
      .from(tenderSupplier)
      .where(and(eq(tenderSupplier.supplierOrgId, supplierOrgId), inArray(tenderSupplier.tenderId, [...tenderIds]))),
    db
      .selectDistinct({ tenderId: tenderBid.tenderId, lotId: tenderBid.lotId })
      .from(tenderBid)
      .where(and(eq(tenderBid.supplierOrgId, supplierOrgId), inArray(tenderBid.tenderId, [...tenderIds]))),
  ]);
  const bidLots = new Map<string, Set<string>>();
  for (const b of bids) {
    const lots = bidLots.get(b.tenderId) ?? new Set<string>();
    bidLots.set(b.tenderId, lots.add(b.lotId));
  }
  return { registrations: new Map(registrations.map((r) => [r.tenderId, { status: r.status, lotIds: r.lots.map((l) => l.lotId) }])), bidLots };
}

/** Registrations waiting for the alliance's decision, by tender (tenders without any are absent). */
export async function pendingRegistrationCounts(db: DbOrTx, tenderIds: readonly string[]): Promise<Map<string, number>> {
  if (tenderIds.length === 0) return new Map();
  const rows = await db
    .select({ tenderId: tenderSupplier.tenderId, n: count() })
    .from(tenderSupplier)
    .where(and(inArray(tenderSupplier.tenderId, [...tenderIds]), eq(tenderSupplier.status, 'pending')))
    .groupBy(tenderSupplier.tenderId);
  return new Map(rows.map((r) => [r.tenderId, Number(r.n)]));
}

/** One supplier's own bids on a tender: receipt fields only (never the sealed value). */
export async function receiptsOf(db: DbOrTx, tenderId: string, supplierOrgId: string) {
  return db
    .select({ id: tenderBid.id, lotId: tenderBid.lotId, commitment: tenderBid.commitment, submittedAt: tenderBid.submittedAt })
    .from(tenderBid)
    .where(and(eq(tenderBid.tenderId, tenderId), eq(tenderBid.supplierOrgId, supplierOrgId)))
    .orderBy(asc(tenderBid.submittedAt), asc(tenderBid.id));
}

export async function bidByKey(db: DbOrTx, tenderId: string, supplierOrgId: string, idempotencyKey: string) {
  const [row] = await db
    .select({ id: tenderBid.id, lotId: tenderBid.lotId, commitment: tenderBid.commitment, submittedAt: tenderBid.submittedAt, sealed: tenderBid.sealed })
    .from(tenderBid)
    .where(and(eq(tenderBid.tenderId, tenderId), eq(tenderBid.supplierOrgId, supplierOrgId), eq(tenderBid.idempotencyKey, idempotencyKey)));
  return row;
}

/** Every bid of a tender, sealed: for the opening only. */
export async function sealedBidsForOpening(db: DbOrTx, tenderId: string) {
  return db
    .select({ id: tenderBid.id, lotId: tenderBid.lotId, supplierOrgId: tenderBid.supplierOrgId, sealed: tenderBid.sealed, commitment: tenderBid.commitment, submittedAt: tenderBid.submittedAt })
    .from(tenderBid)
    .where(eq(tenderBid.tenderId, tenderId));
}

/** Demand rows of a tender without names (the opening's aggregate). */
export async function demandFacts(db: DbOrTx, tenderId: string) {
  return db
    .select({ lotId: tenderDemand.lotId, memberOrgId: tenderDemand.memberOrgId, regionCode: tenderDemand.regionCode, grams: tenderDemand.grams })
    .from(tenderDemand)
    .where(eq(tenderDemand.tenderId, tenderId));
}

/** Registrations of a tender without names (the opening). */
export async function registrationFacts(db: DbOrTx, tenderId: string) {
  return db
    .select({ supplierOrgId: tenderSupplier.supplierOrgId, status: tenderSupplier.status, qualityScoreHundredths: tenderSupplier.qualityScoreHundredths })
    .from(tenderSupplier)
    .where(eq(tenderSupplier.tenderId, tenderId));
}

/** Every bid of a tender with its supplier's name (no price: prices live in the award once opened). */
export async function bidsWithSuppliers(db: DbOrTx, tenderId: string) {
  return db
    .select({ id: tenderBid.id, lotId: tenderBid.lotId, supplierOrgId: tenderBid.supplierOrgId, supplierName: organization.name, submittedAt: tenderBid.submittedAt, commitment: tenderBid.commitment })
    .from(tenderBid)
    .innerJoin(organization, eq(organization.id, tenderBid.supplierOrgId))
    .where(eq(tenderBid.tenderId, tenderId))
    .orderBy(asc(tenderBid.lotId), asc(tenderBid.id));
}

export async function awardOf(db: DbOrTx, tenderId: string) {
  const [row] = await db.select().from(tenderAward).where(eq(tenderAward.tenderId, tenderId));
  return row;
}

export async function complaintsOf(db: DbOrTx, tenderId: string, complainantOrgId?: string) {
  const where = complainantOrgId ? and(eq(tenderComplaint.tenderId, tenderId), eq(tenderComplaint.complainantOrgId, complainantOrgId)) : eq(tenderComplaint.tenderId, tenderId);
  return db
    .select({ complaint: tenderComplaint, complainantName: organization.name })
    .from(tenderComplaint)
    .innerJoin(organization, eq(organization.id, tenderComplaint.complainantOrgId))
    .where(where)
    .orderBy(asc(tenderComplaint.createdAt), asc(tenderComplaint.id));
}

export async function contractsOf(db: DbOrTx, tenderId: string, supplierOrgId?: string) {
  const where = supplierOrgId ? and(eq(frameworkContract.tenderId, tenderId), eq(frameworkContract.supplierOrgId, supplierOrgId)) : eq(frameworkContract.tenderId, tenderId);
  return db
    .select({ contract: frameworkContract, supplierName: organization.name })
    .from(frameworkContract)
    .innerJoin(organization, eq(organization.id, frameworkContract.supplierOrgId))
    .where(where)
    .orderBy(asc(frameworkContract.lotId), asc(frameworkContract.rank));
}

export async function orgFacts(db: DbOrTx, orgId: string) {
  const [row] = await db
    .select({ id: organization.id, name: organization.name, kind: orgProfile.kind, regionCode: orgProfile.regionCode })
    .from(organization)
    .innerJoin(orgProfile, eq(orgProfile.orgId, organization.id))
    .where(eq(organization.id, orgId));
  return row;
}

export async function orgNames(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: organization.id, name: organization.name })
    .from(organization)
    .where(inArray(organization.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Which of `ids` are uploads of `orgId` (documents must be the caller's own files). */
export async function ownUploadIds(db: DbOrTx, orgId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: upload.id })
    .from(upload)
    .where(and(eq(upload.orgId, orgId), inArray(upload.id, [...ids])));
  return new Set(rows.map((r) => r.id));
}
