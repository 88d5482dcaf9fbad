import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';
import { lot } from './catalog-trade.ts';
import { herb } from './catalog.ts';

/**
 * Prescription routing (处方流转, DOMAIN.md "Prescriptions"): a hospital's e-prescription, its items,
 * its timeline (`rx_event`), the pharmacist review, offers to pharmacies, dispensing with a second
 * pharmacist's check (复核), the decoction log and the patient's status link. The state machine is
 * `RX_TRANSITIONS` in `domains/prescriptions/prescriptions.core.ts`. Item grams are integer
 * milligrams (CONTRACTS.md: grams may carry 3 decimals); stock draws are integer grams.
 */

/** A screening flag as stored with the prescription (message in Chinese; translated on display). */
export interface StoredRxFlag {
  code: string;
  severity: 'block' | 'warn' | 'info';
  herbs: string[];
  message: string;
  suggestions?: string[];
}

/** Why routing found nobody: pharmacies checked and how many failed each rule. */
export interface RoutingNote {
  checked: number;
  reasons: Record<string, number>;
  /** Herbs no checked pharmacy had enough of (standard names). */
  missingHerbs: string[];
  at: string;
}

/** Where a delivery prescription goes (the full phone is kept; it is shown masked). */
export interface RxDeliveryAddress {
  address: string;
  phone?: string;
}

export const prescription = pgTable(
  'prescription',
  {
    /** `rx_…` */
    id: text('id').primaryKey(),
    hospitalOrgId: text('hospital_org_id')
      .notNull()
      .references(() => organization.id),
    /** The signing physician (a member of the hospital with the physician role). */
    physicianUserId: text('physician_user_id')
      .notNull()
      .references(() => user.id),
    /** ui | api */
    source: text('source').notNull(),
    /** See RX_TRANSITIONS in prescriptions.core.ts. */
    status: text('status').notNull(),
    /** Masked name (张**), never the full name. */
    patientName: text('patient_name').notNull(),
    /** M | F */
    patientSex: text('patient_sex').notNull(),
    patientAgeYears: integer('patient_age_years').notNull(),
    patientPregnant: boolean('patient_pregnant').notNull().default(false),
    patientAllergies: text('patient_allergies'),
    /** Where the patient is (delivery address, or where they are when no store is chosen). */
    patientLat: doublePrecision('patient_lat').notNull(),
    patientLng: doublePrecision('patient_lng').notNull(),
    doses: integer('doses').notNull(),
    /** e.g. 每日1剂，水煎分2次服 */
    usage: text('usage').notNull(),
    decoction: boolean('decoction').notNull(),
    decoctionBags: integer('decoction_bags'),
    decoctionMl: integer('decoction_ml'),
    /** pickup | delivery */
    fulfilment: text('fulfilment').notNull(),
    /** Delivery only: the patient's address and phone (the physician's form, or entered by the pharmacy at hand-over). */
    deliveryAddress: jsonb('delivery_address').$type<RxDeliveryAddress>(),
    /** The store the patient chose for pickup (a pharmacy organisation), if any. */
    storeOrgId: text('store_org_id').references(() => organization.id),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    /** At most 3 days after issue (DOMAIN.md). */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The hospital's key for this prescription (REST `Idempotency-Key`); unique per hospital. */
    idempotencyKey: text('idempotency_key'),
    /** SHA-256 of the canonical request, to refuse a key reused for a different prescription. */
    requestHash: text('request_hash'),
    flags: jsonb('flags').$type<StoredRxFlag[]>().notNull().default([]),
    /** Screening found blocking flags: review waits for a physician override. */
    blocked: boolean('blocked').notNull().default(false),
    overrideReason: text('override_reason'),
    overrideByUserId: text('override_by_user_id').references(() => user.id),
    overrideAt: timestamp('override_at', { withTimezone: true }),
    /** The pharmacy that accepted the offer. */
    pharmacyOrgId: text('pharmacy_org_id').references(() => organization.id),
    routingNote: jsonb('routing_note').$type<RoutingNote>(),
    /** 6 digits, set when the medicine is ready for pickup. */
    pickupCode: text('pickup_code'),
    closeReason: text('close_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('prescription_hospital_key_uq').on(t.hospitalOrgId, t.idempotencyKey),
    index('prescription_hospital_idx').on(t.hospitalOrgId, t.createdAt),
    index('prescription_status_idx').on(t.status),
    index('prescription_pharmacy_idx').on(t.pharmacyOrgId),
    check('prescription_doses_positive', sql`${t.doses} > 0`),
    check('prescription_age_range', sql`${t.patientAgeYears} between 0 and 150`),
    check('prescription_validity', sql`${t.expiresAt} > ${t.issuedAt} and ${t.expiresAt} <= ${t.issuedAt} + interval '3 days'`),
    check('prescription_decoction_bags', sql`(not ${t.decoction}) or (${t.decoctionBags} > 0 and ${t.decoctionMl} > 0)`),
  ],
);

export const prescriptionItem = pgTable(
  'prescription_item',
  {
    /** `rxi_…` */
    id: text('id').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescription.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    herbId: text('herb_id')
      .notNull()
      .references(() => herb.id),
    /** The name as the physician wrote it (炙甘草). */
    writtenName: text('written_name').notNull(),
    /** The standard name it resolved to (甘草). */
    herbName: text('herb_name').notNull(),
    /** Per dose, integer milligrams. */
    mg: integer('mg').notNull(),
    /** 先煎 后下 包煎 另煎 烊化 冲服 */
    handling: text('handling'),
  },
  (t) => [uniqueIndex('prescription_item_no_uq').on(t.prescriptionId, t.lineNo), check('prescription_item_mg_positive', sql`${t.mg} > 0`)],
);

/** The prescription timeline: status changes and notes, with who did it and why. */
export const rxEvent = pgTable(
  'rx_event',
  {
    /** `rxe_…` */
    id: text('id').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescription.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** physician | pharmacist | pharmacy | system */
    actorRole: text('actor_role').notNull(),
    actorUserId: text('actor_user_id'),
    actorOrgId: text('actor_org_id'),
    /** What happened when the status did not change (override, offer_rejected, dispensed, checked…). */
    note: text('note'),
    reason: text('reason'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('rx_event_rx_idx').on(t.prescriptionId, t.at)],
);

/** 审方: the hospital pharmacist's decision. */
export const rxReview = pgTable(
  'rx_review',
  {
    /** `rxr_…` */
    id: text('id').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescription.id, { onDelete: 'cascade' }),
    pharmacistUserId: text('pharmacist_user_id')
      .notNull()
      .references(() => user.id),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id),
    /** approved | rejected */
    decision: text('decision').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('rx_review_rx_uq').on(t.prescriptionId)],
);

/** An offer of a prescription to one pharmacy; a pharmacy is offered a prescription at most once. */
export const rxOffer = pgTable(
  'rx_offer',
  {
    /** `rxo_…` */
    id: text('id').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescription.id, { onDelete: 'cascade' }),
    pharmacyOrgId: text('pharmacy_org_id')
      .notNull()
      .references(() => organization.id),
    /** offered | accepted | rejected | expired | withdrawn */
    status: text('status').notNull(),
    /** 1 for the first pharmacy offered, 2 after a re-route, … */
    round: integer('round').notNull(),
    /** Distance from the patient (or chosen store) in metres. */
    distanceM: integer('distance_m').notNull(),
    offeredAt: timestamp('offered_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedByUserId: text('decided_by_user_id'),
    reason: text('reason'),
  },
  (t) => [
    uniqueIndex('rx_offer_rx_pharmacy_uq').on(t.prescriptionId, t.pharmacyOrgId),
    index('rx_offer_pharmacy_idx').on(t.pharmacyOrgId, t.status),
    check('rx_offer_window', sql`${t.expiresAt} > ${t.offeredAt}`),
  ],
);

/** What a pharmacy can take: decoction, daily capacity, opening hours (Asia/Shanghai), service radius. */
export const pharmacyCapability = pgTable(
  'pharmacy_capability',
  {
    orgId: text('org_id')
      .primaryKey()
      .references(() => organization.id, { onDelete: 'cascade' }),
    decoction: boolean('decoction').notNull().default(false),
    /** Prescriptions it accepts per day (China calendar day). */
    dailyCapacity: integer('daily_capacity').notNull(),
    /** Opening hours as minutes after local midnight; opensAt = closesAt means open around the clock. */
    opensAtMin: integer('opens_at_min').notNull(),
    closesAtMin: integer('closes_at_min').notNull(),
    serviceRadiusKm: integer('service_radius_km').notNull(),
    /** Accepting prescriptions at all. */
    active: boolean('active').notNull().default(true),
    updatedByUserId: text('updated_by_user_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('pharmacy_capability_capacity', sql`${t.dailyCapacity} >= 0`),
    check('pharmacy_capability_hours', sql`${t.opensAtMin} between 0 and 1439 and ${t.closesAtMin} between 0 and 1439`),
    check('pharmacy_capability_radius', sql`${t.serviceRadiusKm} between 1 and 5000`),
  ],
);

/** Dispensing checklist (调配 + 复核): one row per item, dispensed by one pharmacist, checked by another. */
export const rxDispenseCheck = pgTable(
  'rx_dispense_check',
  {
    /** `rxd_…` */
    id: text('id').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescription.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => prescriptionItem.id, { onDelete: 'cascade' }),
    /** Whole grams drawn from stock for all doses (mg × doses rounded up). */
    grams: integer('grams').notNull(),
    dispensedByUserId: text('dispensed_by_user_id')
      .notNull()
      .references(() => user.id),
    dispensedAt: timestamp('dispensed_at', { withTimezone: true }).notNull(),
    checkedByUserId: text('checked_by_user_id').references(() => user.id),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('rx_dispense_check_item_uq').on(t.itemId),
    check('rx_dispense_check_grams_positive', sql`${t.grams} > 0`),
    check('rx_dispense_check_second_pharmacist', sql`${t.checkedByUserId} is null or ${t.checkedByUserId} <> ${t.dispensedByUserId}`),
  ],
);

/** Grams taken from a pharmacy's lot for one dispensed item. */
export const rxStockDraw = pgTable(
  'rx_stock_draw',
  {
    /** `rxs_…` */
    id: text('id').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescription.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => prescriptionItem.id, { onDelete: 'cascade' }),
    lotId: text('lot_id')
      .notNull()
      .references(() => lot.id),
    grams: integer('grams').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('rx_stock_draw_rx_idx').on(t.prescriptionId), check('rx_stock_draw_grams_positive', sql`${t.grams} > 0`)],
);

/** 代煎 log: one row per step (soak, 先煎, boil, 后下, second boil, pack). */
export const rxDecoctionStep = pgTable(
  'rx_decoction_step',
  {
    /** `rxc_…` */
    id: text('id').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescription.id, { onDelete: 'cascade' }),
    /** DECOCTION_STEPS in prescriptions.core.ts */
    step: text('step').notNull(),
    minutes: integer('minutes'),
    /** Bags packed (pack step). */
    bags: integer('bags'),
    note: text('note'),
    byUserId: text('by_user_id')
      .notNull()
      .references(() => user.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('rx_decoction_step_rx_idx').on(t.prescriptionId, t.at), check('rx_decoction_step_minutes', sql`${t.minutes} is null or ${t.minutes} between 0 and 600`)],
);

/** The patient's status link: a random token, no login, minimal data, expires. */
export const rxStatusLink = pgTable(
  'rx_status_link',
  {
    token: text('token').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescription.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('rx_status_link_rx_uq').on(t.prescriptionId)],
);
