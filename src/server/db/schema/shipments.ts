import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization } from './auth.ts';
import { order } from './orders.ts';
import { prescription } from './prescriptions.ts';

/**
 * Delivery tracking (DOMAIN.md "Delivery"): a shipment belongs to an order or a prescription, moves
 * along `SHIPMENT_TRANSITIONS` in `domains/delivery/shipments.core.ts` as carrier events arrive
 * (signed webhooks, deduplicated by carrier event id, ordered by event time) or as a party decides
 * (exception, re-delivery, return). Cold-chain shipments store temperature readings; an excursion
 * outside 2–8 °C is an alert every party sees. Mass in integer grams, times UTC.
 */

/** A postal address as printed on the waybill (no more personal data than the carrier needs). */
export interface ShipmentAddress {
  name: string;
  /** Masked (138****0000) when it is a patient's. */
  phone?: string | null;
  address: string;
  regionCode?: string | null;
  lat?: number | null;
  lng?: number | null;
}

export const shipment = pgTable(
  'shipment',
  {
    /** `shp_…` */
    id: text('id').primaryKey(),
    /** Exactly one of orderId / prescriptionId is set. */
    orderId: text('order_id').references(() => order.id),
    prescriptionId: text('prescription_id').references(() => prescription.id),
    /** The shipping party: the seller of an order, the pharmacy filling a prescription. */
    senderOrgId: text('sender_org_id')
      .notNull()
      .references(() => organization.id),
    /** The receiving organisation (the buyer); null when a patient receives it. */
    receiverOrgId: text('receiver_org_id').references(() => organization.id),
    /** Another organisation allowed to follow it: the hospital that issued the prescription. */
    observerOrgId: text('observer_org_id').references(() => organization.id),
    /** The receiver as shown (organisation name, or the patient's masked name). */
    receiverName: text('receiver_name').notNull(),
    /** `sf` | `jd` | `sim` (CARRIER_CODES in integrations/carriers). */
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    parcels: integer('parcels').notNull(),
    weightG: integer('weight_g').notNull(),
    /** Ships at 2–8 °C (decocted medicine); temperature readings are expected. */
    coldChain: boolean('cold_chain').notNull().default(false),
    fromAddress: jsonb('from_address').$type<ShipmentAddress>().notNull(),
    toAddress: jsonb('to_address').$type<ShipmentAddress>().notNull(),
    eta: timestamp('eta', { withTimezone: true }),
    /** SHIPMENT_STATES in shipments.core.ts. */
    state: text('state').notNull().default('created'),
    /** `forward`, or `return` once the sender decided to have it sent back. */
    direction: text('direction').notNull().default('forward'),
    /** Out-for-delivery scans seen (each is a delivery attempt); counted once per distinct event. */
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    /** damaged | refused | address_problem | lost | other, while in exception (kept afterwards). */
    exceptionReason: text('exception_reason'),
    /** Ordering key of the last event applied: event time, then the state's rank, then its id. */
    lastEventAt: timestamp('last_event_at', { withTimezone: true }),
    lastEventRank: integer('last_event_rank').notNull().default(0),
    lastEventKey: text('last_event_key').notNull().default(''),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** Proof of delivery. */
    podSigner: text('pod_signer'),
    podAt: timestamp('pod_at', { withTimezone: true }),
    podPhotoRef: text('pod_photo_ref'),
    /** How the recipient was checked: signature | code | id_card. */
    podCheck: text('pod_check'),
    /** 6 digits the patient gives the courier (prescriptions); null when a signature suffices. */
    recipientCode: text('recipient_code'),
    /** Any reading outside 2–8 °C so far (list filter; details in shipment_alert). */
    hasExcursion: boolean('has_excursion').notNull().default(false),
    /** Simulated carrier only: the scenario it plays (normal, excursion, refused…) and its round (+1 per party decision; older rounds' steps stop). */
    simulation: jsonb('simulation').$type<{ scenario: string; round: number } | null>(),
    createdByUserId: text('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shipment_carrier_tracking_uq').on(t.carrier, t.trackingNumber),
    index('shipment_sender_idx').on(t.senderOrgId, t.createdAt),
    index('shipment_receiver_idx').on(t.receiverOrgId, t.createdAt),
    index('shipment_observer_idx').on(t.observerOrgId, t.createdAt),
    index('shipment_order_idx').on(t.orderId),
    index('shipment_prescription_idx').on(t.prescriptionId),
    index('shipment_state_eta_idx').on(t.state, t.eta),
    check('shipment_one_subject', sql`(${t.orderId} is null) <> (${t.prescriptionId} is null)`),
    check('shipment_parcels_positive', sql`${t.parcels} > 0`),
    check('shipment_weight_positive', sql`${t.weightG} > 0`),
    check('shipment_attempts_nonnegative', sql`${t.deliveryAttempts} >= 0`),
    check('shipment_direction', sql`${t.direction} in ('forward', 'return')`),
  ],
);

/**
 * Every carrier event received for a shipment (and every party decision), applied or not: a late
 * event is kept with `ignored_reason` (stale, not_allowed…), never dropped. `(carrier,
 * carrier_event_id)` is unique, so a redelivered event is recognised and changes nothing.
 */
export const shipmentEvent = pgTable(
  'shipment_event',
  {
    /** `she_…` */
    id: text('id').primaryKey(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipment.id, { onDelete: 'cascade' }),
    carrier: text('carrier').notNull(),
    /** The carrier's event id; `party:<id>` for a party's decision. */
    carrierEventId: text('carrier_event_id').notNull(),
    /** carrier | sender | receiver */
    source: text('source').notNull(),
    /** picked_up | in_transit | out_for_delivery | delivered | exception | returned | redeliver | return | temperature | unknown */
    type: text('type').notNull(),
    /** The carrier's own code for it (SF opCode, JD state), when any. */
    carrierCode: text('carrier_code'),
    eventAt: timestamp('event_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    location: text('location'),
    description: text('description'),
    /** State before and after; null `to_state` when the event did not move the shipment. */
    fromState: text('from_state').notNull(),
    toState: text('to_state'),
    applied: boolean('applied').notNull(),
    /** stale | not_allowed | final | recipient_check_failed | informational | unknown_code */
    ignoredReason: text('ignored_reason'),
    actorUserId: text('actor_user_id'),
    actorOrgId: text('actor_org_id'),
    /** Normalised details: exception reason, proof of delivery, readings count… */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** The carrier's event as received. */
    payload: jsonb('payload').$type<unknown>(),
  },
  (t) => [
    uniqueIndex('shipment_event_carrier_id_uq').on(t.carrier, t.carrierEventId),
    index('shipment_event_shipment_idx').on(t.shipmentId, t.eventAt),
    check('shipment_event_ignored_reason', sql`${t.applied} = (${t.ignoredReason} is null)`),
  ],
);

/** Cold chain: one row per reading (deduplicated by reading time), flagged outside 2–8 °C. */
export const shipmentTemperature = pgTable(
  'shipment_temperature',
  {
    /** `sht_…` */
    id: text('id').primaryKey(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipment.id, { onDelete: 'cascade' }),
    readingAt: timestamp('reading_at', { withTimezone: true }).notNull(),
    celsius: doublePrecision('celsius').notNull(),
    excursion: boolean('excursion').notNull(),
    /** The carrier event that carried it. */
    eventId: text('event_id').references(() => shipmentEvent.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('shipment_temperature_reading_uq').on(t.shipmentId, t.readingAt), check('shipment_temperature_range', sql`${t.celsius} between -80 and 80`)],
);

/**
 * Alerts every party of a shipment sees (and is mailed about): a temperature excursion (one row per
 * episode: readings within 30 minutes of each other extend it), an exception, a failed recipient
 * check.
 */
export const shipmentAlert = pgTable(
  'shipment_alert',
  {
    /** `sha_…` */
    id: text('id').primaryKey(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipment.id, { onDelete: 'cascade' }),
    /** temperature_excursion | exception | recipient_check_failed */
    kind: text('kind').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    /** Excursion readings in the episode. */
    readings: integer('readings').notNull().default(0),
    minCelsius: doublePrecision('min_celsius'),
    maxCelsius: doublePrecision('max_celsius'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('shipment_alert_shipment_idx').on(t.shipmentId, t.startedAt)],
);

/**
 * Signed webhook deliveries accepted, keyed by a hash of their signature: the same signed delivery
 * received again inside the replay window is refused (a replay), while a carrier's retry (re-signed,
 * new timestamp) goes through and its events are recognised as duplicates.
 */
export const carrierWebhookDelivery = pgTable(
  'carrier_webhook_delivery',
  {
    /** `cwd_…` */
    id: text('id').primaryKey(),
    carrier: text('carrier').notNull(),
    /** Hex SHA-256 of the signature header value. */
    signatureHash: text('signature_hash').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    events: integer('events').notNull(),
    applied: integer('applied').notNull(),
    duplicates: integer('duplicates').notNull(),
  },
  (t) => [uniqueIndex('carrier_webhook_delivery_sig_uq').on(t.carrier, t.signatureHash), index('carrier_webhook_delivery_received_idx').on(t.receivedAt)],
);
