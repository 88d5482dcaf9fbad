import { randomBytes, randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { carrierWebhookDelivery, shipment, shipmentAlert, shipmentEvent, shipmentTemperature, type ShipmentAddress } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import type { CarrierCode, NormalizedCarrierEvent, ProofOfDelivery, TemperatureReading, WebhookError } from '../../integrations/carriers/carriers.port.ts';
import { signatureHash } from '../../integrations/carriers/signature.core.ts';
import { phaseMinutes, simTrackingNumber, simulationSteps, type SimPhase, type SimScenario } from '../../integrations/carriers/simulated.core.ts';
import { createLogger } from '../../integrations/carriers/log.ts';
import { announce } from '../../integrations/live/live.jobs.ts';
import { liveTopics } from '../../integrations/live/live.port.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { lockRx } from '../prescriptions/prescriptions.repo.ts';
import { moveRx, recordRxEvent, RX_SYSTEM } from '../prescriptions/prescriptions.transitions.ts';
import {
  attemptsAfter,
  compareKeys,
  decideEvent,
  decisionTarget,
  decisionTime,
  defaultEta,
  excursionEpisode,
  isExcursion,
  isLate,
  isShipmentState,
  maskPhone,
  STATE_RANK,
  targetState,
  type CarrierEventType,
  type ExceptionReason,
  type IgnoredReason,
  type ShipmentActor,
  type ShipmentCursor,
  type ShipmentDecision,
  type ShipmentParty,
  type ShipmentState,
} from './shipments.core.ts';
import { notifyJob, simulateStepJob } from './shipments.jobs.ts';
import * as repo from './shipments.repo.ts';
import type { ShipmentRow } from './shipments.repo.ts';
import { shipmentDetailsInput, type ShipmentDetails } from './shipments.schemas.ts';

/** The caller: a user (or API key, userId null) acting for an organisation. */
export interface ShipmentActorRef {
  userId: string | null;
  orgId: string;
}

const accessLog = createLogger();

const CARRIER_NAMES: Record<string, string> = { sf: '顺丰速运', jd: '京东物流', sim: '模拟承运商' };

/** Where `carriers` (for tracking-number formats and simulation) comes from; the app passes `appCarriers()`. */
export interface TrackingFormats {
  get(code: string): { validTrackingNumber(n: string): boolean; simulated: boolean } | null;
  readonly config: { simMinuteMs: number };
}

// ---------------------------------------------------------------------------------------------------
// Creating shipments (called inside the orders "ship" and the prescription hand-over transactions)

interface NewShipment {
  orderId: string | null;
  prescriptionId: string | null;
  senderOrgId: string;
  receiverOrgId: string | null;
  observerOrgId: string | null;
  receiverName: string;
  fromAddress: ShipmentAddress;
  toAddress: ShipmentAddress;
  coldChain: boolean;
  recipientCode: string | null;
}

async function insertShipment(tx: Tx, carriers: TrackingFormats, base: NewShipment, raw: ShipmentDetails, actor: { userId: string | null; orgId: string | null }, now: Date) {
  const details = shipmentDetailsInput.parse(raw);
  const carrier = carriers.get(details.carrier);
  if (!carrier) throw new AppError('VALIDATION', msg('shipments.unknownCarrier', { carrier: details.carrier }), { field: 'carrier' });
  if (!carrier.simulated && !details.trackingNumber) throw new AppError('VALIDATION', msg('shipments.trackingNumberRequired'), { field: 'trackingNumber' });
  if (details.trackingNumber && !carrier.validTrackingNumber(details.trackingNumber)) {
    throw new AppError('VALIDATION', msg('shipments.trackingNumberFormat', { carrier: CARRIER_NAMES[details.carrier] ?? details.carrier }), { field: 'trackingNumber' });
  }
  const coldChain = details.coldChain ?? base.coldChain;
  const scenario: SimScenario = details.scenario ?? 'normal';
  const simMinutes = carrier.simulated ? phaseMinutes(simulationSteps(scenario, 'outbound', coldChain)) : 0;
  const eta = details.eta ? new Date(details.eta) : carrier.simulated ? new Date(now.getTime() + simMinutes * carriers.config.simMinuteMs * 1.5) : defaultEta(now, coldChain);
  const toAddress = details.toAddress ? { ...details.toAddress, phone: details.toAddress.phone ?? null } : base.toAddress;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const trackingNumber = details.trackingNumber ?? simTrackingNumber(randomBytes(10));
    const id = newId('shp', now.getTime());
    const [row] = await tx
      .insert(shipment)
      .values({
        id,
        orderId: base.orderId,
        prescriptionId: base.prescriptionId,
        senderOrgId: base.senderOrgId,
        receiverOrgId: base.receiverOrgId,
        observerOrgId: base.observerOrgId,
        receiverName: base.receiverName,
        carrier: details.carrier,
        trackingNumber,
        parcels: details.parcels,
        weightG: details.weightG,
        coldChain,
        fromAddress: base.fromAddress,
        toAddress,
        eta,
        state: 'created',
        recipientCode: base.recipientCode,
        simulation: carrier.simulated ? { scenario, round: 0 } : null,
        createdByUserId: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [shipment.carrier, shipment.trackingNumber] })
      .returning();
    if (!row) {
      if (details.trackingNumber) throw new AppError('CONFLICT', msg('shipments.trackingNumberTaken', { trackingNumber }), { field: 'trackingNumber' });
      continue; // a generated number collided: draw another
    }
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: actor.orgId,
      orgId: row.senderOrgId,
      action: 'shipment.created',
      entityType: 'shipment',
      entityId: row.id,
      data: { orderId: row.orderId, prescriptionId: row.prescriptionId, carrier: row.carrier, trackingNumber: row.trackingNumber, parcels: row.parcels, weightG: row.weightG, coldChain: row.coldChain, receiverOrgId: row.receiverOrgId },
    });
    if (carrier.simulated) await scheduleSimulation(tx, carriers, row, 'outbound', 0, now);
    await announceShipment(tx, row, 'shipment.created', now);
    return row;
  }
  throw new AppError('CONFLICT', msg('shipments.trackingNumberTaken', { trackingNumber: 'SIM…' }), { field: 'trackingNumber' });
}

async function scheduleSimulation(tx: Tx, carriers: TrackingFormats, row: ShipmentRow, phase: SimPhase, round: number, now: Date) {
  const scenario = (row.simulation?.scenario ?? 'normal') as SimScenario;
  const first = simulationSteps(scenario, phase, row.coldChain)[0];
  if (!first) return;
  await enqueue(
    tx,
    simulateStepJob,
    { shipmentId: row.id, phase, round, index: 0 },
    { runAt: new Date(now.getTime() + first.afterMinutes * carriers.config.simMinuteMs), dedupeKey: `shipments.simulate:${row.id}:${phase}:${round}:0` },
  );
}

/**
 * Creates the shipment of an order the seller is shipping, inside the caller's transaction (the
 * orders "ship" step): sender = seller, receiver = buyer, addresses from their profiles unless a
 * delivery address is given. A tracking number already used with the carrier is CONFLICT naming
 * `trackingNumber`, which rolls the ship step back.
 */
export async function createShipmentForOrder(
  tx: Tx,
  carriers: TrackingFormats,
  orderRow: { id: string; sellerOrgId: string; buyerOrgId: string },
  details: ShipmentDetails,
  actor: { userId: string | null; orgId: string | null },
  now: Date = new Date(),
): Promise<ShipmentRow> {
  const [from, to] = await Promise.all([repo.orgAddress(tx, orderRow.sellerOrgId), repo.orgAddress(tx, orderRow.buyerOrgId)]);
  if (!from || !to) throw new AppError('NOT_FOUND', msg('shipments.orderNotFound'), { field: 'orderId' });
  const address = (a: NonNullable<typeof from>): ShipmentAddress => ({ name: a.name, address: a.address ?? '', regionCode: a.regionCode ?? null, lat: a.lat ?? null, lng: a.lng ?? null });
  return insertShipment(
    tx,
    carriers,
    {
      orderId: orderRow.id,
      prescriptionId: null,
      senderOrgId: orderRow.sellerOrgId,
      receiverOrgId: orderRow.buyerOrgId,
      observerOrgId: null,
      receiverName: to.name,
      fromAddress: address(from),
      toAddress: address(to),
      coldChain: false,
      recipientCode: null,
    },
    details,
    actor,
    now,
  );
}

/**
 * Creates the shipment of a prescription the pharmacy hands to a carrier (delivery fulfilment),
 * inside the caller's transaction: sender = pharmacy, receiver = the patient (masked name, the
 * address given), observer = the issuing hospital. Decocted medicine ships cold by default. The
 * patient gets a 6-digit recipient code (show it on the status link); the courier's delivery must
 * carry it.
 */
export async function createShipmentForPrescription(
  tx: Tx,
  carriers: TrackingFormats,
  rx: { id: string; pharmacyOrgId: string; hospitalOrgId: string; patientName: string; decoction: boolean; fulfilment: string },
  details: ShipmentDetails & { toAddress: NonNullable<ShipmentDetails['toAddress']> },
  actor: { userId: string | null; orgId: string | null },
  now: Date = new Date(),
): Promise<ShipmentRow> {
  if (rx.fulfilment !== 'delivery') throw new AppError('PRECONDITION_FAILED', msg('shipments.prescriptionNotForDelivery'), { field: 'id' });
  if (!details.toAddress) throw new AppError('VALIDATION', msg('shipments.addressRequired'), { field: 'toAddress' });
  const from = await repo.orgAddress(tx, rx.pharmacyOrgId);
  if (!from) throw new AppError('NOT_FOUND', msg('shipments.prescriptionNotFound'), { field: 'prescriptionId' });
  return insertShipment(
    tx,
    carriers,
    {
      orderId: null,
      prescriptionId: rx.id,
      senderOrgId: rx.pharmacyOrgId,
      receiverOrgId: null,
      observerOrgId: rx.hospitalOrgId,
      receiverName: rx.patientName,
      fromAddress: { name: from.name, address: from.address ?? '', regionCode: from.regionCode ?? null, lat: from.lat ?? null, lng: from.lng ?? null },
      toAddress: { ...details.toAddress, name: rx.patientName, phone: details.toAddress.phone ? maskPhone(details.toAddress.phone) : null },
      coldChain: rx.decoction,
      recipientCode: String(randomInt(0, 1_000_000)).padStart(6, '0'),
    },
    { ...details, toAddress: undefined },
    actor,
    now,
  );
}

// ---------------------------------------------------------------------------------------------------
// Recording events (carrier webhooks and party decisions): one function, one set of rules

/** Refusal of a webhook delivery inside the ingestion transaction (rolled back, answered by the handler). */
export class WebhookRefusal extends Error {
  constructor(readonly error: WebhookError) {
    super(error.code);
    this.name = 'WebhookRefusal';
  }
}

interface RecordableEvent {
  carrierEventId: string;
  source: ShipmentActor;
  /** The type stored on the timeline (carrier types, or the decision: redeliver / return). */
  type: CarrierEventType | 'redeliver' | 'return';
  /** The status it reports (decisions: the state they lead to). */
  moveAs: CarrierEventType;
  carrierCode: string | null;
  eventAt: Date;
  location: string | null;
  description: string | null;
  exceptionReason: ExceptionReason | null;
  pod: ProofOfDelivery | null;
  temperatures: TemperatureReading[];
  eta: Date | null;
  raw: unknown;
  actorUserId?: string | null;
  actorOrgId?: string | null;
  data?: Record<string, unknown>;
}

export type EventOutcome = { outcome: 'applied'; from: ShipmentState; to: ShipmentState } | { outcome: 'ignored'; reason: IgnoredReason } | { outcome: 'duplicate' };

const cursorOf = (row: ShipmentRow): ShipmentCursor => ({
  state: isShipmentState(row.state) ? row.state : 'created',
  direction: row.direction === 'return' ? 'return' : 'forward',
  lastEventAt: row.lastEventAt,
  lastEventRank: row.lastEventRank,
  lastEventKey: row.lastEventKey,
});

async function raiseAlert(tx: Tx, row: ShipmentRow, kind: 'exception' | 'recipient_check_failed', at: Date, data: Record<string, unknown>): Promise<void> {
  const alertId = newId('sha');
  await tx.insert(shipmentAlert).values({ id: alertId, shipmentId: row.id, kind, startedAt: at, lastAt: at, data });
  await appendAudit(tx, { orgId: row.senderOrgId, action: `shipment.alert.${kind}`, entityType: 'shipment', entityId: row.id, data: { alertId, ...data } });
  await enqueue(tx, notifyJob, { shipmentId: row.id, alertId, kind }, { dedupeKey: `shipments.notify:${alertId}` });
}

/**
 * Records one event for a locked shipment and applies it when the rules say so: deduplicated by
 * (carrier, carrier event id), decided by `decideEvent` (event time, rank, id), with its readings,
 * excursion alerts, proof of delivery, audit entry and notifications, all in `tx`.
 */
async function recordEvent(tx: Tx, row: ShipmentRow, event: RecordableEvent, now: Date, extraSet: Partial<typeof shipment.$inferInsert> = {}): Promise<{ row: ShipmentRow; result: EventOutcome }> {
  const cursor = cursorOf(row);
  const decision = decideEvent(cursor, { key: event.carrierEventId, type: event.moveAs, at: event.eventAt, by: event.source, recipientCode: event.pod?.recipientCode ?? null }, { recipientCode: row.recipientCode });
  const eventRowId = newId('she', now.getTime());
  const [inserted] = await tx
    .insert(shipmentEvent)
    .values({
      id: eventRowId,
      shipmentId: row.id,
      carrier: row.carrier,
      carrierEventId: event.carrierEventId,
      source: event.source,
      type: event.type,
      carrierCode: event.carrierCode,
      eventAt: event.eventAt,
      receivedAt: now,
      location: event.location,
      description: event.description,
      fromState: row.state,
      toState: decision.applied ? decision.to : null,
      applied: decision.applied,
      ignoredReason: decision.applied ? null : decision.reason,
      actorUserId: event.actorUserId ?? null,
      actorOrgId: event.actorOrgId ?? null,
      data: {
        ...event.data,
        ...(event.exceptionReason ? { exceptionReason: event.exceptionReason } : {}),
        ...(event.pod ? { pod: { signer: event.pod.signer, photoRef: event.pod.photoRef, check: event.pod.check } } : {}),
        ...(event.temperatures.length > 0 ? { readings: event.temperatures.length } : {}),
      },
      payload: event.raw ?? null,
    })
    .onConflictDoNothing({ target: [shipmentEvent.carrier, shipmentEvent.carrierEventId] })
    .returning({ id: shipmentEvent.id });
  if (!inserted) return { row, result: { outcome: 'duplicate' } };

  const set: Partial<typeof shipment.$inferInsert> = { ...extraSet, updatedAt: now };
  const attempts = attemptsAfter(row.deliveryAttempts, event.moveAs);
  if (attempts !== row.deliveryAttempts) set.deliveryAttempts = attempts;
  if (event.eta && decision.applied) set.eta = event.eta;
  let result: EventOutcome;
  if (decision.applied) {
    const to = decision.to;
    Object.assign(set, { state: to, lastEventAt: decision.cursor.lastEventAt, lastEventRank: decision.cursor.lastEventRank, lastEventKey: decision.cursor.lastEventKey });
    if (to === 'exception') set.exceptionReason = event.exceptionReason ?? 'other';
    if (to === 'delivered' || to === 'returned') {
      set.deliveredAt = event.eventAt;
      if (event.pod) Object.assign(set, { podSigner: event.pod.signer, podAt: event.eventAt, podPhotoRef: event.pod.photoRef, podCheck: event.pod.check });
    }
    await appendAudit(tx, {
      actorUserId: event.actorUserId ?? null,
      actorOrgId: event.actorOrgId ?? null,
      orgId: row.senderOrgId,
      action: 'shipment.state_changed',
      entityType: 'shipment',
      entityId: row.id,
      data: { from: decision.from, to, source: event.source, type: event.type, carrierEventId: event.carrierEventId, eventAt: event.eventAt.toISOString(), exceptionReason: to === 'exception' ? (event.exceptionReason ?? 'other') : null, receiverOrgId: row.receiverOrgId },
    });
    if (to === 'exception') await raiseAlert(tx, row, 'exception', event.eventAt, { reason: event.exceptionReason ?? 'other', by: event.source, eventId: inserted.id });
    if (to === 'delivered' || to === 'returned') await enqueue(tx, notifyJob, { shipmentId: row.id, kind: to }, { dedupeKey: `shipments.notify:${row.id}:${to}` });
    if (row.prescriptionId && (to === 'delivered' || to === 'returned' || to === 'exception')) await followPrescription(tx, row, row.prescriptionId, to, event, now);
    result = { outcome: 'applied', from: decision.from, to };
  } else {
    if (decision.reason === 'recipient_check_failed') await raiseAlert(tx, row, 'recipient_check_failed', event.eventAt, { eventId: inserted.id, signer: event.pod?.signer ?? null });
    result = { outcome: 'ignored', reason: decision.reason };
  }

  if (event.temperatures.length > 0) {
    const excursions = await recordReadings(tx, row, inserted.id, event.temperatures);
    if (excursions > 0) set.hasExcursion = true;
  }
  const [updated] = await tx.update(shipment).set(set).where(eq(shipment.id, row.id)).returning();
  await announceShipment(tx, row, 'shipment.event', now);
  return { row: updated ?? row, result };
}

/**
 * The prescription follows its shipment, in the same transaction: delivered (the courier got the
 * patient's recipient code) → the prescription is delivered, then completed, by the system; an
 * exception or a return is a note on its timeline for the hospital (it stays shipped). Only a
 * prescription still `shipped` moves, so a duplicate or late event changes nothing twice.
 */
async function followPrescription(tx: Tx, row: ShipmentRow, prescriptionId: string, to: 'delivered' | 'returned' | 'exception', event: RecordableEvent, now: Date): Promise<void> {
  const rx = await lockRx(tx, prescriptionId);
  if (!rx || rx.status !== 'shipped') return;
  const data = { shipmentId: row.id, carrier: row.carrier, trackingNumber: row.trackingNumber };
  if (to === 'delivered') {
    const delivered = await moveRx(tx, rx, 'delivered', RX_SYSTEM, { data: { ...data, check: event.pod?.check ?? null, signer: event.pod?.signer ?? null }, at: now });
    await moveRx(tx, delivered, 'completed', RX_SYSTEM, { at: now });
    return;
  }
  await recordRxEvent(tx, rx, {
    from: rx.status,
    to: rx.status,
    mover: RX_SYSTEM,
    note: to === 'returned' ? 'shipment_returned' : 'shipment_exception',
    data: { ...data, ...(to === 'exception' ? { exceptionReason: event.exceptionReason ?? 'other' } : {}) },
    at: now,
  });
}

/** Tells every open timeline of this shipment (and the patient's status page of its prescription) that it changed. */
async function announceShipment(tx: Tx, row: Pick<ShipmentRow, 'id' | 'prescriptionId'>, kind: string, now: Date): Promise<void> {
  await announce(tx, liveTopics.shipment(row.id), kind, now);
  if (row.prescriptionId) await announce(tx, liveTopics.prescription(row.prescriptionId), kind, now);
}

/** Stores readings (a reading already stored for that instant is skipped) and answers the new excursions. */
async function recordReadings(tx: Tx, row: ShipmentRow, eventId: string, readings: readonly TemperatureReading[]): Promise<number> {
  const values = readings.map((r) => ({ id: newId('sht'), shipmentId: row.id, readingAt: r.at, celsius: r.celsius, excursion: row.coldChain && isExcursion(r.celsius), eventId }));
  const stored = await tx
    .insert(shipmentTemperature)
    .values(values)
    .onConflictDoNothing({ target: [shipmentTemperature.shipmentId, shipmentTemperature.readingAt] })
    .returning({ readingAt: shipmentTemperature.readingAt, celsius: shipmentTemperature.celsius, excursion: shipmentTemperature.excursion });
  const excursions = stored.filter((r) => r.excursion).sort((a, b) => a.readingAt.getTime() - b.readingAt.getTime());
  if (excursions.length === 0) return 0;
  const alerts = await repo.excursionAlertsOf(tx, row.id);
  for (const reading of excursions) {
    const episode = excursionEpisode(alerts, reading.readingAt);
    if (episode) {
      const current = alerts.find((a) => a.id === episode.id)!;
      const next = {
        startedAt: new Date(Math.min(current.startedAt.getTime(), reading.readingAt.getTime())),
        lastAt: new Date(Math.max(current.lastAt.getTime(), reading.readingAt.getTime())),
        readings: current.readings + 1,
        minCelsius: Math.min(current.minCelsius ?? reading.celsius, reading.celsius),
        maxCelsius: Math.max(current.maxCelsius ?? reading.celsius, reading.celsius),
      };
      await tx.update(shipmentAlert).set(next).where(eq(shipmentAlert.id, current.id));
      Object.assign(current, next);
      continue;
    }
    const alertId = newId('sha');
    const created = { id: alertId, shipmentId: row.id, kind: 'temperature_excursion', startedAt: reading.readingAt, lastAt: reading.readingAt, readings: 1, minCelsius: reading.celsius, maxCelsius: reading.celsius, data: { rangeC: [2, 8] }, createdAt: new Date() };
    await tx.insert(shipmentAlert).values(created);
    alerts.push(created);
    await appendAudit(tx, { orgId: row.senderOrgId, action: 'shipment.alert.temperature_excursion', entityType: 'shipment', entityId: row.id, data: { alertId, at: reading.readingAt.toISOString(), celsius: reading.celsius, receiverOrgId: row.receiverOrgId } });
    await enqueue(tx, notifyJob, { shipmentId: row.id, alertId, kind: 'temperature_excursion' }, { dedupeKey: `shipments.notify:${alertId}` });
  }
  return excursions.length;
}

export interface DeliveryResult {
  events: number;
  applied: number;
  ignored: number;
  duplicates: number;
  results: { carrierEventId: string; trackingNumber: string; outcome: EventOutcome['outcome']; state?: ShipmentState; reason?: IgnoredReason }[];
}

/**
 * Ingests one verified webhook delivery, all or nothing, in one transaction: each event in
 * event-time order against its shipment (locked), then the delivery's signature (the same signed
 * delivery again is a replay: 401, nothing changed). An event for a tracking number
 * the platform does not know refuses the whole delivery (404 naming the field): nothing is written.
 */
export async function ingestCarrierDelivery(
  db: Db,
  delivery: { carrier: CarrierCode; signature: string; signedAt: Date; events: readonly NormalizedCarrierEvent[] },
  now: Date = new Date(),
): Promise<DeliveryResult> {
  return db.transaction(async (tx) => {
    const key = (e: NormalizedCarrierEvent) => ({ at: e.eventAt.getTime(), rank: e.type === 'temperature' || e.type === 'unknown' ? -1 : STATE_RANK[targetState({ direction: 'forward' }, e.type)], key: e.carrierEventId });
    const ordered = [...delivery.events].sort((a, b) => compareKeys(key(a), key(b)));
    const shipments = new Map<string, ShipmentRow>();
    const out: DeliveryResult = { events: ordered.length, applied: 0, ignored: 0, duplicates: 0, results: [] };
    for (const e of ordered) {
      const row = shipments.get(e.trackingNumber) ?? (await repo.lockByTracking(tx, delivery.carrier, e.trackingNumber));
      if (!row) throw new WebhookRefusal({ status: 404, code: 'unknown_tracking_number', message: msg('webhook.unknownTracking', { trackingNumber: e.trackingNumber }), field: e.trackingField });
      const { row: next, result } = await recordEvent(tx, row, { ...e, source: 'carrier', moveAs: e.type }, now);
      shipments.set(e.trackingNumber, next);
      if (result.outcome === 'applied') out.applied += 1;
      else if (result.outcome === 'ignored') out.ignored += 1;
      else out.duplicates += 1;
      out.results.push({
        carrierEventId: e.carrierEventId,
        trackingNumber: e.trackingNumber,
        outcome: result.outcome,
        ...(result.outcome === 'applied' ? { state: result.to } : {}),
        ...(result.outcome === 'ignored' ? { reason: result.reason } : {}),
      });
    }
    // The signed delivery is recorded last (one statement less); the same signature again conflicts here
    // — waiting for a concurrent twin to commit — and the whole delivery rolls back as a replay.
    const [recorded] = await tx
      .insert(carrierWebhookDelivery)
      .values({ id: newId('cwd', now.getTime()), carrier: delivery.carrier, signatureHash: signatureHash(delivery.signature), signedAt: delivery.signedAt, receivedAt: now, events: delivery.events.length, applied: out.applied, duplicates: out.duplicates })
      .onConflictDoNothing({ target: [carrierWebhookDelivery.carrier, carrierWebhookDelivery.signatureHash] })
      .returning({ id: carrierWebhookDelivery.id });
    if (!recorded) throw new WebhookRefusal({ status: 401, code: 'replayed', message: msg('webhook.replayed'), field: null });
    return out;
  });
}

// ---------------------------------------------------------------------------------------------------
// Party decisions: exception, re-delivery, return

function partyRole(row: ShipmentRow, orgId: string): ShipmentParty {
  // The issuing hospital acts for its patient (who has no account).
  return row.senderOrgId === orgId ? 'sender' : 'receiver';
}

async function decide(
  db: Db,
  carriers: TrackingFormats,
  actor: ShipmentActorRef,
  id: string,
  decision: ShipmentDecision,
  extra: { reason?: ExceptionReason; note?: string | undefined; toAddress?: ShipmentAddress | undefined },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const row = await repo.lockPartyShipment(tx, actor.orgId, id);
    if (!row) throw new AppError('NOT_FOUND', msg('shipments.notFound'), { field: 'id' });
    const party = partyRole(row, actor.orgId);
    const target = decisionTarget(row.state, decision, party, extra.reason);
    const at = decisionTime(cursorOf(row), now);
    const set: Partial<typeof shipment.$inferInsert> = {};
    if (target.direction) set.direction = target.direction;
    if (extra.toAddress) set.toAddress = extra.toAddress;
    const round = (row.simulation?.round ?? 0) + 1;
    if (row.simulation) set.simulation = { ...row.simulation, round };
    // The decision is recorded as an event of its own (`party:<id>`), through the same rules.
    const rowForDecision = target.direction ? { ...row, direction: target.direction } : row;
    const { row: updated, result } = await recordEvent(
      tx,
      rowForDecision,
      {
        carrierEventId: `party:${newId('she', now.getTime())}`,
        source: party,
        type: decision === 'report_exception' ? 'exception' : decision,
        moveAs: target.to === 'exception' ? 'exception' : 'in_transit',
        carrierCode: null,
        eventAt: at,
        location: null,
        description: extra.note ?? null,
        exceptionReason: extra.reason ?? null,
        pod: null,
        temperatures: [],
        eta: null,
        raw: null,
        actorUserId: actor.userId,
        actorOrgId: actor.orgId,
        data: { decision, ...(extra.toAddress ? { addressChanged: true } : {}) },
      },
      now,
      set,
    );
    if (result.outcome !== 'applied') throw new AppError('INVALID_TRANSITION', msg('shipments.invalidTransition', { from: row.state, to: decision }), { field: 'id' });
    // The simulated carrier plays on: a new attempt, or the way back.
    const carrier = carriers.get(row.carrier);
    if (carrier?.simulated && decision !== 'report_exception') await scheduleSimulation(tx, carriers, updated, decision === 'return' ? 'return' : 'redelivery', round, now);
    return { id: updated.id, state: updated.state as ShipmentState, direction: updated.direction };
  });
}

/** Sender or receiver reports damage, a refusal (receiver only) or an address problem on the way. */
export function reportException(db: Db, carriers: TrackingFormats, actor: ShipmentActorRef, input: { id: string; reason: ExceptionReason; note?: string | undefined }, now: Date = new Date()) {
  return decide(db, carriers, actor, input.id, 'report_exception', { reason: input.reason, note: input.note }, now);
}

/** Deliver again after an exception, optionally to a corrected address. */
export function redeliver(db: Db, carriers: TrackingFormats, actor: ShipmentActorRef, input: { id: string; toAddress?: (Omit<ShipmentAddress, 'phone'> & { phone?: string | undefined }) | undefined; note?: string | undefined }, now: Date = new Date()) {
  const toAddress = input.toAddress ? { ...input.toAddress, phone: input.toAddress.phone ?? null } : undefined;
  return decide(db, carriers, actor, input.id, 'redeliver', { note: input.note, toAddress }, now);
}

/** The sender has it sent back after an exception. */
export function returnShipment(db: Db, carriers: TrackingFormats, actor: ShipmentActorRef, input: { id: string; note?: string | undefined }, now: Date = new Date()) {
  return decide(db, carriers, actor, input.id, 'return', { note: input.note }, now);
}

// ---------------------------------------------------------------------------------------------------
// Reading

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summary(row: ShipmentRow, names: Map<string, string>, now: Date) {
  return {
    id: row.id,
    state: row.state as ShipmentState,
    direction: row.direction as 'forward' | 'return',
    carrier: row.carrier,
    carrierName: CARRIER_NAMES[row.carrier] ?? row.carrier,
    trackingNumber: row.trackingNumber,
    orderId: row.orderId,
    prescriptionId: row.prescriptionId,
    sender: { id: row.senderOrgId, name: names.get(row.senderOrgId) ?? row.senderOrgId },
    receiver: { id: row.receiverOrgId, name: row.receiverName },
    parcels: row.parcels,
    weightG: row.weightG,
    coldChain: row.coldChain,
    hasExcursion: row.hasExcursion,
    eta: iso(row.eta),
    late: isLate(row, now),
    exceptionReason: row.state === 'exception' ? row.exceptionReason : null,
    lastEventAt: iso(row.lastEventAt),
    deliveredAt: iso(row.deliveredAt),
    createdAt: row.createdAt.toISOString(),
  };
}

/** One shipment the caller's org is a party to (sender, receiver, issuing hospital); otherwise NOT_FOUND. */
export async function getShipment(db: DbOrTx, actor: ShipmentActorRef, id: string, now: Date = new Date()) {
  const row = await repo.findPartyShipment(db, actor.orgId, id);
  if (!row) {
    // Unknown, or another organisation's: the same answer, and a log line for whoever watches for probing.
    accessLog('warn', 'shipment read refused', { shipmentId: id, orgId: actor.orgId, userId: actor.userId });
    throw new AppError('NOT_FOUND', msg('shipments.notFound'), { field: 'id' });
  }
  const [events, temperatures, alerts, names] = await Promise.all([repo.eventsOf(db, row.id), repo.temperaturesOf(db, row.id), repo.alertsOf(db, row.id), repo.orgNames(db, [row.senderOrgId])]);
  const side: ShipmentParty | 'observer' = row.senderOrgId === actor.orgId ? 'sender' : row.receiverOrgId === actor.orgId ? 'receiver' : 'observer';
  return {
    ...summary(row, names, now),
    side,
    deliveryAttempts: row.deliveryAttempts,
    fromAddress: row.fromAddress,
    toAddress: row.toAddress,
    pod: row.podAt ? { signer: row.podSigner, at: row.podAt.toISOString(), photoRef: row.podPhotoRef, check: row.podCheck } : null,
    /**
     * Whether the courier must take the patient's recipient code to deliver. The code itself is shown
     * to the patient alone (the status link): a party that could read it, the sending pharmacy
     * included, could confirm a delivery that never reached the patient.
     */
    recipientCheck: row.recipientCode !== null,
    timeline: events.map((e) => ({
      id: e.id,
      type: e.type,
      source: e.source,
      carrierCode: e.carrierCode,
      at: e.eventAt.toISOString(),
      receivedAt: e.receivedAt.toISOString(),
      location: e.location,
      description: e.description,
      from: e.fromState,
      to: e.toState,
      applied: e.applied,
      ignoredReason: e.ignoredReason,
      data: e.data,
    })),
    temperatures: temperatures.map((t) => ({ at: t.readingAt.toISOString(), celsius: t.celsius, excursion: t.excursion })),
    alerts: alerts.map((a) => ({ id: a.id, kind: a.kind, startedAt: a.startedAt.toISOString(), lastAt: a.lastAt.toISOString(), readings: a.readings, minCelsius: a.minCelsius, maxCelsius: a.maxCelsius, data: a.data })),
  };
}
export type ShipmentDetail = Awaited<ReturnType<typeof getShipment>>;

/** The org's shipments, newest first, with filters (late, in exception, cold chain, state, side). */
export async function listShipments(db: DbOrTx, actor: ShipmentActorRef, filters: repo.ListFilters, now: Date = new Date()) {
  const rows = await repo.listPartyShipments(db, actor.orgId, filters, now);
  const page = rows.slice(0, filters.limit);
  const names = await repo.orgNames(
    db,
    page.map((r) => r.senderOrgId),
  );
  return { items: page.map((r) => summary(r, names, now)), nextCursor: rows.length > filters.limit ? (page[page.length - 1]?.id ?? null) : null };
}

/** The latest shipment of a prescription (callers have checked the caller may see the prescription). */
export function prescriptionShipment(db: DbOrTx, prescriptionId: string): Promise<ShipmentRow | undefined> {
  return repo.latestOfPrescription(db, prescriptionId);
}

/**
 * What the hospital and the filling pharmacy see of a prescription's shipment on its page: carrier,
 * tracking number, state, cold chain and excursion (details behind the link to the shipment page).
 */
export async function prescriptionShipmentSummary(db: DbOrTx, prescriptionId: string, now: Date = new Date()) {
  const row = await repo.latestOfPrescription(db, prescriptionId);
  if (!row) return null;
  return {
    id: row.id,
    state: row.state as ShipmentState,
    carrier: row.carrier,
    carrierName: CARRIER_NAMES[row.carrier] ?? row.carrier,
    trackingNumber: row.trackingNumber,
    coldChain: row.coldChain,
    hasExcursion: row.hasExcursion,
    eta: iso(row.eta),
    late: isLate(row, now),
    deliveredAt: iso(row.deliveredAt),
  };
}

/**
 * The patient's view of a prescription's shipment (for the no-login status link): state, carrier,
 * tracking number, ETA, the recipient code to give the courier, the timeline's applied steps and any
 * temperature alert. No addresses, no organisation data.
 */
export async function publicTrackingForPrescription(db: DbOrTx, prescriptionId: string, now: Date = new Date()) {
  const row = await repo.latestOfPrescription(db, prescriptionId);
  if (!row) return null;
  const [events, alerts] = await Promise.all([repo.eventsOf(db, row.id), repo.alertsOf(db, row.id)]);
  return {
    state: row.state as ShipmentState,
    carrierName: CARRIER_NAMES[row.carrier] ?? row.carrier,
    trackingNumber: row.trackingNumber,
    eta: iso(row.eta),
    late: isLate(row, now),
    coldChain: row.coldChain,
    recipientCode: row.state === 'delivered' || row.state === 'returned' ? null : row.recipientCode,
    steps: events.filter((e) => e.applied).map((e) => ({ to: e.toState, at: e.eventAt.toISOString(), location: e.location, description: e.description })),
    temperatureAlert: alerts.some((a) => a.kind === 'temperature_excursion'),
  };
}
