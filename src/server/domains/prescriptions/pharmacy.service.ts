import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { lot, prescription, rxDecoctionStep, rxDispenseCheck, rxOffer, rxStockDraw } from '../../db/schema/index.ts';
import { appCarriers } from '../../integrations/carriers/carriers.ts';
import { createShipmentForPrescription, prescriptionShipment, type TrackingFormats } from '../delivery/shipments.service.ts';
import { chinaToday } from '../orgs/licences.core.ts';
import { planHandover } from './handover.core.ts';
import { assertMayTrade } from '../orgs/orgs.service.ts';
import { newPickupCode } from './prescriptions.codes.ts';
import { chinaDayStart, DECOCTION_STEP_NAMES, gramsToDraw, missingDecoctionSteps, statusAfterDecoction, statusAfterDispensing, type DecoctionStep, type RxStatus } from './prescriptions.core.ts';
import * as repo from './prescriptions.repo.ts';
import type { RxShipmentInput } from './prescriptions.schemas.ts';
import type { RxRow } from './prescriptions.repo.ts';
import { audited, type RxActor } from './prescriptions.service.ts';
import { moveRx, recordRxEvent, routeNext, RX_SYSTEM, timeoutOffer, type RxMover } from './prescriptions.transitions.ts';
import { shanghai } from '../../../lib/display-format.ts';

/**
 * The pharmacy workbench: offers (accept / reject with reason), dispensing checklist with a second
 * pharmacist's check (复核), stock drawn from the pharmacy's lots, decoction log, hand-over (pickup
 * code or shipped). Every command is one transaction; refusals are audited.
 */

const view = (row: RxRow) => ({ id: row.id, status: row.status as RxStatus, pickupCode: row.pickupCode });

class OfferTimedOut extends Error {
  constructor(readonly expiresAt: Date) {
    super('offer timed out');
  }
}

export async function listOffers(db: DbOrTx, actor: RxActor) {
  return repo.openOffersOf(db, actor.orgId);
}

export async function listWork(db: DbOrTx, actor: RxActor) {
  return repo.pharmacyWork(db, actor.orgId);
}

/**
 * Accepts an open offer within its window and capacity. An offer past its timeout is refused; the
 * timeout is processed at once (the prescription goes to the next candidate).
 */
export async function acceptOffer(db: Db, actor: RxActor, input: { offerId: string }, now: Date = new Date()) {
  return audited(db, actor, 'accept_offer', input.offerId, async () => {
    try {
      return await db.transaction(async (tx) => {
        // Lock order everywhere: the prescription, then its offers.
        const rxId = await repo.prescriptionOfOffer(tx, input.offerId, actor.orgId);
        const rx = rxId ? await repo.lockRx(tx, rxId) : undefined;
        const offer = rx ? await repo.lockPharmacyOffer(tx, actor.orgId, input.offerId) : undefined;
        if (!rx || !offer) throw new AppError('NOT_FOUND', msg('rx.offerNotFound'), { field: 'offerId' });
        if (offer.status !== 'offered') throw new AppError('CONFLICT', msg('rx.offerClosed', { status: offer.status }), { field: 'offerId', status: offer.status });
        if (now >= offer.expiresAt) throw new OfferTimedOut(offer.expiresAt);
        if (now >= rx.expiresAt) throw new AppError('PRECONDITION_FAILED', msg('rx.expired', { at: shanghai(rx.expiresAt) }), { field: 'offerId' });
        await assertMayTrade(tx as unknown as Db, actor.orgId, now);
        const capability = await repo.capabilityOf(tx, actor.orgId);
        const load = (await repo.acceptedSince(tx, [actor.orgId], chinaDayStart(now))).get(actor.orgId) ?? 0;
        if (!capability || load >= capability.dailyCapacity) throw new AppError('CONFLICT', msg('rx.capacityFull'), { field: 'offerId' });
        await tx.update(rxOffer).set({ status: 'accepted', decidedAt: now, decidedByUserId: actor.userId }).where(eq(rxOffer.id, offer.id));
        const moved = await moveRx(tx, rx, 'accepted', { role: 'pharmacy', userId: actor.userId, orgId: actor.orgId }, { set: { pharmacyOrgId: actor.orgId }, data: { offerId: offer.id }, at: now });
        return view(moved);
      });
    } catch (error) {
      if (!(error instanceof OfferTimedOut)) throw error;
      await timeoutOffer(db, input.offerId, now);
      throw new AppError('PRECONDITION_FAILED', msg('rx.offerTimedOut', { at: shanghai(error.expiresAt) }), { field: 'offerId' });
    }
  });
}

/** Rejects an open offer with a reason; the prescription goes to the next candidate at once. */
export async function rejectOffer(db: Db, actor: RxActor, input: { offerId: string; reason: string }, now: Date = new Date()) {
  return audited(db, actor, 'reject_offer', input.offerId, () =>
    db.transaction(async (tx) => {
      const rxId = await repo.prescriptionOfOffer(tx, input.offerId, actor.orgId);
      const rx = rxId ? await repo.lockRx(tx, rxId) : undefined;
      const offer = rx ? await repo.lockPharmacyOffer(tx, actor.orgId, input.offerId) : undefined;
      if (!rx || !offer) throw new AppError('NOT_FOUND', msg('rx.offerNotFound'), { field: 'offerId' });
      if (offer.status !== 'offered') throw new AppError('CONFLICT', msg('rx.offerClosed', { status: offer.status }), { field: 'offerId', status: offer.status });
      await tx.update(rxOffer).set({ status: 'rejected', decidedAt: now, decidedByUserId: actor.userId, reason: input.reason }).where(eq(rxOffer.id, offer.id));
      await recordRxEvent(tx, rx, { from: rx.status, to: rx.status, mover: { role: 'pharmacy', userId: actor.userId, orgId: actor.orgId }, note: 'offer_rejected', reason: input.reason, data: { offerId: offer.id }, at: now });
      const next = rx.status === 'routed' ? await routeNext(tx, rx, now) : rx;
      return { offerId: offer.id, prescriptionStatus: next.status as RxStatus };
    }),
  );
}

/** Runs `fn` on a prescription this pharmacy accepted, as one of its pharmacists (a signed-in user). */
async function actAsPharmacist<T>(db: Db, actor: RxActor, action: string, id: string, fn: (tx: Tx, row: RxRow, mover: RxMover & { userId: string }) => Promise<T>): Promise<T> {
  return audited(db, actor, action, id, () =>
    db.transaction(async (tx) => {
      const row = await repo.lockPharmacyRx(tx, actor.orgId, id);
      if (!row) throw new AppError('NOT_FOUND', msg('rx.notFound'), { field: 'id' });
      const roles = actor.userId ? await repo.memberRoles(tx, actor.orgId, actor.userId) : [];
      if (!actor.userId || !roles.includes('pharmacist')) throw new AppError('FORBIDDEN', msg('rx.notPharmacist'), { field: 'id' });
      return fn(tx, row, { role: 'pharmacy', userId: actor.userId, orgId: actor.orgId });
    }),
  );
}

function assertStatus(row: RxRow, status: RxStatus, to: string): void {
  if (row.status !== status) throw new AppError('INVALID_TRANSITION', msg('rx.invalidTransition', { from: row.status, to }), { field: 'id' });
}

/** Accepted → dispensing, within the prescription's validity (after it the expiry job closes it). */
export async function startDispensing(db: Db, actor: RxActor, input: { id: string }, now: Date = new Date()) {
  return actAsPharmacist(db, actor, 'start_dispensing', input.id, async (tx, row, mover) => {
    if (row.status === 'accepted' && now >= row.expiresAt) throw new AppError('PRECONDITION_FAILED', msg('rx.expired', { at: shanghai(row.expiresAt) }), { field: 'id' });
    return view(await moveRx(tx, row, 'dispensing', mover, { at: now }));
  });
}

/**
 * 调配 one item: grams for all doses (rounded up to whole grams) drawn from the pharmacy's unexpired
 * lots of that herb, earliest expiry first. Short stock refuses the item, nothing drawn.
 */
export async function dispenseItem(db: Db, actor: RxActor, input: { id: string; itemId: string }, now: Date = new Date()) {
  return actAsPharmacist(db, actor, 'dispense_item', input.id, async (tx, row, mover) => {
    assertStatus(row, 'dispensing', 'dispensing');
    const item = (await repo.itemsOf(tx, row.id)).find((i) => i.id === input.itemId);
    if (!item) throw new AppError('NOT_FOUND', msg('rx.itemNotFound'), { field: 'itemId' });
    const [existing] = await tx.select().from(rxDispenseCheck).where(eq(rxDispenseCheck.itemId, item.id));
    if (existing) throw new AppError('CONFLICT', msg('rx.alreadyDispensed'), { field: 'itemId' });
    const grams = gramsToDraw(item.mg, row.doses);
    const lots = await repo.lockLotsForDraw(tx, actor.orgId, item.herbId, chinaToday(now));
    const available = lots.reduce((sum, l) => sum + (l.quantityG - l.reservedG), 0);
    if (available < grams) throw new AppError('CONFLICT', msg('rx.stockShort', { herb: item.herbName, available, grams }), { field: 'itemId', available, grams });
    let left = grams;
    for (const l of lots) {
      if (left === 0) break;
      const take = Math.min(left, l.quantityG - l.reservedG);
      // A lot keeps a positive quantity: drawing its last grams marks them held instead (none left to sell).
      const set = l.quantityG - take > 0 ? { quantityG: sql`${lot.quantityG} - ${take}` } : { reservedG: sql`${lot.quantityG}` };
      await tx.update(lot).set(set).where(eq(lot.id, l.id));
      await tx.insert(rxStockDraw).values({ id: newId('rxs'), prescriptionId: row.id, itemId: item.id, lotId: l.id, grams: take, at: now });
      left -= take;
    }
    await tx.insert(rxDispenseCheck).values({ id: newId('rxd'), prescriptionId: row.id, itemId: item.id, grams, dispensedByUserId: mover.userId, dispensedAt: now });
    await recordRxEvent(tx, row, { from: row.status, to: row.status, mover, note: 'item_dispensed', data: { itemId: item.id, herb: item.herbName, grams }, at: now });
    return { itemId: item.id, grams };
  });
}

/** 复核 of one dispensed item by a second pharmacist (not the one who dispensed it). */
export async function checkItem(db: Db, actor: RxActor, input: { id: string; itemId: string }, now: Date = new Date()) {
  return actAsPharmacist(db, actor, 'check_item', input.id, async (tx, row, mover) => {
    assertStatus(row, 'dispensing', 'dispensing');
    const [check] = await tx
      .select()
      .from(rxDispenseCheck)
      .where(and(eq(rxDispenseCheck.itemId, input.itemId), eq(rxDispenseCheck.prescriptionId, row.id)));
    if (!check) throw new AppError('PRECONDITION_FAILED', msg('rx.notDispensed'), { field: 'itemId' });
    if (check.checkedByUserId) throw new AppError('CONFLICT', msg('rx.alreadyChecked'), { field: 'itemId' });
    if (check.dispensedByUserId === mover.userId) throw new AppError('FORBIDDEN', msg('rx.secondPharmacist'), { field: 'itemId' });
    await tx
      .update(rxDispenseCheck)
      .set({ checkedByUserId: mover.userId, checkedAt: now })
      .where(and(eq(rxDispenseCheck.id, check.id), isNull(rxDispenseCheck.checkedByUserId)));
    await recordRxEvent(tx, row, { from: row.status, to: row.status, mover, note: 'item_checked', data: { itemId: input.itemId }, at: now });
    return { itemId: input.itemId, checked: true };
  });
}

function withPickupCode(next: RxStatus) {
  return next === 'ready' ? { pickupCode: newPickupCode() } : {};
}

/** The carriers a hand-over uses (the app's by default; tests give their own). */
export type HandoverCarriers = TrackingFormats & { readonly config: { simMinuteMs: number; simulatedAvailable: boolean } };

const SHIPMENT_FIELDS = new Set(['carrier', 'trackingNumber', 'parcels', 'weightG', 'toAddress', 'scenario']);

/**
 * Moves a prescription on after dispensing or decoction: a pickup code for `ready`; for `shipped`
 * the shipment (carrier, tracking number, weight, address — `planHandover`) is created in the same
 * transaction, so a refused shipment (a tracking number already used…) leaves the step undone.
 */
async function handOver(tx: Tx, row: RxRow, next: RxStatus, mover: RxMover & { userId: string }, shipmentInput: RxShipmentInput | undefined, carriers: HandoverCarriers) {
  const items = next === 'shipped' ? await repo.itemsOf(tx, row.id) : [];
  const plan = planHandover(
    next,
    row,
    items.map((i) => i.mg),
    shipmentInput,
    carriers.config,
  );
  if (!plan) return view(await moveRx(tx, row, next, mover, { set: withPickupCode(next) }));
  let created;
  try {
    created = await createShipmentForPrescription(
      tx,
      carriers,
      // The pharmacy holding it (lockPharmacyRx) is its filling pharmacy.
      { id: row.id, pharmacyOrgId: row.pharmacyOrgId ?? mover.orgId!, hospitalOrgId: row.hospitalOrgId, patientName: row.patientName, decoction: row.decoction, fulfilment: row.fulfilment },
      plan.details,
      { userId: mover.userId, orgId: mover.orgId },
    );
  } catch (error) {
    // The shipment's own refusals name its fields; here they sit under `shipment.`.
    if (isAppError(error) && error.field && SHIPMENT_FIELDS.has(error.field)) {
      throw new AppError(error.code, error.message, { ...error.details, field: `shipment.${error.field === 'toAddress' ? 'address' : error.field}` });
    }
    throw error;
  }
  const moved = await moveRx(tx, row, 'shipped', mover, {
    set: { deliveryAddress: plan.deliveryAddress },
    data: { shipmentId: created.id, carrier: created.carrier, trackingNumber: created.trackingNumber, coldChain: created.coldChain },
  });
  return { ...view(moved), shipmentId: created.id };
}

/** Every item dispensed and checked → decocting (代煎) or hand-over (ready with a pickup code | shipped with `shipment`). */
export async function finishDispensing(db: Db, actor: RxActor, input: { id: string; shipment?: RxShipmentInput | undefined }, deps: { carriers?: HandoverCarriers } = {}) {
  return actAsPharmacist(db, actor, 'finish_dispensing', input.id, async (tx, row, mover) => {
    assertStatus(row, 'dispensing', statusAfterDispensing(row));
    const [items, checks] = await Promise.all([repo.itemsOf(tx, row.id), repo.checksOf(tx, row.id)]);
    const done = new Set(checks.filter((c) => c.checkedByUserId).map((c) => c.itemId));
    const open = items.filter((i) => !done.has(i.id)).length;
    if (open > 0) throw new AppError('PRECONDITION_FAILED', msg('rx.checklistIncomplete', { count: open }), { field: 'id', count: open });
    return handOver(tx, row, statusAfterDispensing(row), mover, input.shipment, deps.carriers ?? appCarriers());
  });
}

/** One step of the decoction log (soak, 先煎, boil, 后下, second boil, pack with bags). */
export async function logDecoctionStep(db: Db, actor: RxActor, input: { id: string; step: DecoctionStep; minutes?: number | undefined; bags?: number | undefined; note?: string | undefined }, now: Date = new Date()) {
  return actAsPharmacist(db, actor, 'decoction_step', input.id, async (tx, row, mover) => {
    assertStatus(row, 'decocting', 'decocting');
    if (input.step === 'pack' && !input.bags) throw new AppError('VALIDATION', msg('rx.bagsRequired'), { field: 'bags' });
    const stepId = newId('rxc');
    await tx.insert(rxDecoctionStep).values({ id: stepId, prescriptionId: row.id, step: input.step, minutes: input.minutes ?? null, bags: input.bags ?? null, note: input.note ?? null, byUserId: mover.userId, at: now });
    await recordRxEvent(tx, row, { from: row.status, to: row.status, mover, note: 'decoction_step', data: { step: input.step, minutes: input.minutes ?? null, bags: input.bags ?? null }, at: now });
    return { stepId, step: input.step };
  });
}

/** Boiled and packed (with 先煎/后下 when items ask) → ready with a pickup code, or shipped with `shipment`. */
export async function finishDecoction(db: Db, actor: RxActor, input: { id: string; shipment?: RxShipmentInput | undefined }, deps: { carriers?: HandoverCarriers } = {}) {
  return actAsPharmacist(db, actor, 'finish_decoction', input.id, async (tx, row, mover) => {
    assertStatus(row, 'decocting', statusAfterDecoction(row));
    const [items, steps] = await Promise.all([repo.itemsOf(tx, row.id), repo.decoctionStepsOf(tx, row.id)]);
    const missing = missingDecoctionSteps(
      steps.map((s) => s.step),
      items.map((i) => i.handling),
    );
    if (missing.length > 0) throw new AppError('PRECONDITION_FAILED', msg('rx.decoctionIncomplete', { steps: { zh: missing.map((m) => DECOCTION_STEP_NAMES[m].zh).join('、'), en: missing.map((m) => DECOCTION_STEP_NAMES[m].en).join(', ') } }), { field: 'id', missing });
    return handOver(tx, row, statusAfterDecoction(row), mover, input.shipment, deps.carriers ?? appCarriers());
  });
}

/** The patient shows the pickup code: picked up, then completed. */
export async function confirmPickup(db: Db, actor: RxActor, input: { id: string; code: string }) {
  return actAsPharmacist(db, actor, 'pickup', input.id, async (tx, row, mover) => {
    assertStatus(row, 'ready', 'picked_up');
    if (row.pickupCode !== input.code) throw new AppError('VALIDATION', msg('rx.pickupCodeWrong'), { field: 'code' });
    const picked = await moveRx(tx, row, 'picked_up', mover);
    return view(await moveRx(tx, picked, 'completed', RX_SYSTEM));
  });
}

/**
 * Delivery confirmed by the pharmacy (its own courier, or a prescription shipped before carrier
 * tracking): delivered, then completed. A prescription a carrier is tracking completes when the
 * carrier reports delivery (with the patient's recipient code) — refused here unless it came back.
 */
export async function confirmDelivered(db: Db, actor: RxActor, input: { id: string }) {
  return actAsPharmacist(db, actor, 'delivered', input.id, async (tx, row, mover) => {
    const tracked = await prescriptionShipment(tx, row.id);
    if (tracked && tracked.state !== 'returned') throw new AppError('PRECONDITION_FAILED', msg('rx.deliveredByCarrier'), { field: 'id' });
    const delivered = await moveRx(tx, row, 'delivered', mover);
    return view(await moveRx(tx, delivered, 'completed', RX_SYSTEM));
  });
}

/** For tests and tools: a prescription row regardless of org (system use only). */
export async function rxRowForSystem(db: DbOrTx, id: string) {
  const [row] = await db.select().from(prescription).where(eq(prescription.id, id));
  return row;
}
