import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization } from './auth.ts';

/**
 * Procurement-alliance tenders (DOMAIN.md "Alliance tenders"): an alliance organisation collects its
 * members' demand per lot, publishes the tender, suppliers register and bid sealed, the opening job
 * decrypts and evaluates with the pure core, the award is publicised and finalised, and winners get
 * framework contracts. The state machine is `domains/tenders/tenders.core.ts`. Money integer fen,
 * mass integer grams, prices fen per kg, times UTC.
 */

/**
 * Member hospitals and pharmacies of an alliance (they report demand and call off contracts). A row
 * starts as the alliance's invitation and counts as membership only once the invited organisation
 * has accepted it: see MEMBERSHIP_TRANSITIONS in `domains/tenders/membership.core.ts`.
 */
export const allianceMember = pgTable(
  'alliance_member',
  {
    /** `alm_…` (also the invitation's id) */
    id: text('id').primaryKey(),
    allianceOrgId: text('alliance_org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    memberOrgId: text('member_org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    /** invited | accepted | declined; only `accepted` counts as membership. */
    status: text('status').notNull().default('invited'),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow(),
    invitedByUserId: text('invited_by_user_id'),
    /** When and by whom of the invited organisation the invitation was accepted or declined. */
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredByUserId: text('answered_by_user_id'),
    /** Set when the invitation is accepted. */
    joinedAt: timestamp('joined_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('alliance_member_uq').on(t.allianceOrgId, t.memberOrgId),
    index('alliance_member_member_idx').on(t.memberOrgId),
    check('alliance_member_status', sql`${t.status} in ('invited', 'accepted', 'declined')`),
  ],
);

export interface TenderDocument {
  name: string;
  uploadId?: string | null;
}

export const tender = pgTable(
  'tender',
  {
    /** `tdr_…` */
    id: text('id').primaryKey(),
    allianceOrgId: text('alliance_org_id')
      .notNull()
      .references(() => organization.id),
    title: text('title').notNull(),
    /** See TENDER_TRANSITIONS in tenders.core.ts. */
    status: text('status').notNull(),
    /** vbp_price | weighted_score */
    method: text('method').notNull(),
    weightPrice: integer('weight_price'),
    weightQuality: integer('weight_quality'),
    demandDeadline: timestamp('demand_deadline', { withTimezone: true }).notNull(),
    bidDeadline: timestamp('bid_deadline', { withTimezone: true }).notNull(),
    openingAt: timestamp('opening_at', { withTimezone: true }).notNull(),
    publicityEndsAt: timestamp('publicity_ends_at', { withTimezone: true }).notNull(),
    /** Framework contract term in months, from the final award. */
    contractTermMonths: integer('contract_term_months').notNull().default(12),
    documents: jsonb('documents').$type<TenderDocument[]>().notNull().default([]),
    /** The per-tender data key, wrapped (AES-256-GCM) by the master key: base64 of iv ‖ tag ‖ ciphertext. */
    wrappedDataKey: text('wrapped_data_key').notNull(),
    /** The tender a re-tender of failed lots came from. */
    parentTenderId: text('parent_tender_id'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    awardedAt: timestamp('awarded_at', { withTimezone: true }),
    createdByUserId: text('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tender_alliance_idx').on(t.allianceOrgId, t.createdAt),
    index('tender_status_idx').on(t.status),
    check('tender_schedule_order', sql`${t.demandDeadline} <= ${t.bidDeadline} and ${t.bidDeadline} <= ${t.openingAt} and ${t.openingAt} <= ${t.publicityEndsAt}`),
  ],
);

export const tenderLot = pgTable(
  'tender_lot',
  {
    /** `tlt_…` */
    id: text('id').primaryKey(),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id, { onDelete: 'cascade' }),
    lotNo: integer('lot_no').notNull(),
    /** Variety (药材/饮片 standard name). */
    herbName: text('herb_name').notNull(),
    /** Product spec: form, cut, processing, grade as written in the tender documents. */
    spec: text('spec').notNull(),
    qualityTier: text('quality_tier').notNull(),
    ceilingFenPerKg: integer('ceiling_fen_per_kg').notNull(),
    /** GB/T 2260 region codes the winners deliver to. */
    deliveryRegions: jsonb('delivery_regions').$type<string[]>().notNull().default([]),
    /** open | awarded | failed (流标) */
    status: text('status').notNull().default('open'),
  },
  (t) => [uniqueIndex('tender_lot_no_uq').on(t.tenderId, t.lotNo), check('tender_lot_ceiling_positive', sql`${t.ceilingFenPerKg} > 0`)],
);

/** A member's demand for one lot (idempotent upsert until the demand deadline). */
export const tenderDemand = pgTable(
  'tender_demand',
  {
    /** `tdm_…` */
    id: text('id').primaryKey(),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id, { onDelete: 'cascade' }),
    lotId: text('lot_id')
      .notNull()
      .references(() => tenderLot.id, { onDelete: 'cascade' }),
    memberOrgId: text('member_org_id')
      .notNull()
      .references(() => organization.id),
    grams: integer('grams').notNull(),
    /** The member's region (GB/T 2260) when it reported, for the aggregate per region. */
    regionCode: text('region_code').notNull(),
    reportedByUserId: text('reported_by_user_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tender_demand_lot_member_uq').on(t.lotId, t.memberOrgId), index('tender_demand_tender_idx').on(t.tenderId), check('tender_demand_grams_nonnegative', sql`${t.grams} >= 0`)],
);

export interface RegisteredLot {
  lotId: string;
  /** Production capacity offered for the lot over the contract term, grams. */
  capacityG: number;
}

/** A supplier's registration for one tender, qualified (or not, with a reason) by the alliance. */
export const tenderSupplier = pgTable(
  'tender_supplier',
  {
    /** `tsr_…` */
    id: text('id').primaryKey(),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id, { onDelete: 'cascade' }),
    supplierOrgId: text('supplier_org_id')
      .notNull()
      .references(() => organization.id),
    lots: jsonb('lots').$type<RegisteredLot[]>().notNull().default([]),
    documents: jsonb('documents').$type<TenderDocument[]>().notNull().default([]),
    /** pending | qualified | not_qualified */
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    /** Technical-review score in hundredths (8625 = 86.25), for weighted_score tenders. */
    qualityScoreHundredths: integer('quality_score_hundredths'),
    decidedByUserId: text('decided_by_user_id'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tender_supplier_uq').on(t.tenderId, t.supplierOrgId), index('tender_supplier_org_idx').on(t.supplierOrgId)],
);

/**
 * A sealed bid: `sealed` (AES-256-GCM under the tender's data key: price and nonce) and `commitment`
 * (SHA-256 over tenderId, lotId, supplierId, fenPerKg, nonce). The row never holds the price in
 * clear; the opening writes the decrypted prices into the award record (`tender_award.input_json`).
 */
export const tenderBid = pgTable(
  'tender_bid',
  {
    /** `tbd_…` */
    id: text('id').primaryKey(),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id, { onDelete: 'cascade' }),
    lotId: text('lot_id')
      .notNull()
      .references(() => tenderLot.id, { onDelete: 'cascade' }),
    supplierOrgId: text('supplier_org_id')
      .notNull()
      .references(() => organization.id),
    /** base64 of iv ‖ tag ‖ ciphertext. */
    sealed: text('sealed').notNull(),
    commitment: text('commitment').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    submittedByUserId: text('submitted_by_user_id'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('tender_bid_key_uq').on(t.tenderId, t.supplierOrgId, t.idempotencyKey),
    index('tender_bid_lot_idx').on(t.lotId, t.supplierOrgId),
    index('tender_bid_supplier_idx').on(t.supplierOrgId, t.submittedAt),
  ],
);

/** The evaluation result (canonical JSON of the core's `lots` and its SHA-256), one per tender. */
export const tenderAward = pgTable(
  'tender_award',
  {
    /** `taw_…` */
    id: text('id').primaryKey(),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id, { onDelete: 'cascade' }),
    method: text('method').notNull(),
    canonicalJson: text('canonical_json').notNull(),
    sha256: text('sha256').notNull(),
    /**
     * The evaluation input as JSON (lots with demand, every verified bid with its decrypted price):
     * `bencao tender-evaluate` on it reproduces `sha256`.
     */
    inputJson: text('input_json').notNull().default(''),
    /** Bids left out of the evaluation because decryption or the commitment check failed. */
    excluded: jsonb('excluded').$type<{ bidId: string; reason: string }[]>().notNull().default([]),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('tender_award_tender_uq').on(t.tenderId)],
);

/** Complaints during the publicity window (公示期质疑), answered by the alliance. */
export const tenderComplaint = pgTable(
  'tender_complaint',
  {
    /** `tcp_…` */
    id: text('id').primaryKey(),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id, { onDelete: 'cascade' }),
    lotId: text('lot_id').references(() => tenderLot.id),
    complainantOrgId: text('complainant_org_id')
      .notNull()
      .references(() => organization.id),
    body: text('body').notNull(),
    /** open | answered */
    status: text('status').notNull().default('open'),
    answer: text('answer'),
    answeredByUserId: text('answered_by_user_id'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdByUserId: text('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tender_complaint_tender_idx').on(t.tenderId, t.createdAt)],
);

/** A winner's framework contract for one lot (price, agreed grams, term). */
export const frameworkContract = pgTable(
  'framework_contract',
  {
    /** `fct_…` */
    id: text('id').primaryKey(),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id),
    lotId: text('lot_id')
      .notNull()
      .references(() => tenderLot.id),
    allianceOrgId: text('alliance_org_id')
      .notNull()
      .references(() => organization.id),
    supplierOrgId: text('supplier_org_id')
      .notNull()
      .references(() => organization.id),
    bidId: text('bid_id')
      .notNull()
      .references(() => tenderBid.id),
    rank: integer('rank').notNull(),
    fenPerKg: integer('fen_per_kg').notNull(),
    agreedG: integer('agreed_g').notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('framework_contract_lot_supplier_uq').on(t.lotId, t.supplierOrgId),
    index('framework_contract_supplier_idx').on(t.supplierOrgId),
    check('framework_contract_amounts', sql`${t.fenPerKg} > 0 and ${t.agreedG} >= 0`),
  ],
);

/**
 * A member's choice of a winner for its share of one lot (members choose among the winners): the
 * agreed grams are the member's demand × the lot's share, floored.
 */
export const contractAllocation = pgTable(
  'contract_allocation',
  {
    /** `cal_…` */
    id: text('id').primaryKey(),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id),
    lotId: text('lot_id')
      .notNull()
      .references(() => tenderLot.id),
    contractId: text('contract_id')
      .notNull()
      .references(() => frameworkContract.id),
    memberOrgId: text('member_org_id')
      .notNull()
      .references(() => organization.id),
    agreedG: integer('agreed_g').notNull(),
    chosenByUserId: text('chosen_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('contract_allocation_lot_member_uq').on(t.lotId, t.memberOrgId), index('contract_allocation_contract_idx').on(t.contractId), check('contract_allocation_grams', sql`${t.agreedG} >= 0`)],
);

/**
 * A member's call-off against a framework contract, at the contract price: the order that carries
 * it out is an ordinary `order` (source = call_off, `order.call_off_id`), paid, accepted, shipped and
 * delivered like any other. Ordered and delivered grams are derived from that order's state.
 */
export const callOff = pgTable(
  'call_off',
  {
    /** `cof_…` */
    id: text('id').primaryKey(),
    allocationId: text('allocation_id')
      .notNull()
      .references(() => contractAllocation.id),
    contractId: text('contract_id')
      .notNull()
      .references(() => frameworkContract.id),
    tenderId: text('tender_id')
      .notNull()
      .references(() => tender.id),
    lotId: text('lot_id')
      .notNull()
      .references(() => tenderLot.id),
    memberOrgId: text('member_org_id')
      .notNull()
      .references(() => organization.id),
    supplierOrgId: text('supplier_org_id')
      .notNull()
      .references(() => organization.id),
    grams: integer('grams').notNull(),
    fenPerKg: integer('fen_per_kg').notNull(),
    totalFen: integer('total_fen').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    placedByUserId: text('placed_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('call_off_member_key_uq').on(t.memberOrgId, t.idempotencyKey),
    index('call_off_contract_idx').on(t.contractId),
    index('call_off_tender_idx').on(t.tenderId),
    index('call_off_allocation_idx').on(t.allocationId),
    check('call_off_amounts', sql`${t.grams} > 0 and ${t.fenPerKg} > 0 and ${t.totalFen} >= 0`),
  ],
);
