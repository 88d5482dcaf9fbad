import { and, eq, inArray } from 'drizzle-orm';
import { haversineKm } from '../../../lib/geo.ts';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { OrgKind } from '../../../lib/permissions.ts';
import type { Db, Tx } from '../../db/client.ts';
import { herb, prescription, rxEvent, rxOffer, type RoutingNote } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { chinaToday, tradingBlock } from '../orgs/licences.core.ts';
import { announce } from '../../integrations/live/live.jobs.ts';
import { liveTopics } from '../../integrations/live/live.port.ts';
import { rankPharmacies, type RoutablePharmacy } from '../routing/routing.core.ts';
import {
  assertRxTransition,
  boxAround,
  chinaDayStart,
  chinaMinuteOfDay,
  EXPIRABLE_STATUSES,
  gramsToDraw,
  ineligibleReason,
  isOpenAt,
  OFFER_TIMEOUT_MS,
  summarizeIneligible,
  type PharmacyFacts,
  type RxActorRole,
  type RxStatus,
} from './prescriptions.core.ts';
import { expirePrescriptionJob, notifyJob, offerTimeoutJob } from './prescriptions.jobs.ts';
import * as repo from './prescriptions.repo.ts';
import type { RxRow } from './prescriptions.repo.ts';

/** Who moves a prescription: a party (with user and org) or the system (screening, routing, timers). */
export interface RxMover {
  role: RxActorRole;
  userId: string | null;
  orgId: string | null;
}

export const RX_SYSTEM: RxMover = { role: 'system', userId: null, orgId: null };

interface EventExtra {
  reason?: string | null;
  note?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Moves a (locked) prescription along the transition table: conditional update on the current
 * status, one timeline event and one audit entry. A forbidden move throws before anything is written.
 */
export async function moveRx(tx: Tx, current: RxRow, to: RxStatus, mover: RxMover, extra: EventExtra & { set?: Partial<typeof prescription.$inferInsert>; at?: Date } = {}): Promise<RxRow> {
  const from = assertRxTransition(current.status, to, mover.role);
  const now = extra.at ?? new Date();
  const [updated] = await tx
    .update(prescription)
    .set({ ...extra.set, status: to, updatedAt: now })
    .where(and(eq(prescription.id, current.id), eq(prescription.status, from)))
    .returning();
  if (!updated) throw new AppError('CONFLICT', msg('rx.invalidTransition', { from, to }), { field: 'id' });
  const eventId = await recordRxEvent(tx, updated, { from, to, mover, ...extra, at: now });
  const offeredTo = to === 'routed' && typeof extra.data?.pharmacyOrgId === 'string' ? { pharmacyOrgId: extra.data.pharmacyOrgId } : {};
  const note = extra.note === 'routing_failed' ? { note: 'routing_failed' as const } : {};
  await enqueue(tx, notifyJob, { prescriptionId: updated.id, status: to, ...offeredTo, ...note }, { dedupeKey: `prescriptions.notify:${eventId}` });
  return updated;
}

/** A timeline entry (status change, or a note when from = to) with its audit entry. */
export async function recordRxEvent(tx: Tx, row: RxRow, event: EventExtra & { from: string | null; to: string; mover: RxMover; at?: Date }): Promise<string> {
  const at = event.at ?? new Date();
  const id = newId('rxe');
  await tx.insert(rxEvent).values({
    id,
    prescriptionId: row.id,
    fromStatus: event.from,
    toStatus: event.to,
    actorRole: event.mover.role,
    actorUserId: event.mover.userId,
    actorOrgId: event.mover.orgId,
    note: event.note ?? null,
    reason: event.reason ?? null,
    data: event.data ?? {},
    at,
  });
  await appendAudit(tx, {
    actorUserId: event.mover.userId,
    actorOrgId: event.mover.orgId,
    orgId: row.hospitalOrgId,
    action: event.from === null ? 'rx.created' : event.note ? `rx.${event.note}` : 'rx.status_changed',
    entityType: 'prescription',
    entityId: row.id,
    data: { from: event.from, to: event.to, role: event.mover.role, reason: event.reason ?? null, pharmacyOrgId: row.pharmacyOrgId, ...event.data },
  });
  await announce(tx, liveTopics.prescription(row.id), 'prescription.event', at);
  return id;
}

/** Withdraws the offers still open (cancelled or expired prescription). */
export async function withdrawOpenOffers(tx: Tx, rxId: string, now: Date): Promise<void> {
  await tx
    .update(rxOffer)
    .set({ status: 'withdrawn', decidedAt: now })
    .where(and(eq(rxOffer.prescriptionId, rxId), eq(rxOffer.status, 'offered')));
}

// ---------------------------------------------------------------------------------------------------
// Routing

/** Grams needed per herb id for all doses (items of the same herb added up). */
export function needOf(items: readonly repo.RxItemRow[], doses: number): Map<string, number> {
  const mg = new Map<string, number>();
  for (const item of items) mg.set(item.herbId, (mg.get(item.herbId) ?? 0) + item.mg);
  return new Map([...mg].map(([herbId, perDose]) => [herbId, gramsToDraw(perDose, doses)]));
}

/**
 * Offers the prescription to the nearest eligible pharmacy not offered yet (DOMAIN.md routing rules,
 * ranked by the routing core), with a timeout job; when nobody is eligible the prescription waits in
 * `approved` and the hospital sees why (`routingNote`, and a timeline note).
 */
export async function routeNext(tx: Tx, rx: RxRow, now: Date = new Date()): Promise<RxRow> {
  const items = await repo.itemsOf(tx, rx.id);
  const needG = needOf(items, rx.doses);
  const herbIds = [...needG.keys()];
  const pickupStore = rx.fulfilment === 'pickup' ? rx.storeOrgId : null;
  const patient = { lat: rx.patientLat, lng: rx.patientLng };
  const pharmacies = pickupStore ? await repo.routablePharmacies(tx, pickupStore) : await repo.routablePharmacies(tx, undefined, boxAround(patient, await repo.maxServiceRadiusKm(tx)));
  const ids = pharmacies.map((p) => p.id);
  const today = chinaToday(now);
  const [offers, licences, load, stock] = await Promise.all([
    repo.offersOf(tx, rx.id),
    repo.licencesOf(tx, ids),
    repo.acceptedSince(tx, ids, chinaDayStart(now)),
    repo.stockOf(tx, ids, herbIds, today),
  ]);
  const offered = new Set(offers.map((o) => o.pharmacyOrgId));
  const minute = chinaMinuteOfDay(now);
  const storeRow = pickupStore ? pharmacies.find((p) => p.id === pickupStore) : undefined;
  const anchor = storeRow ? { lat: storeRow.lat, lng: storeRow.lng } : patient;

  const facts: PharmacyFacts[] = pharmacies.map((p) => ({
    id: p.id,
    active: p.active,
    mayTrade:
      tradingBlock(
        'pharmacy' as OrgKind,
        p.kybStatus,
        licences.filter((l) => l.orgId === p.id),
        today,
      ) === null,
    open: isOpenAt(p, minute),
    capacityLeft: p.dailyCapacity - (load.get(p.id) ?? 0),
    decoction: p.decoction,
    km: haversineKm(anchor, p),
    serviceRadiusKm: p.serviceRadiusKm,
    stockG: stock.get(p.id) ?? {},
    alreadyOffered: offered.has(p.id),
  }));
  const verdicts = facts.map((f) => ineligibleReason(f, { decoction: rx.decoction, needG }));
  const eligible = facts.filter((_, i) => verdicts[i] === null);
  const byId = new Map(pharmacies.map((p) => [p.id, p]));
  const routables: RoutablePharmacy[] = eligible.map((f) => ({ id: f.id, lat: byId.get(f.id)!.lat, lng: byId.get(f.id)!.lng, open: true, decoction: f.decoction, capacityLeft: f.capacityLeft, stockG: f.stockG }));
  const [best] = rankPharmacies(
    { items: [...needG].map(([herbId, g]) => ({ herb: herbId, grams: g })), doses: 1, decoction: rx.decoction, patient: anchor },
    routables,
    { maxKm: 5000, limit: 1 },
  );

  if (!best) {
    const summary = summarizeIneligible(verdicts);
    const names = summary.missingHerbIds.length ? await tx.select({ id: herb.id, name: herb.name }).from(herb).where(inArray(herb.id, summary.missingHerbIds)) : [];
    const nameOf = new Map(names.map((h) => [h.id, h.name]));
    const note: RoutingNote = {
      checked: facts.length,
      reasons: Object.fromEntries(Object.entries(summary.reasons).filter(([, n]) => n > 0)),
      missingHerbs: summary.missingHerbIds.map((h) => nameOf.get(h) ?? h),
      at: now.toISOString(),
    };
    const data = { routing: note };
    if (rx.status === 'routed') return moveRx(tx, rx, 'approved', RX_SYSTEM, { note: 'routing_failed', data, set: { routingNote: note }, at: now });
    const [updated] = await tx.update(prescription).set({ routingNote: note, updatedAt: now }).where(eq(prescription.id, rx.id)).returning();
    const eventId = await recordRxEvent(tx, updated!, { from: rx.status, to: rx.status, mover: RX_SYSTEM, note: 'routing_failed', data, at: now });
    await enqueue(tx, notifyJob, { prescriptionId: rx.id, status: rx.status, note: 'routing_failed' }, { dedupeKey: `prescriptions.notify:${eventId}` });
    return updated!;
  }

  const offerId = newId('rxo');
  const expiresAt = new Date(now.getTime() + OFFER_TIMEOUT_MS);
  const round = offers.length + 1;
  await tx.insert(rxOffer).values({ id: offerId, prescriptionId: rx.id, pharmacyOrgId: best.id, status: 'offered', round, distanceM: Math.round(best.km * 1000), offeredAt: now, expiresAt });
  await enqueue(tx, offerTimeoutJob, { offerId }, { runAt: expiresAt, dedupeKey: `prescriptions.offer-timeout:${offerId}` });
  return moveRx(tx, rx, 'routed', RX_SYSTEM, { note: round > 1 ? 'rerouted' : null, data: { offerId, pharmacyOrgId: best.id, km: best.km, round, offerExpiresAt: expiresAt.toISOString() }, set: { routingNote: null }, at: now });
}

// ---------------------------------------------------------------------------------------------------
// Timers (job handlers; idempotent: a second delivery finds nothing left to do)

/** An offer not accepted in time: expired, and the prescription goes to the next candidate. */
export async function timeoutOffer(db: Db, offerId: string, now: Date = new Date()): Promise<'expired' | 'noop'> {
  return db.transaction(async (tx) => {
    const rxId = await repo.prescriptionOfOffer(tx, offerId);
    const rx = rxId ? await repo.lockRx(tx, rxId) : undefined;
    const offer = rx ? await repo.lockOffer(tx, offerId) : undefined;
    if (!rx || !offer || offer.status !== 'offered') return 'noop';
    if (now < offer.expiresAt) throw new Error(`offer ${offerId} is not due before ${offer.expiresAt.toISOString()}`);
    await tx.update(rxOffer).set({ status: 'expired', decidedAt: now, reason: 'timeout' }).where(eq(rxOffer.id, offer.id));
    await recordRxEvent(tx, rx, { from: rx.status, to: rx.status, mover: RX_SYSTEM, note: 'offer_expired', data: { offerId, pharmacyOrgId: offer.pharmacyOrgId }, at: now });
    if (rx.status === 'routed') await routeNext(tx, rx, now);
    return 'expired';
  });
}

/** A prescription past its validity that nobody started dispensing: expired, open offers withdrawn. */
export async function expirePrescription(db: Db, rxId: string, now: Date = new Date()): Promise<'expired' | 'noop'> {
  return db.transaction(async (tx) => {
    const rx = await repo.lockRx(tx, rxId);
    if (!rx || !(EXPIRABLE_STATUSES as readonly string[]).includes(rx.status)) return 'noop';
    if (now < rx.expiresAt) throw new Error(`prescription ${rxId} is valid until ${rx.expiresAt.toISOString()}`);
    await withdrawOpenOffers(tx, rx.id, now);
    await moveRx(tx, rx, 'expired', RX_SYSTEM, { set: { closeReason: 'expired' }, at: now });
    return 'expired';
  });
}

/** Enqueued at intake: closes the prescription when its validity ends. */
export async function scheduleExpiry(tx: Tx, rx: RxRow): Promise<void> {
  await enqueue(tx, expirePrescriptionJob, { prescriptionId: rx.id }, { runAt: rx.expiresAt, dedupeKey: `prescriptions.expire:${rx.id}` });
}
