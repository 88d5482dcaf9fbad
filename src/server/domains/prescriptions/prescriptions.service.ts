import { and, eq, isNull } from 'drizzle-orm';
import { canonicalSha256 } from '../../../lib/canonical-json.ts';
import { haversineKm } from '../../../lib/geo.ts';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import type { Locale } from '../../../lib/locale.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { pharmacyCapability, prescription, prescriptionItem, rxReview, rxStatusLink, type StoredRxFlag } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { prescriptionShipmentSummary, publicTrackingForPrescription } from '../delivery/shipments.service.ts';
import { maskPhone } from '../delivery/shipments.core.ts';
import { estimateParcelWeightG } from './handover.core.ts';
import { herbIndex } from '../catalog/herb-names.core.ts';
import { herbIdsByName } from '../catalog/herbs.repo.ts';
import { newStatusToken } from './prescriptions.codes.ts';
import { shanghai } from '../../../lib/display-format.ts';
import { boxAround, expiryOf, maskName, STATUS_LINK_DAYS, type RxStatus } from './prescriptions.core.ts';
import * as repo from './prescriptions.repo.ts';
import { liveTopics } from '../../integrations/live/live.port.ts';
import type { RxRow } from './prescriptions.repo.ts';
import type { CapabilityInput, CreatePrescriptionInput } from './prescriptions.schemas.ts';
import { moveRx, recordRxEvent, routeNext, RX_SYSTEM, scheduleExpiry, withdrawOpenOffers, type RxMover } from './prescriptions.transitions.ts';
import { screenPrescription, type ScreeningItem } from './screening.core.ts';
import { gramsToMg, mgToGramsText } from './screening.types.ts';

/** The caller: a user (or an API key, userId null) acting for an organisation. */
export interface RxActor {
  userId: string | null;
  orgId: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs a command; a refusal (AppError) is audited in its own transaction after the command's
 * transaction rolled back, so every attempt leaves a trace and nothing half-written.
 */
export async function audited<T>(db: Db, actor: RxActor, action: string, entityId: string | null, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isAppError(error)) {
      await db.transaction((tx) =>
        appendAudit(tx, {
          actorUserId: actor.userId,
          actorOrgId: actor.orgId,
          orgId: actor.orgId,
          action: `rx.refused.${action}`,
          entityType: 'prescription',
          entityId: entityId ?? 'new',
          data: { code: error.code, field: error.field ?? null, message: error.message },
        }),
      );
    }
    throw error;
  }
}

async function assertRole(db: DbOrTx, actor: RxActor, role: 'physician' | 'pharmacist', message: 'rx.notPhysician' | 'rx.notPharmacist'): Promise<string> {
  if (!actor.userId) throw new AppError('FORBIDDEN', msg(message), { field: 'id' });
  const roles = await repo.memberRoles(db, actor.orgId, actor.userId);
  if (!roles.includes(role)) throw new AppError('FORBIDDEN', msg(message), { field: 'id' });
  return actor.userId;
}

function flagsOf(input: CreatePrescriptionInput, locale: Locale): StoredRxFlag[] {
  const { flags } = screenPrescription(
    { patient: { sex: input.patient.sex, ageYears: input.patient.ageYears, pregnant: input.patient.pregnant }, decoction: input.decoction, doses: input.doses, items: input.items },
    { locale },
  );
  return flags.map((f) => ({ code: f.code, severity: f.severity, herbs: [...f.herbs], message: f.message, ...(f.suggestions ? { suggestions: [...f.suggestions] } : {}) }));
}

export interface IntakeResult {
  id: string;
  status: RxStatus;
  flags: StoredRxFlag[];
  replayed: boolean;
  statusToken: string | null;
}

/**
 * The key's prescription is already there. Also how a concurrent intake with the same key ends: its
 * insert waits for the first to commit, then ON CONFLICT DO NOTHING inserts nothing (no unique violation).
 */
class ReplayIntake extends Error {}

/**
 * Intake (physician in the UI, or the hospital system over REST): checks the signer, resolves every
 * herb (an unknown one is refused with suggestions), screens with the pure core, and writes the
 * prescription, its items, timeline (draft → screened), status link and expiry timer in one
 * transaction. The same idempotency key answers the first result; a different body is CONFLICT.
 */
export async function createPrescription(
  db: Db,
  actor: RxActor,
  input: CreatePrescriptionInput,
  options: { idempotencyKey?: string | null; locale?: Locale; source?: 'ui' | 'api'; now?: Date; requireDeliveryAddress?: boolean } = {},
): Promise<IntakeResult> {
  const locale = options.locale ?? 'zh';
  const key = (options.idempotencyKey ?? input.idempotencyKey ?? '').trim() || null;
  return audited(db, actor, 'create', null, async () => {
    if ((await repo.orgKind(db, actor.orgId)) !== 'hospital') throw new AppError('FORBIDDEN', msg('rx.notHospital'));
    let physicianUserId: string;
    if (actor.userId) {
      physicianUserId = await assertRole(db, actor, 'physician', 'rx.notPhysician');
    } else {
      if (!input.physicianEmail) throw new AppError('VALIDATION', msg('rx.physicianRequired'), { field: 'physicianEmail' });
      const signer = await repo.userIdByEmailInOrg(db, actor.orgId, input.physicianEmail);
      if (!signer || !signer.roles.includes('physician')) throw new AppError('FORBIDDEN', msg('rx.notPhysician'), { field: 'physicianEmail' });
      physicianUserId = signer.id;
    }
    const { idempotencyKey: _key, ...body } = input;
    const requestHash = canonicalSha256(body);
    if (key) {
      const earlier = await repo.findByKey(db, actor.orgId, key);
      if (earlier) return replay(earlier, requestHash, input, locale);
    }

    // Every herb must be known: resolved through aliases and processed forms, then to its master row.
    const index = herbIndex();
    const resolved = input.items.map((item, i) => {
      const match = index.resolve(item.herb);
      if (!match) {
        const suggestions = index.suggest(item.herb).map((h) => h.name);
        throw new AppError('VALIDATION', msg('rx.unknownHerb', { line: i + 1, herb: item.herb, suggestions: suggestions.length ? `（${suggestions.join('、')}？）` : '' }), { field: `items.${i}.herb`, suggestions });
      }
      return match.herb.name;
    });
    const ids = await herbIdsByName(db, resolved);
    resolved.forEach((name, i) => {
      if (!ids.has(name)) throw new AppError('VALIDATION', msg('rx.unknownHerb', { line: i + 1, herb: input.items[i]!.herb, suggestions: '' }), { field: `items.${i}.herb` });
    });
    if (input.storeId && (await repo.orgKind(db, input.storeId)) !== 'pharmacy') throw new AppError('VALIDATION', msg('rx.storeNotPharmacy'), { field: 'storeId' });
    // The physician's form asks for the address with delivery; a hospital system may leave it to the pharmacy.
    if (options.requireDeliveryAddress && input.fulfilment === 'delivery' && !input.deliveryAddress) throw new AppError('VALIDATION', msg('rx.deliveryAddressRequired'), { field: 'deliveryAddress.address' });

    const storedFlags = flagsOf(input, 'zh');
    const blocked = storedFlags.some((f) => f.severity === 'block');
    const now = options.now ?? new Date();
    const id = newId('rx');
    const token = newStatusToken();
    try {
      const row = await db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(prescription)
          .values({
            id,
            hospitalOrgId: actor.orgId,
            physicianUserId,
            source: options.source ?? (actor.userId ? 'ui' : 'api'),
            status: 'draft',
            patientName: maskName(input.patient.name),
            patientSex: input.patient.sex,
            patientAgeYears: input.patient.ageYears,
            patientPregnant: input.patient.pregnant,
            patientAllergies: input.patient.allergies ?? null,
            patientLat: input.location.lat,
            patientLng: input.location.lng,
            doses: input.doses,
            usage: input.usage,
            decoction: input.decoction,
            decoctionBags: input.decoction ? (input.decoctionBags ?? null) : null,
            decoctionMl: input.decoction ? (input.decoctionMl ?? null) : null,
            fulfilment: input.fulfilment,
            deliveryAddress: input.fulfilment === 'delivery' && input.deliveryAddress ? { address: input.deliveryAddress.address, ...(input.deliveryAddress.phone ? { phone: input.deliveryAddress.phone } : {}) } : null,
            storeOrgId: input.storeId ?? null,
            issuedAt: now,
            expiresAt: expiryOf(now, input.validDays),
            idempotencyKey: key,
            requestHash,
            flags: storedFlags,
            blocked,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing({ target: [prescription.hospitalOrgId, prescription.idempotencyKey] })
          .returning();
        if (!inserted) throw new ReplayIntake();
        await tx.insert(prescriptionItem).values(
          input.items.map((item, i) => ({
            id: newId('rxi'),
            prescriptionId: id,
            lineNo: i + 1,
            herbId: ids.get(resolved[i]!)!,
            writtenName: item.herb,
            herbName: resolved[i]!,
            mg: gramsToMg(item.grams),
            handling: item.handling ?? null,
          })),
        );
        const signer: RxMover = { role: 'physician', userId: physicianUserId, orgId: actor.orgId };
        await recordRxEvent(tx, inserted, { from: null, to: 'draft', mover: signer, data: { source: inserted.source, items: input.items.length, doses: input.doses }, at: now });
        const screened = await moveRx(tx, inserted, 'screened', RX_SYSTEM, { data: { flags: storedFlags.length, blocking: storedFlags.filter((f) => f.severity === 'block').map((f) => f.code) }, at: now });
        await tx.insert(rxStatusLink).values({ token, prescriptionId: id, expiresAt: new Date(screened.expiresAt.getTime() + STATUS_LINK_DAYS * DAY_MS) });
        await scheduleExpiry(tx, screened);
        return screened;
      });
      return { id: row.id, status: row.status as RxStatus, flags: flagsOf(input, locale), replayed: false, statusToken: token };
    } catch (error) {
      if (key && error instanceof ReplayIntake) {
        const earlier = await repo.findByKey(db, actor.orgId, key);
        if (earlier) return replay(earlier, requestHash, input, locale);
      }
      throw error;
    }
  });
}

function replay(earlier: RxRow, requestHash: string, input: CreatePrescriptionInput, locale: Locale): IntakeResult {
  if (earlier.requestHash !== requestHash) throw new AppError('CONFLICT', msg('rx.idempotencyMismatch'), { field: 'idempotencyKey' });
  return { id: earlier.id, status: earlier.status as RxStatus, flags: flagsOf(input, locale), replayed: true, statusToken: null };
}

// ---------------------------------------------------------------------------------------------------
// Hospital: override (双签), review (审方), cancel, route again

async function actOnHospitalRx<T>(db: Db, actor: RxActor, action: string, id: string, fn: (tx: Tx, row: RxRow) => Promise<T>): Promise<T> {
  return audited(db, actor, action, id, () =>
    db.transaction(async (tx) => {
      const row = await repo.lockHospitalRx(tx, actor.orgId, id);
      if (!row) throw new AppError('NOT_FOUND', msg('rx.notFound'), { field: 'id' });
      return fn(tx, row);
    }),
  );
}

const view = (row: RxRow) => ({ id: row.id, status: row.status as RxStatus, pharmacyOrgId: row.pharmacyOrgId, routingNote: row.routingNote });

/** A physician of the hospital countersigns blocking flags with a reason (超剂量/配伍禁忌双签). */
export async function overrideFlags(db: Db, actor: RxActor, input: { id: string; reason: string }) {
  return actOnHospitalRx(db, actor, 'override', input.id, async (tx, row) => {
    const userId = await assertRole(tx, actor, 'physician', 'rx.notPhysician');
    if (row.status !== 'screened') throw new AppError('INVALID_TRANSITION', msg('rx.invalidTransition', { from: row.status, to: 'screened' }), { field: 'id' });
    if (!row.blocked) throw new AppError('PRECONDITION_FAILED', msg('rx.notBlocked'), { field: 'id' });
    if (row.overrideAt) throw new AppError('CONFLICT', msg('rx.alreadyOverridden'), { field: 'id' });
    const now = new Date();
    const [updated] = await tx
      .update(prescription)
      .set({ overrideReason: input.reason, overrideByUserId: userId, overrideAt: now, updatedAt: now })
      .where(and(eq(prescription.id, row.id), isNull(prescription.overrideAt)))
      .returning();
    await recordRxEvent(tx, updated!, {
      from: row.status,
      to: row.status,
      mover: { role: 'physician', userId, orgId: actor.orgId },
      note: 'override',
      reason: input.reason,
      data: { codes: row.flags.filter((f) => f.severity === 'block').map((f) => f.code), signer: row.physicianUserId },
      at: now,
    });
    return { ...view(updated!), overridden: true };
  });
}

/** 审方 by a pharmacist of the hospital: approve (then routed at once) or reject with a reason. */
export async function reviewPrescription(db: Db, actor: RxActor, input: { id: string; decision: 'approved' | 'rejected'; reason?: string | undefined }, now: Date = new Date()) {
  return actOnHospitalRx(db, actor, 'review', input.id, async (tx, row) => {
    const userId = await assertRole(tx, actor, 'pharmacist', 'rx.notPharmacist');
    if (row.status === 'screened' && row.expiresAt <= now) throw new AppError('PRECONDITION_FAILED', msg('rx.expired', { at: shanghai(row.expiresAt) }), { field: 'id' });
    if (row.status === 'screened' && input.decision === 'approved' && row.blocked && !row.overrideAt) {
      const blocks = row.flags.filter((f) => f.severity === 'block');
      // Named by their herbs (甘草 + 海藻), which read the same in both languages; the codes travel in the details.
      const herbs = [...new Set(blocks.map((f) => f.herbs.join(' + ')).filter((h) => h.length > 0))].join('；');
      throw new AppError('PRECONDITION_FAILED', msg('rx.blockedNeedsOverride', { herbs }), { field: 'id', codes: [...new Set(blocks.map((f) => f.code))] });
    }
    const mover: RxMover = { role: 'pharmacist', userId, orgId: actor.orgId };
    const moved = await moveRx(tx, row, input.decision, mover, { reason: input.reason ?? null, set: input.decision === 'rejected' ? { closeReason: input.reason ?? null } : {}, at: now });
    await tx.insert(rxReview).values({ id: newId('rxr'), prescriptionId: row.id, pharmacistUserId: userId, orgId: actor.orgId, decision: input.decision, reason: input.reason ?? null, at: now });
    if (input.decision === 'rejected') return view(moved);
    return view(await routeNext(tx, moved, now));
  });
}

/** The physician cancels an open prescription; open offers are withdrawn. */
export async function cancelPrescription(db: Db, actor: RxActor, input: { id: string; reason: string }) {
  return actOnHospitalRx(db, actor, 'cancel', input.id, async (tx, row) => {
    const userId = await assertRole(tx, actor, 'physician', 'rx.notPhysician');
    const now = new Date();
    const moved = await moveRx(tx, row, 'cancelled', { role: 'physician', userId, orgId: actor.orgId }, { reason: input.reason, set: { closeReason: input.reason }, at: now });
    await withdrawOpenOffers(tx, row.id, now);
    return view(moved);
  });
}

/** After "nobody eligible": the hospital asks again (stock or hours may have changed). */
export async function routeAgain(db: Db, actor: RxActor, input: { id: string }, now: Date = new Date()) {
  return actOnHospitalRx(db, actor, 'route', input.id, async (tx, row) => {
    if (row.status !== 'approved') throw new AppError('PRECONDITION_FAILED', msg('rx.routeNotWaiting'), { field: 'id' });
    if (row.expiresAt <= now) throw new AppError('PRECONDITION_FAILED', msg('rx.expired', { at: shanghai(row.expiresAt) }), { field: 'id' });
    return view(await routeNext(tx, row, now));
  });
}

// ---------------------------------------------------------------------------------------------------
// Reading

export async function listPrescriptions(db: DbOrTx, actor: RxActor, input: { status?: string | undefined }) {
  return repo.listHospital(db, actor.orgId, input.status);
}

export async function reviewQueue(db: DbOrTx, actor: RxActor, locale: Locale = 'zh') {
  const rows = await repo.reviewQueue(db, actor.orgId);
  return Promise.all(
    rows.map(async (r) => {
      const items = await repo.itemsOf(db, r.id);
      return {
      id: r.id,
      patientName: r.patientName,
      patientSex: r.patientSex,
      patientAgeYears: r.patientAgeYears,
      patientPregnant: r.patientPregnant,
      doses: r.doses,
      decoction: r.decoction,
      flags: localizedFlags(r, items, locale),
      blocked: r.blocked,
      overrideReason: r.overrideReason,
      overridden: r.overrideAt !== null,
      issuedAt: r.issuedAt,
      expiresAt: r.expiresAt,
      items: items.map(itemView),
      };
    }),
  );
}

/**
 * The stored flags (the record) with messages in `locale`: screening is pure, so re-running it on the
 * stored items gives the same flags; a flag the re-run does not reproduce keeps its stored message.
 */
function localizedFlags(row: RxRow, items: readonly repo.RxItemRow[], locale: Locale): StoredRxFlag[] {
  if (locale === 'zh') return row.flags;
  const { flags } = screenPrescription(
    { patient: { sex: row.patientSex === 'M' ? 'M' : 'F', ageYears: row.patientAgeYears, pregnant: row.patientPregnant }, decoction: row.decoction, doses: row.doses, items: items.map((i) => ({ herb: i.writtenName, grams: i.mg / 1000, handling: (i.handling ?? undefined) as ScreeningItem['handling'] })) },
    { locale },
  );
  const key = (f: { code: string; herbs: readonly string[] }) => `${f.code}|${f.herbs.join('|')}`;
  const byKey = new Map(flags.map((f) => [key(f), f.message]));
  return row.flags.map((f) => ({ ...f, message: byKey.get(key(f)) ?? f.message }));
}

const itemView = (i: repo.RxItemRow) => ({ id: i.id, lineNo: i.lineNo, herbId: i.herbId, writtenName: i.writtenName, herbName: i.herbName, mg: i.mg, grams: mgToGramsText(i.mg), handling: i.handling });

/**
 * One prescription for the hospital that issued it, or for a pharmacy holding an open offer for it
 * or having accepted it (offers of other pharmacies and the status link hidden); anyone else —
 * including a pharmacy whose offer closed — gets NOT_FOUND.
 */
export async function getPrescription(db: DbOrTx, actor: RxActor, id: string, locale: Locale = 'zh') {
  const own = await repo.findHospitalRx(db, actor.orgId, id);
  const row = own ?? (await repo.findPharmacyVisibleRx(db, actor.orgId, id));
  if (!row) throw new AppError('NOT_FOUND', msg('rx.notFound'), { field: 'id' });
  const side: 'hospital' | 'pharmacy' = own ? 'hospital' : 'pharmacy';
  // The address and the shipment: the issuing hospital and the pharmacy filling it, not pharmacies only offered it.
  const filling = side === 'hospital' || row.pharmacyOrgId === actor.orgId;
  const [items, events, offers, review, checks, steps, link, shipmentSummary] = await Promise.all([
    repo.itemsOf(db, row.id),
    repo.eventsOf(db, row.id),
    repo.offersOf(db, row.id),
    repo.reviewOf(db, row.id),
    repo.checksOf(db, row.id),
    repo.decoctionStepsOf(db, row.id),
    side === 'hospital' ? repo.statusLinkOf(db, row.id) : Promise.resolve(undefined),
    filling && row.fulfilment === 'delivery' ? prescriptionShipmentSummary(db, row.id) : Promise.resolve(null),
  ]);
  const visibleOffers = side === 'hospital' ? offers : offers.filter((o) => o.pharmacyOrgId === actor.orgId);
  const orgIds = [row.hospitalOrgId, ...(row.pharmacyOrgId ? [row.pharmacyOrgId] : []), ...(row.storeOrgId ? [row.storeOrgId] : []), ...visibleOffers.map((o) => o.pharmacyOrgId)];
  const userIds = [row.physicianUserId, ...(row.overrideByUserId ? [row.overrideByUserId] : []), ...(review ? [review.pharmacistUserId] : []), ...checks.flatMap((c) => [c.dispensedByUserId, ...(c.checkedByUserId ? [c.checkedByUserId] : [])]), ...steps.map((s) => s.byUserId)];
  const [orgs, users] = await Promise.all([repo.orgNames(db, [...new Set(orgIds)]), repo.userNames(db, [...new Set(userIds)])]);
  const checkOf = new Map(checks.map((c) => [c.itemId, c]));
  return {
    id: row.id,
    side,
    status: row.status as RxStatus,
    hospitalOrgId: row.hospitalOrgId,
    hospitalName: orgs.get(row.hospitalOrgId) ?? row.hospitalOrgId,
    physicianName: users.get(row.physicianUserId) ?? row.physicianUserId,
    patient: { name: row.patientName, sex: row.patientSex, ageYears: row.patientAgeYears, pregnant: row.patientPregnant, allergies: row.patientAllergies },
    doses: row.doses,
    usage: row.usage,
    decoction: row.decoction,
    decoctionBags: row.decoctionBags,
    decoctionMl: row.decoctionMl,
    fulfilment: row.fulfilment,
    storeName: row.storeOrgId ? (orgs.get(row.storeOrgId) ?? row.storeOrgId) : null,
    /** Hospital and filling pharmacy only; the phone masked (138****0000). */
    deliveryAddress: filling && row.deliveryAddress ? { address: row.deliveryAddress.address, phoneMasked: row.deliveryAddress.phone ? maskPhone(row.deliveryAddress.phone) : null } : null,
    shipment: shipmentSummary,
    /** The parcel weight the hand-over form suggests (grams). */
    estimatedWeightG: estimateParcelWeightG(row, items.map((i) => i.mg)),
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    flags: localizedFlags(row, items, locale),
    blocked: row.blocked,
    override: row.overrideAt ? { reason: row.overrideReason, by: users.get(row.overrideByUserId ?? '') ?? row.overrideByUserId, at: row.overrideAt } : null,
    review: review ? { decision: review.decision, reason: review.reason, by: users.get(review.pharmacistUserId) ?? review.pharmacistUserId, at: review.at } : null,
    pharmacy: row.pharmacyOrgId ? { id: row.pharmacyOrgId, name: orgs.get(row.pharmacyOrgId) ?? row.pharmacyOrgId } : null,
    routingNote: side === 'hospital' ? row.routingNote : null,
    pickupCode: row.pickupCode,
    closeReason: row.closeReason,
    statusToken: link?.token ?? null,
    items: items.map((i) => {
      const c = checkOf.get(i.id);
      return {
        ...itemView(i),
        dispensed: c ? { grams: c.grams, by: users.get(c.dispensedByUserId) ?? c.dispensedByUserId, byUserId: c.dispensedByUserId, at: c.dispensedAt } : null,
        checked: c?.checkedByUserId ? { by: users.get(c.checkedByUserId) ?? c.checkedByUserId, at: c.checkedAt } : null,
      };
    }),
    offers: visibleOffers.map((o) => ({ id: o.id, pharmacyOrgId: o.pharmacyOrgId, pharmacyName: orgs.get(o.pharmacyOrgId) ?? o.pharmacyOrgId, status: o.status, round: o.round, km: o.distanceM / 1000, offeredAt: o.offeredAt, expiresAt: o.expiresAt, decidedAt: o.decidedAt, reason: o.reason })),
    decoctionSteps: steps.map((s) => ({ id: s.id, step: s.step, minutes: s.minutes, bags: s.bags, note: s.note, by: users.get(s.byUserId) ?? s.byUserId, at: s.at })),
    timeline: events.map((e) => ({ id: e.id, from: e.fromStatus, to: e.toStatus, role: e.actorRole, note: e.note, reason: e.reason, data: e.data, at: e.at })),
  };
}
export type RxDetail = Awaited<ReturnType<typeof getPrescription>>;

/** `GET /api/v1/prescriptions/{id}`: status, assigned pharmacy, timeline (the hospital's own only). */
export async function apiView(db: DbOrTx, actor: RxActor, id: string, locale: Locale = 'zh') {
  const row = await repo.findHospitalRx(db, actor.orgId, id);
  if (!row) throw new AppError('NOT_FOUND', msg('rx.notFound'), { field: 'id' });
  const detail = await getPrescription(db, actor, id, locale);
  return {
    id: detail.id,
    status: detail.status,
    issuedAt: detail.issuedAt.toISOString(),
    expiresAt: detail.expiresAt.toISOString(),
    pharmacy: detail.pharmacy,
    flags: detail.flags.map((f) => ({ code: f.code, severity: f.severity, herbs: f.herbs, message: f.message })),
    routing: detail.routingNote ? { checked: detail.routingNote.checked, reasons: detail.routingNote.reasons, missingHerbs: detail.routingNote.missingHerbs } : null,
    timeline: detail.timeline.map((e) => ({ from: e.from, to: e.to, role: e.role, note: e.note, reason: e.reason, at: e.at.toISOString() })),
  };
}

/** A patient's status link still valid at `now`; unknown or expired → NOT_FOUND. */
async function validStatusLink(db: DbOrTx, token: string, now: Date) {
  const link = await repo.findStatusLink(db, token);
  if (!link || link.expiresAt <= now) throw new AppError('NOT_FOUND', msg('rx.linkNotFound'), { field: 'token' });
  return link;
}

/** The patient's page: minimal data, no login; an unknown or expired token is NOT_FOUND. */
export async function statusByToken(db: DbOrTx, token: string, now: Date = new Date()) {
  const link = await validStatusLink(db, token, now);
  const [row] = await db.select().from(prescription).where(eq(prescription.id, link.prescriptionId));
  if (!row) throw new AppError('NOT_FOUND', msg('rx.linkNotFound'), { field: 'token' });
  const events = await repo.eventsOf(db, row.id);
  const [names, delivery] = await Promise.all([
    repo.orgNames(db, [row.hospitalOrgId, ...(row.pharmacyOrgId ? [row.pharmacyOrgId] : [])]),
    row.fulfilment === 'delivery' ? publicTrackingForPrescription(db, row.id, now) : Promise.resolve(null),
  ]);
  return {
    status: row.status as RxStatus,
    hospitalName: names.get(row.hospitalOrgId) ?? '',
    pharmacyName: row.pharmacyOrgId ? (names.get(row.pharmacyOrgId) ?? null) : null,
    fulfilment: row.fulfilment,
    decoction: row.decoction,
    decoctionBags: row.decoctionBags,
    doses: row.doses,
    pickupCode: row.status === 'ready' ? row.pickupCode : null,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    steps: events.filter((e) => e.fromStatus !== e.toStatus).map((e) => ({ status: e.toStatus, at: e.at })),
    /** Delivery: carrier, tracking number, ETA, the recipient code for the courier (until delivered), steps, temperature alert — no addresses. */
    delivery,
  };
}

/** The live topic of the prescription behind a patient's status link; unknown or expired → NOT_FOUND. */
export async function statusTopicByToken(db: DbOrTx, token: string, now: Date = new Date()): Promise<string> {
  return liveTopics.prescription((await validStatusLink(db, token, now)).prescriptionId);
}

/** Stores a patient may pick for pickup: pharmacies taking prescriptions within 30 km, nearest first. */
export async function nearbyStores(db: DbOrTx, at: { lat: number; lng: number }, limit = 20) {
  const rows = await repo.routablePharmacies(db, undefined, boxAround(at, 30));
  const near = rows
    .filter((p) => p.active && p.kybStatus === 'approved')
    .map((p) => ({ id: p.id, km: haversineKm(at, p), decoction: p.decoction }))
    .filter((p) => p.km <= 30)
    .sort((a, b) => a.km - b.km || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
  const names = await repo.orgNames(
    db,
    near.map((p) => p.id),
  );
  return near.map((p) => ({ ...p, km: Math.round(p.km * 10) / 10, name: names.get(p.id) ?? p.id }));
}

// ---------------------------------------------------------------------------------------------------
// Pharmacy capability

export async function getCapability(db: DbOrTx, actor: RxActor) {
  return (await repo.capabilityOf(db, actor.orgId)) ?? null;
}

export async function setCapability(db: Db, actor: RxActor, input: CapabilityInput) {
  if ((await repo.orgKind(db, actor.orgId)) !== 'pharmacy') throw new AppError('FORBIDDEN', msg('rx.notPharmacyOrg'));
  return db.transaction(async (tx) => {
    const values = { ...input, orgId: actor.orgId, updatedByUserId: actor.userId, updatedAt: new Date() };
    await tx.insert(pharmacyCapability).values(values).onConflictDoUpdate({ target: pharmacyCapability.orgId, set: values });
    await appendAudit(tx, { actorUserId: actor.userId, actorOrgId: actor.orgId, orgId: actor.orgId, action: 'pharmacy.capability_set', entityType: 'organization', entityId: actor.orgId, data: { ...input } });
    return (await repo.capabilityOf(tx, actor.orgId))!;
  });
}
