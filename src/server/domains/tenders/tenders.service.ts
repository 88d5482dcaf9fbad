import { and, eq, inArray } from 'drizzle-orm';
import { kgText } from '../../../lib/amount-text.ts';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { allianceMember, tender, tenderBid, tenderComplaint, tenderDemand, tenderLot, tenderSupplier } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { callOffVolume } from '../orders/call-off.core.ts';
import { deliveredCallOffs } from '../orders/call-off.repo.ts';
import { assertMayTrade } from '../orgs/orgs.service.ts';
import type { TenderMethod } from './evaluation.types.ts';
import { assertMembershipTransition, inviteOutcome, MEMBER_STATUS, memberListEntry, type MembershipStatus, PENDING_STATUS, sortMemberList } from './membership.core.ts';
import {
  aggregateDemand,
  assertBidPrice,
  assertSchedule,
  assertWeights,
  bidCommitment,
  EDITABLE_STATUSES,
  isOpened,
  PUBLIC_STATUSES,
  requiredCapacityG,
  type TenderStatus,
} from './tenders.core.ts';
import { tenderMasterKey, tenderNow } from './tenders.config.ts';
import { newNonce, newWrappedDataKey, sealBid, unwrapDataKey } from './tenders.crypto.ts';
import { openTenderJob } from './tenders.jobs.ts';
import { awardLots, finalizeLocked } from './tenders.opening.ts';
import * as repo from './tenders.repo.ts';
import type { AnswerComplaintInput, ComplaintInput, QualifyInput, RegisterSupplierInput, ReportDemandInput, SubmitBidInput, TenderRules } from './tenders.schemas.ts';
import { auditTender, moveTender, type TenderMover } from './tenders.transitions.ts';
import { biddingOpen, needsCaller, supplierProgress, type SupplierProgress, type TenderTodo } from './tender-todo.core.ts';
import { databaseErrorOf } from '../../db/errors.ts';
import { shanghai } from '../../../lib/display-format.ts';

/** The caller: a user (or API key, userId null) acting for an organisation. */
export interface TenderActor {
  userId: string | null;
  orgId: string;
}

const officer = (actor: TenderActor): TenderMover => ({ role: 'officer', userId: actor.userId, orgId: actor.orgId });
const notFound = (field = 'id') => new AppError('NOT_FOUND', msg('tenders.notFound'), { field });

// ---------------------------------------------------------------------------------------------------
// Alliance membership

async function assertAllianceOrg(db: DbOrTx, orgId: string) {
  const org = await repo.orgFacts(db, orgId);
  if (!org || org.kind !== 'alliance') throw new AppError('FORBIDDEN', msg('tenders.notAlliance'), { field: 'orgId' });
  return org;
}

/** One audit entry per membership move, about the membership row, on the alliance's record. */
async function auditMembership(tx: DbOrTx, row: { id: string; allianceOrgId: string; memberOrgId: string }, entry: { action: string; actor: TenderActor; from: MembershipStatus | null; to: MembershipStatus }) {
  await appendAudit(tx, {
    actorUserId: entry.actor.userId,
    actorOrgId: entry.actor.orgId,
    orgId: row.allianceOrgId,
    action: entry.action,
    entityType: 'alliance_member',
    entityId: row.id,
    data: { allianceOrgId: row.allianceOrgId, memberOrgId: row.memberOrgId, from: entry.from, to: entry.to },
  });
}

const invitationView = (row: { id: string; memberOrgId: string; status: string; invitedAt: Date }, created: boolean) => ({
  id: row.id,
  memberOrgId: row.memberOrgId,
  status: row.status as MembershipStatus,
  invitedAt: row.invitedAt.toISOString(),
  created,
});

/**
 * The alliance invites a hospital or pharmacy to become its member (`tenders.addMember`). The answer
 * is the invitation, status `invited`: nothing counts until the invited organisation accepts it.
 * Re-inviting a pending invitee answers the same invitation (`created: false`); inviting again after a
 * decline renews it; inviting a member is a CONFLICT naming `memberOrgId`; only hospitals and
 * pharmacies may be invited.
 */
export async function inviteMember(db: Db, actor: TenderActor, input: { memberOrgId: string }, now = new Date()) {
  await assertAllianceOrg(db, actor.orgId);
  const target = await repo.orgFacts(db, input.memberOrgId);
  if (!target) throw new AppError('NOT_FOUND', msg('tenders.orgNotFound'), { field: 'memberOrgId' });
  if (target.kind !== 'hospital' && target.kind !== 'pharmacy') throw new AppError('VALIDATION', msg('tenders.memberKind'), { field: 'memberOrgId' });
  return db.transaction(async (tx) => {
    let current = await repo.lockMembership(tx, actor.orgId, target.id);
    if (!current) {
      const [inserted] = await tx
        .insert(allianceMember)
        .values({ id: newId('alm'), allianceOrgId: actor.orgId, memberOrgId: target.id, status: PENDING_STATUS, invitedAt: now, invitedByUserId: actor.userId })
        .onConflictDoNothing({ target: [allianceMember.allianceOrgId, allianceMember.memberOrgId] })
        .returning();
      if (inserted) {
        await auditMembership(tx, inserted, { action: 'alliance.member_invited', actor, from: null, to: PENDING_STATUS });
        return invitationView(inserted, true);
      }
      // A concurrent invitation got there first: answer as for a repeated one.
      current = await repo.lockMembership(tx, actor.orgId, target.id);
      if (!current) throw new AppError('CONFLICT', msg('tenders.membershipTransition', { from: 'none', to: PENDING_STATUS }), { field: 'memberOrgId' });
    }
    const outcome = inviteOutcome(current.status);
    if (outcome.kind !== 'reinvite') return invitationView(current, false);
    const [renewed] = await tx
      .update(allianceMember)
      .set({ status: PENDING_STATUS, invitedAt: now, invitedByUserId: actor.userId, answeredAt: null, answeredByUserId: null })
      .where(and(eq(allianceMember.id, current.id), eq(allianceMember.status, outcome.from)))
      .returning();
    if (!renewed) throw new AppError('CONFLICT', msg('tenders.membershipTransition', { from: current.status, to: PENDING_STATUS }), { field: 'memberOrgId' });
    await auditMembership(tx, renewed, { action: 'alliance.member_invited', actor, from: outcome.from, to: PENDING_STATUS });
    return invitationView(renewed, true);
  });
}

/**
 * The alliance's member list: members by name, kind and region; invitations (pending or declined)
 * only by the organisation id the alliance gave and the invitation's status and times.
 */
export async function listMembers(db: DbOrTx, actor: TenderActor) {
  await assertAllianceOrg(db, actor.orgId);
  return sortMemberList((await repo.membersOf(db, actor.orgId)).map(memberListEntry));
}

/** Invitations waiting for the caller's organisation to accept or decline them: who invites, when. */
export async function myInvitations(db: DbOrTx, actor: TenderActor) {
  const rows = await repo.pendingInvitationsOf(db, actor.orgId);
  return rows.map((r) => ({ id: r.id, allianceOrgId: r.allianceOrgId, allianceName: r.allianceName, allianceRegionCode: r.allianceRegionCode, invitedAt: r.invitedAt.toISOString() }));
}

/**
 * The invited organisation answers an invitation addressed to it (by the invitation's id): accepted,
 * it becomes a member; declined, it never counts. An id that is not an invitation of the caller's
 * organisation is NOT_FOUND naming `id`; an invitation already answered is INVALID_TRANSITION.
 */
export async function answerInvitation(db: Db, actor: TenderActor, input: { id: string }, to: 'accepted' | 'declined', now = new Date()) {
  return db.transaction(async (tx) => {
    const row = await repo.lockInvitationOf(tx, actor.orgId, input.id);
    if (!row) throw new AppError('NOT_FOUND', msg('tenders.invitationNotFound'), { field: 'id' });
    const from = assertMembershipTransition(row.status, to, 'invitee');
    const [moved] = await tx
      .update(allianceMember)
      .set({ status: to, answeredAt: now, answeredByUserId: actor.userId, ...(to === MEMBER_STATUS ? { joinedAt: now } : {}) })
      .where(and(eq(allianceMember.id, row.id), eq(allianceMember.memberOrgId, actor.orgId), eq(allianceMember.status, from)))
      .returning();
    if (!moved) throw new AppError('INVALID_TRANSITION', msg('tenders.invitationAnswered'), { field: 'id' });
    await auditMembership(tx, moved, { action: to === MEMBER_STATUS ? 'alliance.member_accepted' : 'alliance.member_declined', actor, from, to });
    const names = await repo.orgNames(tx, [moved.allianceOrgId]);
    return { id: moved.id, allianceOrgId: moved.allianceOrgId, allianceName: names.get(moved.allianceOrgId) ?? moved.allianceOrgId, status: moved.status as MembershipStatus, answeredAt: now.toISOString() };
  });
}

export const acceptInvitation = (db: Db, actor: TenderActor, input: { id: string }, now?: Date) => answerInvitation(db, actor, input, 'accepted', now);
export const declineInvitation = (db: Db, actor: TenderActor, input: { id: string }, now?: Date) => answerInvitation(db, actor, input, 'declined', now);

// ---------------------------------------------------------------------------------------------------
// Creating and editing (alliance officer)

/** Documents may only point at the caller's own uploads. */
async function assertOwnDocuments(db: DbOrTx, orgId: string, documents: readonly { uploadId?: string | null }[]) {
  const ids = documents.map((d) => d.uploadId).filter((x): x is string => Boolean(x));
  const own = await repo.ownUploadIds(db, orgId, ids);
  documents.forEach((d, i) => {
    if (d.uploadId && !own.has(d.uploadId)) throw new AppError('NOT_FOUND', msg('trace.uploadNotFound'), { field: `documents.${i}.uploadId` });
  });
}

async function writeLots(tx: DbOrTx, tenderId: string, lots: TenderRules['lots']) {
  const existing = await repo.lotsOf(tx, tenderId);
  for (const [i, lot] of lots.entries()) {
    const lotNo = i + 1;
    const values = { herbName: lot.herbName, spec: lot.spec, qualityTier: lot.qualityTier, ceilingFenPerKg: lot.ceilingFenPerKg, deliveryRegions: lot.deliveryRegions };
    const current = existing.find((l) => l.lotNo === lotNo);
    if (current) await tx.update(tenderLot).set(values).where(eq(tenderLot.id, current.id));
    else await tx.insert(tenderLot).values({ id: newId('tlt'), tenderId, lotNo, ...values });
  }
  const removed = existing.filter((l) => l.lotNo > lots.length).map((l) => l.id);
  if (removed.length > 0) await tx.delete(tenderLot).where(and(eq(tenderLot.tenderId, tenderId), inArray(tenderLot.id, removed)));
}

function rulesColumns(input: TenderRules) {
  const weights = input.method === 'weighted_score' && input.weights ? input.weights : null;
  return {
    title: input.title,
    method: input.method,
    weightPrice: weights?.price ?? null,
    weightQuality: weights?.quality ?? null,
    demandDeadline: input.demandDeadline,
    bidDeadline: input.bidDeadline,
    openingAt: input.openingAt,
    publicityEndsAt: input.publicityEndsAt,
    contractTermMonths: input.contractTermMonths,
    documents: input.documents.map((d) => ({ name: d.name, uploadId: d.uploadId ?? null })),
  };
}

/** An alliance officer creates a draft tender with its lots (rules validated, nothing half-written). */
export async function createTender(db: Db, actor: TenderActor, input: TenderRules, now = tenderNow()) {
  await assertAllianceOrg(db, actor.orgId);
  assertSchedule(input, now);
  assertWeights(input.method, input.weights);
  await assertOwnDocuments(db, actor.orgId, input.documents);
  const id = newId('tdr');
  await db.transaction(async (tx) => {
    await tx.insert(tender).values({ id, allianceOrgId: actor.orgId, status: 'draft', wrappedDataKey: newWrappedDataKey(tenderMasterKey(), id), createdByUserId: actor.userId, ...rulesColumns(input) });
    await writeLots(tx, id, input.lots);
    await auditTender(tx, { id, allianceOrgId: actor.orgId }, { action: 'tender.created', userId: actor.userId, orgId: actor.orgId, data: { title: input.title, method: input.method, lots: input.lots.length } });
  });
  return { id, status: 'draft' as TenderStatus };
}

/** Edits the rules while the tender is a draft or collecting demand; after publication they are frozen. */
export async function updateTender(db: Db, actor: TenderActor, input: TenderRules & { id: string }, now = tenderNow()) {
  return db.transaction(async (tx) => {
    const row = await repo.lockAllianceTender(tx, actor.orgId, input.id);
    if (!row) throw notFound();
    if (!(EDITABLE_STATUSES as readonly string[]).includes(row.status)) throw new AppError('CONFLICT', msg('tenders.rulesFrozen'), { field: 'id', status: row.status });
    assertSchedule(input, row.status === 'draft' ? now : null);
    assertWeights(input.method, input.weights);
    await assertOwnDocuments(tx, actor.orgId, input.documents);
    await tx
      .update(tender)
      .set({ ...rulesColumns(input), updatedAt: now })
      .where(eq(tender.id, row.id));
    await writeLots(tx, row.id, input.lots);
    await auditTender(tx, row, { action: 'tender.rules_changed', userId: actor.userId, orgId: actor.orgId, data: { method: input.method, lots: input.lots.length } });
    return { id: row.id, status: row.status };
  });
}

async function officerMove(db: Db, actor: TenderActor, id: string, fn: (tx: DbOrTx, row: repo.TenderRow) => Promise<repo.TenderRow>) {
  return db.transaction(async (tx) => {
    const row = await repo.lockAllianceTender(tx, actor.orgId, id);
    if (!row) throw notFound();
    const moved = await fn(tx, row);
    return { id: moved.id, status: moved.status as TenderStatus };
  });
}

/** draft → demand_collection: members may report demand until the demand deadline. */
export async function openDemandCollection(db: Db, actor: TenderActor, input: { id: string }, now = tenderNow()) {
  return officerMove(db, actor, input.id, async (tx, row) => {
    if (row.status === 'draft' && row.demandDeadline.getTime() <= now.getTime()) throw new AppError('VALIDATION', msg('tenders.scheduleInPast'), { field: 'demandDeadline' });
    return moveTender(tx, row, 'demand_collection', officer(actor), now);
  });
}

/**
 * demand_collection → published: the rules are frozen, bidding opens, and the opening job is
 * enqueued for `openingAt` (a timer that survives restarts, deduplicated per tender).
 */
export async function publishTender(db: Db, actor: TenderActor, input: { id: string }, now = tenderNow()) {
  return officerMove(db, actor, input.id, async (tx, row) => {
    if (row.status === 'demand_collection' && row.bidDeadline.getTime() <= now.getTime()) throw new AppError('VALIDATION', msg('tenders.biddingClosed', { deadline: shanghai(row.bidDeadline) }), { field: 'bidDeadline' });
    const moved = await moveTender(tx, row, 'published', officer(actor), now, { set: { publishedAt: now } });
    await enqueue(tx, openTenderJob, { tenderId: row.id }, { dedupeKey: `tenders.open:${row.id}`, runAt: row.openingAt });
    return moved;
  });
}

/** Cancels a tender that has not been opened. */
export async function cancelTender(db: Db, actor: TenderActor, input: { id: string }, now = tenderNow()) {
  return officerMove(db, actor, input.id, (tx, row) => moveTender(tx, row, 'cancelled', officer(actor), now));
}

/** Final award by the officer after the publicity window (all complaints answered). */
export async function finalizeTender(db: Db, actor: TenderActor, input: { id: string }, now = tenderNow()) {
  return officerMove(db, actor, input.id, async (tx, row) => {
    if (row.status !== 'publicised') return moveTender(tx, row, 'awarded', officer(actor), now);
    return finalizeLocked(tx, row, officer(actor), now);
  });
}

/**
 * Re-tenders the failed lots (流标) of an opened tender as a new draft with the same rules and a new
 * schedule.
 */
export async function retenderFailedLots(db: Db, actor: TenderActor, input: { id: string; demandDeadline: Date; bidDeadline: Date; openingAt: Date; publicityEndsAt: Date }, now = tenderNow()) {
  const row = await repo.findAllianceTender(db, actor.orgId, input.id);
  if (!row) throw notFound();
  const failed = isOpened(row.status) ? (await repo.lotsOf(db, row.id)).filter((l) => l.status === 'failed') : [];
  if (failed.length === 0) throw new AppError('PRECONDITION_FAILED', msg('tenders.noFailedLots'), { field: 'id' });
  const created = await createTender(
    db,
    actor,
    {
      title: `${row.title}（重新招标）`,
      method: row.method as TenderMethod,
      weights: row.weightPrice !== null && row.weightQuality !== null ? { price: row.weightPrice, quality: row.weightQuality } : null,
      demandDeadline: input.demandDeadline,
      bidDeadline: input.bidDeadline,
      openingAt: input.openingAt,
      publicityEndsAt: input.publicityEndsAt,
      contractTermMonths: row.contractTermMonths,
      documents: row.documents.map((d) => ({ name: d.name, uploadId: d.uploadId ?? null })),
      lots: failed.map((l) => ({ herbName: l.herbName, spec: l.spec, qualityTier: l.qualityTier, ceilingFenPerKg: l.ceilingFenPerKg, deliveryRegions: l.deliveryRegions })),
    },
    now,
  );
  await db.update(tender).set({ parentTenderId: row.id }).where(eq(tender.id, created.id));
  return created;
}

// ---------------------------------------------------------------------------------------------------
// Demand (members)

/**
 * A member reports (or corrects) its demand per lot: an upsert per lot, idempotent, refused after
 * the demand deadline or outside demand collection. Grams 0 withdraws the demand for that lot.
 */
export async function reportDemand(db: Db, actor: TenderActor, input: ReportDemandInput, now = tenderNow()) {
  const row = await repo.findTender(db, input.tenderId);
  if (!row || row.status === 'draft') throw notFound('tenderId');
  if (!(await repo.isAllianceMember(db, row.allianceOrgId, actor.orgId))) throw new AppError('FORBIDDEN', msg('tenders.notMember'), { field: 'tenderId' });
  if (row.status !== 'demand_collection' || now.getTime() > row.demandDeadline.getTime()) throw new AppError('PRECONDITION_FAILED', msg('tenders.demandClosed'), { field: 'tenderId', deadline: row.demandDeadline.toISOString() });
  const lots = await repo.lotsOf(db, row.id);
  const seen = new Set<string>();
  input.lots.forEach((l, i) => {
    if (!lots.some((x) => x.id === l.lotId)) throw new AppError('NOT_FOUND', msg('tenders.unknownLot'), { field: `lots.${i}.lotId` });
    if (seen.has(l.lotId)) throw new AppError('VALIDATION', msg('tenders.duplicateLot'), { field: `lots.${i}.lotId` });
    seen.add(l.lotId);
  });
  const member = await repo.orgFacts(db, actor.orgId);
  await db.transaction(async (tx) => {
    // Checked again under the tender's lock: a report cannot slip in beside the publication.
    const locked = await repo.lockTender(tx, row.id);
    if (locked?.status !== 'demand_collection') throw new AppError('PRECONDITION_FAILED', msg('tenders.demandClosed'), { field: 'tenderId', deadline: row.demandDeadline.toISOString() });
    for (const l of input.lots) {
      await tx
        .insert(tenderDemand)
        .values({ id: newId('tdm'), tenderId: row.id, lotId: l.lotId, memberOrgId: actor.orgId, grams: l.grams, regionCode: member?.regionCode ?? '000000', reportedByUserId: actor.userId, updatedAt: now })
        .onConflictDoUpdate({ target: [tenderDemand.lotId, tenderDemand.memberOrgId], set: { grams: l.grams, reportedByUserId: actor.userId, updatedAt: now } });
    }
    await auditTender(tx, row, { action: 'tender.demand_reported', userId: actor.userId, orgId: actor.orgId, data: { lots: input.lots } });
  });
  return { tenderId: row.id, lots: await repo.demandsOfMember(db, row.id, actor.orgId) };
}

/** Demand per lot and region for the alliance (the chart on the officer's page). */
export async function demandSummary(db: DbOrTx, actor: TenderActor, input: { id: string }) {
  const row = await repo.findAllianceTender(db, actor.orgId, input.id);
  if (!row) throw notFound();
  const [lots, demands] = await Promise.all([repo.lotsOf(db, row.id), repo.demandsOf(db, row.id)]);
  const aggregate = aggregateDemand(
    lots.map((l) => l.id),
    demands,
  );
  return {
    lots: lots.map((l, i) => ({ ...aggregate[i]!, lotNo: l.lotNo, herbName: l.herbName, spec: l.spec, ceilingFenPerKg: l.ceilingFenPerKg })),
    members: demands.map((d) => ({ lotId: d.lotId, memberOrgId: d.memberOrgId, memberName: d.memberName, regionCode: d.regionCode, grams: d.grams, updatedAt: d.updatedAt.toISOString() })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Suppliers: registration and qualification

function assertBiddingOpen(row: repo.TenderRow, now: Date) {
  if (row.status !== 'published') throw new AppError('PRECONDITION_FAILED', msg('tenders.notPublished'), { field: 'tenderId', status: row.status });
  if (!biddingOpen(row.status, row.bidDeadline, now)) throw new AppError('PRECONDITION_FAILED', msg('tenders.biddingClosed', { deadline: shanghai(row.bidDeadline) }), { field: 'tenderId', deadline: row.bidDeadline.toISOString() });
}

async function publicTender(db: DbOrTx, id: string) {
  const row = await repo.findTender(db, id);
  if (!row || !(PUBLIC_STATUSES as readonly string[]).includes(row.status)) throw notFound('tenderId');
  return row;
}

/** A supplier registers for a published tender (licence valid, lots with offered capacity). */
export async function registerSupplier(db: Db, actor: TenderActor, input: RegisterSupplierInput, now = tenderNow()) {
  const row = await publicTender(db, input.tenderId);
  assertBiddingOpen(row, now);
  const org = await repo.orgFacts(db, actor.orgId);
  if (org?.kind !== 'supplier') throw new AppError('FORBIDDEN', msg('tenders.supplierKind'), { field: 'orgId' });
  await assertMayTrade(db, actor.orgId, now);
  const lots = await repo.lotsOf(db, row.id);
  const seen = new Set<string>();
  input.lots.forEach((l, i) => {
    if (!lots.some((x) => x.id === l.lotId)) throw new AppError('NOT_FOUND', msg('tenders.unknownLot'), { field: `lots.${i}.lotId` });
    if (seen.has(l.lotId)) throw new AppError('VALIDATION', msg('tenders.duplicateLot'), { field: `lots.${i}.lotId` });
    seen.add(l.lotId);
  });
  const documents = (input.documents ?? []).map((d) => ({ name: d.name, uploadId: d.uploadId ?? null }));
  await assertOwnDocuments(db, actor.orgId, documents);
  const registered = input.lots.map((l) => ({ lotId: l.lotId, capacityG: l.capacityG }));
  return db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(tenderSupplier)
      .values({ id: newId('tsr'), tenderId: row.id, supplierOrgId: actor.orgId, lots: registered, documents, status: 'pending' })
      .onConflictDoUpdate({ target: [tenderSupplier.tenderId, tenderSupplier.supplierOrgId], set: { lots: registered, documents, status: 'pending', reason: null, decidedAt: null, decidedByUserId: null } })
      .returning();
    await auditTender(tx, row, { action: 'tender.supplier_registered', userId: actor.userId, orgId: actor.orgId, data: { supplierOrgId: actor.orgId, lots: registered } });
    return { id: saved!.id, status: saved!.status };
  });
}

/**
 * The alliance marks a registered supplier qualified or not, with a reason. Qualifying checks the
 * supplier's licence today and that its capacity for every registered lot reaches the lot's volume
 * share (`requiredCapacityG`); a weighted tender also needs the technical-review quality score.
 */
export async function qualifySupplier(db: Db, actor: TenderActor, input: QualifyInput, now = tenderNow()) {
  const row = await repo.findAllianceTender(db, actor.orgId, input.tenderId);
  if (!row) throw notFound('tenderId');
  if (row.status !== 'published') throw new AppError('PRECONDITION_FAILED', msg('tenders.notPublished'), { field: 'tenderId', status: row.status });
  const reg = await repo.registrationOf(db, row.id, input.supplierOrgId);
  if (!reg) throw new AppError('NOT_FOUND', msg('tenders.registrationNotFound'), { field: 'supplierOrgId' });
  let score: number | null = null;
  if (input.qualified) {
    try {
      await assertMayTrade(db, reg.supplierOrgId, now);
    } catch (error) {
      if (error instanceof AppError) throw new AppError(error.code, error.message, { ...error.details, field: 'supplierOrgId' });
      throw error;
    }
    const [lots, demands] = await Promise.all([repo.lotsOf(db, row.id), repo.demandsOf(db, row.id)]);
    const aggregate = aggregateDemand(
      lots.map((l) => l.id),
      demands,
    );
    reg.lots.forEach((l, i) => {
      const required = requiredCapacityG(aggregate.find((a) => a.lotId === l.lotId)?.totalG ?? 0);
      if (l.capacityG < required) throw new AppError('VALIDATION', msg('tenders.capacityTooLow', { required: kgText(required), capacity: kgText(l.capacityG) }), { field: `lots.${i}.capacityG`, lotId: l.lotId, required });
    });
    if (row.method === 'weighted_score') {
      if (input.qualityScore === null || input.qualityScore === undefined) throw new AppError('VALIDATION', msg('tenders.qualityScoreRequired'), { field: 'qualityScore' });
      score = Math.round(input.qualityScore * 100);
      if (Math.abs(score / 100 - input.qualityScore) > 1e-9) throw new AppError('VALIDATION', msg('tenders.qualityScoreDecimals'), { field: 'qualityScore' });
    }
  }
  const status = input.qualified ? 'qualified' : 'not_qualified';
  return db.transaction(async (tx) => {
    await tx.update(tenderSupplier).set({ status, reason: input.reason, qualityScoreHundredths: score, decidedByUserId: actor.userId, decidedAt: now }).where(eq(tenderSupplier.id, reg.id));
    await auditTender(tx, row, { action: 'tender.supplier_qualified', userId: actor.userId, orgId: actor.orgId, data: { supplierOrgId: reg.supplierOrgId, status, reason: input.reason } });
    return { supplierOrgId: reg.supplierOrgId, status, reason: input.reason };
  });
}

// ---------------------------------------------------------------------------------------------------
// Sealed bids

export interface BidReceipt {
  bidId: string;
  tenderId: string;
  lotId: string;
  supplierOrgId: string;
  /** SHA-256 over canonical {fenPerKg, lotId, nonce, supplierId, tenderId}. */
  commitment: string;
  /** Only in the first answer: with the price the bidder knows, it lets the bidder recompute the commitment. */
  nonce: string | null;
  submittedAt: string;
  replayed: boolean;
}

/** A concurrent bid with the same key committed first: both passed the key check before either wrote. */
function isSameKeyRace(error: unknown): boolean {
  const e = databaseErrorOf(error);
  return e?.code === '23505' && e.constraint === 'tender_bid_key_uq';
}

/**
 * A qualified supplier submits (or replaces: a later bid on the same lot supersedes) a sealed bid
 * before the deadline. The price and a random nonce are encrypted under the tender's data key; the
 * commitment is stored beside; the audit entry names the lot and the commitment, never the price.
 * The same idempotency key answers the first receipt (another lot with the same key is a conflict).
 */
export async function submitBid(db: Db, actor: TenderActor, input: SubmitBidInput, now = tenderNow()): Promise<BidReceipt> {
  if (input.supplierOrgId !== undefined && input.supplierOrgId !== actor.orgId) throw new AppError('FORBIDDEN', msg('tenders.otherSupplier'), { field: 'supplierOrgId' });
  const key = input.idempotencyKey.trim();
  const earlier = await repo.bidByKey(db, input.tenderId, actor.orgId, key);
  if (earlier) {
    if (earlier.lotId !== input.lotId) throw new AppError('CONFLICT', msg('tenders.idempotencyMismatch'), { field: 'idempotencyKey' });
    return { bidId: earlier.id, tenderId: input.tenderId, lotId: earlier.lotId, supplierOrgId: actor.orgId, commitment: earlier.commitment, nonce: null, submittedAt: earlier.submittedAt.toISOString(), replayed: true };
  }
  const row = await publicTender(db, input.tenderId);
  assertBiddingOpen(row, now);
  const lot = (await repo.lotsOf(db, row.id)).find((l) => l.id === input.lotId);
  if (!lot) throw new AppError('NOT_FOUND', msg('tenders.unknownLot'), { field: 'lotId' });
  assertBidPrice(input.fenPerKg, lot.ceilingFenPerKg);
  const reg = await repo.registrationOf(db, row.id, actor.orgId);
  if (!reg) throw new AppError('FORBIDDEN', msg('tenders.notRegistered'), { field: 'tenderId' });
  if (reg.status !== 'qualified') throw new AppError('FORBIDDEN', msg('tenders.notQualified'), { field: 'tenderId', status: reg.status });
  if (!reg.lots.some((l) => l.lotId === lot.id)) throw new AppError('FORBIDDEN', msg('tenders.notRegisteredForLot'), { field: 'lotId' });
  await assertMayTrade(db, actor.orgId, now);

  const bidId = newId('tbd');
  const nonce = newNonce();
  const commitment = bidCommitment({ tenderId: row.id, lotId: lot.id, supplierId: actor.orgId, fenPerKg: input.fenPerKg, nonce });
  const sealed = sealBid(unwrapDataKey(tenderMasterKey(), row.id, row.wrappedDataKey), { tenderId: row.id, lotId: lot.id, supplierId: actor.orgId, bidId }, { fenPerKg: input.fenPerKg, nonce });
  try {
    await db.transaction(async (tx) => {
      // The deadline is checked again under the tender's lock: a bid cannot slip in beside the opening.
      const locked = await repo.lockTender(tx, row.id);
      if (!locked) throw notFound('tenderId');
      assertBiddingOpen(locked, now);
      await tx.insert(tenderBid).values({ id: bidId, tenderId: row.id, lotId: lot.id, supplierOrgId: actor.orgId, sealed, commitment, idempotencyKey: key, submittedByUserId: actor.userId, submittedAt: now });
      await auditTender(tx, row, { action: 'tender.bid_submitted', userId: actor.userId, orgId: actor.orgId, data: { bidId, lotId: lot.id, supplierOrgId: actor.orgId, commitment } });
    });
  } catch (error) {
    if (isSameKeyRace(error)) {
      const twin = await repo.bidByKey(db, row.id, actor.orgId, key);
      if (twin && twin.lotId === lot.id) return { bidId: twin.id, tenderId: row.id, lotId: twin.lotId, supplierOrgId: actor.orgId, commitment: twin.commitment, nonce: null, submittedAt: twin.submittedAt.toISOString(), replayed: true };
    }
    throw error;
  }
  return { bidId, tenderId: row.id, lotId: lot.id, supplierOrgId: actor.orgId, commitment, nonce, submittedAt: now.toISOString(), replayed: false };
}

// ---------------------------------------------------------------------------------------------------
// Complaints (publicity window)

export async function fileComplaint(db: Db, actor: TenderActor, input: ComplaintInput, now = tenderNow()) {
  const row = await publicTender(db, input.tenderId);
  const isSupplier = Boolean(await repo.registrationOf(db, row.id, actor.orgId));
  const isMember = await repo.isAllianceMember(db, row.allianceOrgId, actor.orgId);
  if (!isSupplier && !isMember) throw new AppError('FORBIDDEN', msg('tenders.complaintNotAllowed'), { field: 'tenderId' });
  if (row.status !== 'publicised' || now.getTime() > row.publicityEndsAt.getTime()) throw new AppError('PRECONDITION_FAILED', msg('tenders.complaintClosed'), { field: 'tenderId' });
  if (input.lotId && !(await repo.lotsOf(db, row.id)).some((l) => l.id === input.lotId)) throw new AppError('NOT_FOUND', msg('tenders.unknownLot'), { field: 'lotId' });
  const id = newId('tcp');
  await db.transaction(async (tx) => {
    // Under the tender's lock, so the final award (which counts open complaints) sees it or refuses.
    const locked = await repo.lockTender(tx, row.id);
    if (locked?.status !== 'publicised') throw new AppError('PRECONDITION_FAILED', msg('tenders.complaintClosed'), { field: 'tenderId' });
    await tx.insert(tenderComplaint).values({ id, tenderId: row.id, lotId: input.lotId ?? null, complainantOrgId: actor.orgId, body: input.body, createdByUserId: actor.userId, createdAt: now });
    await auditTender(tx, row, { action: 'tender.complaint_filed', userId: actor.userId, orgId: actor.orgId, data: { complaintId: id, lotId: input.lotId ?? null } });
  });
  return { id, status: 'open' };
}

export async function answerComplaint(db: Db, actor: TenderActor, input: AnswerComplaintInput, now = tenderNow()) {
  return db.transaction(async (tx) => {
    const [found] = await tx.select().from(tenderComplaint).where(eq(tenderComplaint.id, input.complaintId)).for('no key update');
    const row = found ? await repo.findAllianceTender(tx, actor.orgId, found.tenderId) : undefined;
    if (!found || !row) throw new AppError('NOT_FOUND', msg('tenders.complaintNotFound'), { field: 'complaintId' });
    if (found.status !== 'open') throw new AppError('CONFLICT', msg('tenders.complaintAnswered'), { field: 'complaintId' });
    await tx.update(tenderComplaint).set({ status: 'answered', answer: input.answer, answeredByUserId: actor.userId, answeredAt: now }).where(eq(tenderComplaint.id, found.id));
    await auditTender(tx, row, { action: 'tender.complaint_answered', userId: actor.userId, orgId: actor.orgId, data: { complaintId: found.id } });
    return { id: found.id, status: 'answered' };
  });
}

// ---------------------------------------------------------------------------------------------------
// Reading

export type TenderViewerRole = 'officer' | 'member' | 'supplier';

/**
 * Tenders the caller's organisation may see: its own (alliance), its alliances' (member), public ones
 * (supplier). A supplier's rows carry where it stands on each (`mine`: register, wait for
 * qualification, bid…); an alliance's, how many registrations wait for its decision.
 */
export async function listTenders(db: DbOrTx, actor: TenderActor, now = tenderNow()) {
  const org = await repo.orgFacts(db, actor.orgId);
  let rows: repo.TenderRow[] = [];
  let role: TenderViewerRole | null = null;
  if (org?.kind === 'alliance') {
    role = 'officer';
    rows = await repo.tendersOfAlliances(db, [actor.orgId]);
  } else if (org?.kind === 'hospital' || org?.kind === 'pharmacy') {
    role = 'member';
    rows = await repo.tendersOfAlliances(db, await repo.alliancesOfMember(db, actor.orgId), ['demand_collection', ...PUBLIC_STATUSES]);
  } else if (org?.kind === 'supplier') {
    role = 'supplier';
    rows = await repo.tendersInStatuses(db, PUBLIC_STATUSES);
  }
  const ids = rows.map((r) => r.id);
  const [names, standings, pending] = await Promise.all([
    repo.orgNames(
      db,
      rows.map((r) => r.allianceOrgId),
    ),
    role === 'supplier' ? repo.supplierStandings(db, actor.orgId, ids) : null,
    role === 'officer' ? repo.pendingRegistrationCounts(db, ids) : null,
  ]);
  return {
    role,
    tenders: rows.map((r) => ({
      ...summaryOf(r),
      allianceName: names.get(r.allianceOrgId) ?? r.allianceOrgId,
      mine: standings ? progressOf(r, standings, now) : null,
      pendingRegistrations: pending ? (pending.get(r.id) ?? 0) : null,
    })),
  };
}

function progressOf(r: repo.TenderRow, standings: Awaited<ReturnType<typeof repo.supplierStandings>>, now: Date): SupplierProgress {
  return supplierProgress({ status: r.status as TenderStatus, bidDeadline: r.bidDeadline, registration: standings.registrations.get(r.id) ?? null, bidLotIds: standings.bidLots.get(r.id) ?? new Set() }, now);
}

/**
 * What waits for the organisation on tenders, by the tender list's own filters (the dashboard's
 * counts): published tenders a supplier may register for or still has lots to bid on, or the
 * registrations waiting for an alliance's decision on its published tenders.
 */
export async function tenderTodoCount(db: DbOrTx, orgId: string, todo: TenderTodo, now = tenderNow()): Promise<number> {
  if (todo === 'qualify') {
    const own = await repo.tendersOfAlliances(db, [orgId], ['published']);
    const pending = await repo.pendingRegistrationCounts(
      db,
      own.map((r) => r.id),
    );
    return [...pending.values()].reduce((a, b) => a + b, 0);
  }
  const published = await repo.tendersInStatuses(db, ['published']);
  const standings = await repo.supplierStandings(
    db,
    orgId,
    published.map((r) => r.id),
  );
  return published.filter((r) => needsCaller(todo, { status: r.status as TenderStatus, mine: progressOf(r, standings, now) })).length;
}

function summaryOf(r: repo.TenderRow) {
  return {
    id: r.id,
    title: r.title,
    status: r.status as TenderStatus,
    method: r.method as TenderMethod,
    weights: r.weightPrice !== null && r.weightQuality !== null ? { price: r.weightPrice, quality: r.weightQuality } : null,
    demandDeadline: r.demandDeadline.toISOString(),
    bidDeadline: r.bidDeadline.toISOString(),
    openingAt: r.openingAt.toISOString(),
    publicityEndsAt: r.publicityEndsAt.toISOString(),
    contractTermMonths: r.contractTermMonths,
    documents: r.documents,
    parentTenderId: r.parentTenderId,
    createdAt: r.createdAt.toISOString(),
  };
}

function lotView(l: repo.TenderLotRow) {
  return { id: l.id, lotNo: l.lotNo, herbName: l.herbName, spec: l.spec, qualityTier: l.qualityTier, ceilingFenPerKg: l.ceilingFenPerKg, deliveryRegions: l.deliveryRegions, status: l.status };
}

/** The award with supplier names (only once the tender is opened). */
async function awardView(db: DbOrTx, row: repo.TenderRow) {
  if (!isOpened(row.status)) return null;
  const award = await repo.awardOf(db, row.id);
  if (!award) return null;
  const lots = awardLots(award);
  const names = await repo.orgNames(
    db,
    lots.flatMap((l) => l.winners.map((w) => w.supplierId)),
  );
  return {
    sha256: award.sha256,
    canonicalJson: award.canonicalJson,
    proposedAt: award.proposedAt.toISOString(),
    finalizedAt: award.finalizedAt?.toISOString() ?? null,
    excluded: award.excluded,
    lots: lots.map((l) => ({ ...l, winners: l.winners.map((w) => ({ ...w, supplierName: names.get(w.supplierId) ?? w.supplierId })) })),
  };
}

/**
 * The bids of an opened tender with their decrypted prices, read from the award's evaluation input
 * (a bid left out at the opening has no price and names why). Only called once the tender is opened.
 */
async function openedBids(db: DbOrTx, tenderId: string) {
  const [award, bids] = await Promise.all([repo.awardOf(db, tenderId), repo.bidsWithSuppliers(db, tenderId)]);
  const input = award?.inputJson ? (JSON.parse(award.inputJson) as { bids: { id: string; fenPerKg: number }[] }) : { bids: [] };
  const prices = new Map(input.bids.map((b) => [b.id, b.fenPerKg]));
  const excluded = new Map((award?.excluded ?? []).map((e) => [e.bidId, e.reason]));
  return bids.map((b) => ({ ...b, submittedAt: b.submittedAt.toISOString(), fenPerKg: prices.get(b.id) ?? null, openingCheck: excluded.get(b.id) ?? (prices.has(b.id) ? 'verified' : 'not_evaluated') }));
}

/**
 * One tender as the caller's organisation may see it. The alliance sees everything (demand per
 * member, registrations, complaints; bids only once opened); a member sees its own demand; a
 * supplier its registration and bid receipts. Nobody sees a bid price before the opening.
 */
export async function getTender(db: DbOrTx, actor: TenderActor, input: { id: string }) {
  const row = await repo.findTender(db, input.id);
  if (!row) throw notFound();
  let role: TenderViewerRole | null = null;
  if (row.allianceOrgId === actor.orgId) role = 'officer';
  else if (row.status !== 'draft' && (await repo.isAllianceMember(db, row.allianceOrgId, actor.orgId))) role = 'member';
  else if ((PUBLIC_STATUSES as readonly string[]).includes(row.status) && (await repo.orgFacts(db, actor.orgId))?.kind === 'supplier') role = 'supplier';
  if (!role) throw notFound();
  const [lots, names] = await Promise.all([repo.lotsOf(db, row.id), repo.orgNames(db, [row.allianceOrgId])]);
  const base = { ...summaryOf(row), allianceName: names.get(row.allianceOrgId) ?? row.allianceOrgId, role, lots: lots.map(lotView), award: await awardView(db, row) };

  if (role === 'officer') {
    const [demand, registrations, complaints, contracts] = await Promise.all([demandSummary(db, actor, { id: row.id }), repo.registrationsOf(db, row.id), repo.complaintsOf(db, row.id), repo.contractsOf(db, row.id)]);
    const bids = isOpened(row.status) ? await openedBids(db, row.id) : [];
    return {
      ...base,
      demand,
      registrations: registrations.map((r) => ({ supplierOrgId: r.registration.supplierOrgId, supplierName: r.supplierName, lots: r.registration.lots, documents: r.registration.documents, status: r.registration.status, reason: r.registration.reason, qualityScore: r.registration.qualityScoreHundredths === null ? null : r.registration.qualityScoreHundredths / 100 })),
      complaints: complaints.map(complaintView),
      contracts: contracts.map(contractView),
      openedBids: bids,
      lastYearUsage: [] as { lotId: string; grams: number }[],
      myDemand: [],
      registration: null,
      receipts: [],
    };
  }
  if (role === 'member') {
    const [mine, contracts, complaints] = await Promise.all([repo.demandsOfMember(db, row.id, actor.orgId), repo.contractsOf(db, row.id), repo.complaintsOf(db, row.id, actor.orgId)]);
    const yearAgo = new Date(tenderNow().getTime() - 365 * 86_400_000);
    const usage = await Promise.all(lots.map(async (l) => ({ lotId: l.id, grams: deliveredSince(await deliveredCallOffs(db, actor.orgId, l.herbName, l.spec), yearAgo) })));
    return { ...base, lastYearUsage: usage, demand: null, registrations: [], complaints: complaints.map(complaintView), contracts: contracts.map(contractView), openedBids: [], myDemand: mine.map((d) => ({ lotId: d.lotId, grams: d.grams, updatedAt: d.updatedAt.toISOString() })), registration: null, receipts: [] };
  }
  const [reg, receipts, contracts, complaints] = await Promise.all([repo.registrationOf(db, row.id, actor.orgId), repo.receiptsOf(db, row.id, actor.orgId), repo.contractsOf(db, row.id, actor.orgId), repo.complaintsOf(db, row.id, actor.orgId)]);
  return {
    ...base,
    demand: null,
    registrations: [],
    complaints: complaints.map(complaintView),
    contracts: contracts.map(contractView),
    openedBids: [],
    lastYearUsage: [] as { lotId: string; grams: number }[],
    myDemand: [],
    registration: reg ? { status: reg.status, reason: reg.reason, lots: reg.lots, documents: reg.documents } : null,
    receipts: receipts.map((r) => ({ bidId: r.id, lotId: r.lotId, commitment: r.commitment, submittedAt: r.submittedAt.toISOString() })),
  };
}
export type TenderDetail = Awaited<ReturnType<typeof getTender>>;

/** Grams of call-offs delivered since `since` (the member's usage shown beside its demand report). */
function deliveredSince(rows: Awaited<ReturnType<typeof deliveredCallOffs>>, since: Date): number {
  return rows.filter((r) => r.deliveredAt && r.deliveredAt.getTime() >= since.getTime()).reduce((sum, r) => sum + callOffVolume(r).deliveredG, 0);
}

function complaintView(c: Awaited<ReturnType<typeof repo.complaintsOf>>[number]) {
  const x = c.complaint;
  return { id: x.id, lotId: x.lotId, complainantOrgId: x.complainantOrgId, complainantName: c.complainantName, body: x.body, status: x.status, answer: x.answer, createdAt: x.createdAt.toISOString(), answeredAt: x.answeredAt?.toISOString() ?? null };
}

function contractView(c: Awaited<ReturnType<typeof repo.contractsOf>>[number]) {
  const x = c.contract;
  return { id: x.id, lotId: x.lotId, supplierOrgId: x.supplierOrgId, supplierName: c.supplierName, rank: x.rank, fenPerKg: x.fenPerKg, agreedG: x.agreedG, startsOn: x.startsOn, endsOn: x.endsOn };
}

/**
 * The public page (no login): published tenders only; lots and schedule, and after the opening the
 * result with its award hash. Demand per member, registrations and sealed bids are never shown.
 */
export async function publicTenderView(db: DbOrTx, input: { id: string }) {
  const row = await repo.findTender(db, input.id);
  if (!row || !(PUBLIC_STATUSES as readonly string[]).includes(row.status)) throw notFound();
  const [lots, names, demands] = await Promise.all([repo.lotsOf(db, row.id), repo.orgNames(db, [row.allianceOrgId]), repo.demandsOf(db, row.id)]);
  const aggregate = aggregateDemand(
    lots.map((l) => l.id),
    demands,
  );
  return {
    ...summaryOf(row),
    allianceName: names.get(row.allianceOrgId) ?? row.allianceOrgId,
    lots: lots.map((l, i) => ({ ...lotView(l), demandG: aggregate[i]!.totalG })),
    award: await awardView(db, row),
  };
}
