import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, pgView, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization } from './auth.ts';
import { listing, lot, stockReservation } from './catalog-trade.ts';
import { callOff } from './tenders.ts';

/**
 * Orders: a buyer's cart (listing × grams), checked out into one order per seller. Each order line
 * holds a stock reservation (catalog `reserveStock`); the order moves along the state machine in
 * `domains/orders/orders.core.ts` and every move is an `order_event` (the timeline) plus an audit
 * entry. Money is integer fen, mass integer grams, prices fen per kg.
 *
 * A tender call-off (`source = 'call_off'`) is an order too, at the framework contract's price: its
 * line names no listing, and the seller allocates one of its lots (reserving the stock) when it
 * accepts the order (`domains/orders/call-off.stock.ts`).
 */
export const cartItem = pgTable(
  'cart_item',
  {
    /** `cit_…` */
    id: text('id').primaryKey(),
    buyerOrgId: text('buyer_org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    listingId: text('listing_id')
      .notNull()
      .references(() => listing.id, { onDelete: 'cascade' }),
    grams: integer('grams').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('cart_item_buyer_listing_uq').on(t.buyerOrgId, t.listingId), check('cart_item_grams_positive', sql`${t.grams} > 0`)],
);

export const order = pgTable(
  'order',
  {
    /** `ord_…` */
    id: text('id').primaryKey(),
    buyerOrgId: text('buyer_org_id')
      .notNull()
      .references(() => organization.id),
    sellerOrgId: text('seller_org_id')
      .notNull()
      .references(() => organization.id),
    /** See ORDER_TRANSITIONS in orders.core.ts. */
    status: text('status').notNull(),
    /** none | authorized | declined | captured | canceled */
    paymentStatus: text('payment_status').notNull().default('none'),
    /** card | alipay | wechat_pay | bank_transfer | net_terms (PAYMENT_METHODS in orders.core.ts). */
    paymentMethod: text('payment_method').notNull(),
    paymentIntentId: text('payment_intent_id'),
    /**
     * Online methods: the buyer's payment attempts on the checkout page (0 = not yet confirmed). Each
     * attempt is its own payment intent carrying `attempt` in its metadata, so late news of an
     * earlier, declined attempt is ignored.
     */
    paymentAttempt: integer('payment_attempt').notNull().default(0),
    /** Bank transfer: the seller's bank reference when it reconciled the transfer. */
    paymentReference: text('payment_reference'),
    subtotalFen: integer('subtotal_fen').notNull(),
    /** VAT included in the subtotal (sum of the lines' tax). */
    taxFen: integer('tax_fen').notNull().default(0),
    shippingFen: integer('shipping_fen').notNull().default(0),
    totalFen: integer('total_fen').notNull(),
    authorizedFen: integer('authorized_fen').notNull().default(0),
    capturedFen: integer('captured_fen').notNull().default(0),
    refundedFen: integer('refunded_fen').notNull().default(0),
    /** The buyer's checkout key (one checkout → one order per seller). */
    checkoutKey: text('checkout_key').notNull(),
    /** `<checkoutKey>:<sellerOrgId>`, unique per buyer: a retried checkout finds its orders. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** Why the order was rejected or cancelled. */
    closeReason: text('close_reason'),
    /** cart (checkout of listings) | call_off (a member's call-off on a tender framework contract) | market (a spot market trade). */
    source: text('source').notNull().default('cart'),
    /** The call-off this order carries out (source = call_off). */
    callOffId: text('call_off_id').references(() => callOff.id),
    placedByUserId: text('placed_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('order_buyer_key_uq').on(t.buyerOrgId, t.idempotencyKey),
    index('order_buyer_idx').on(t.buyerOrgId, t.createdAt),
    index('order_seller_idx').on(t.sellerOrgId, t.createdAt),
    index('order_checkout_idx').on(t.buyerOrgId, t.checkoutKey),
    index('order_payment_intent_idx').on(t.paymentIntentId),
    check('order_tax_within_subtotal', sql`${t.taxFen} >= 0 and ${t.taxFen} <= ${t.subtotalFen}`),
    check('order_totals_nonnegative', sql`${t.subtotalFen} >= 0 and ${t.shippingFen} >= 0 and ${t.totalFen} = ${t.subtotalFen} + ${t.shippingFen}`),
    check('order_captured_within_total', sql`${t.capturedFen} >= 0 and ${t.capturedFen} <= ${t.totalFen}`),
    check('order_refunded_within_captured', sql`${t.refundedFen} >= 0 and ${t.refundedFen} <= ${t.capturedFen}`),
    uniqueIndex('order_call_off_uq').on(t.callOffId),
    check('order_call_off_source', sql`(${t.source} = 'call_off') = (${t.callOffId} is not null)`),
  ],
);

export const orderLine = pgTable(
  'order_line',
  {
    /** `oln_…` */
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => order.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    /** The listing bought from; null on a call-off line (bought on a framework contract). */
    listingId: text('listing_id').references(() => listing.id),
    /** The lot delivered from; null on a call-off line until the seller allocates a lot (at acceptance). */
    lotId: text('lot_id').references(() => lot.id),
    /** Product name when ordered (snapshot for the order documents). */
    productName: text('product_name').notNull(),
    grams: integer('grams').notNull(),
    priceFenPerKg: integer('price_fen_per_kg').notNull(),
    lineTotalFen: integer('line_total_fen').notNull(),
    /** VAT rate in basis points (900 = 9 %) and the VAT included in lineTotalFen (TAX_RATES in tax.core.ts). */
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    taxFen: integer('tax_fen').notNull().default(0),
    /** The line's stock reservation (null on a call-off line until its lot is allocated). */
    reservationId: text('reservation_id').references(() => stockReservation.id),
    /** The key the reservation was made with, derived from the order (`<orderId>:<lineNo>`). */
    reservationKey: text('reservation_key'),
  },
  (t) => [
    uniqueIndex('order_line_order_no_uq').on(t.orderId, t.lineNo),
    check('order_line_grams_positive', sql`${t.grams} > 0`),
    check('order_line_total_nonnegative', sql`${t.lineTotalFen} >= 0`),
    check('order_line_reservation_has_lot', sql`${t.reservationId} is null or (${t.lotId} is not null and ${t.reservationKey} is not null)`),
  ],
);

/** The order timeline: status changes and payment notes, with who did it and why. */
export const orderEvent = pgTable(
  'order_event',
  {
    /** `oev_…` */
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => order.id, { onDelete: 'cascade' }),
    /** null for the creation event. */
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** buyer | seller | system */
    actorRole: text('actor_role').notNull(),
    actorUserId: text('actor_user_id'),
    actorOrgId: text('actor_org_id'),
    reason: text('reason'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('order_event_order_idx').on(t.orderId, t.at)],
);

/** Refunds a seller asked for; the payments call happens in the `orders.refund-payment` job. */
export const orderRefund = pgTable(
  'order_refund',
  {
    /** `rfd_…` */
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => order.id, { onDelete: 'cascade' }),
    amountFen: integer('amount_fen').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** requested | succeeded */
    status: text('status').notNull().default('requested'),
    providerRefundId: text('provider_refund_id'),
    requestedByUserId: text('requested_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('order_refund_order_key_uq').on(t.orderId, t.idempotencyKey), check('order_refund_amount_positive', sql`${t.amountFen} > 0`)],
);

/**
 * Net terms (赊销): a seller grants a buyer organisation a credit limit and a payment term. Orders on
 * terms skip the payment step; the shipped order is invoiced with a due date.
 */
export const creditLine = pgTable(
  'credit_line',
  {
    /** `crl_…` */
    id: text('id').primaryKey(),
    sellerOrgId: text('seller_org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    buyerOrgId: text('buyer_org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    limitFen: integer('limit_fen').notNull(),
    termDays: integer('term_days').notNull(),
    updatedByUserId: text('updated_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_line_seller_buyer_uq').on(t.sellerOrgId, t.buyerOrgId),
    // A buyer's lines (net-terms checks read them by buyer).
    index('credit_line_buyer_idx').on(t.buyerOrgId),
    check('credit_line_limit_nonnegative', sql`${t.limitFen} >= 0`),
    check('credit_line_term_range', sql`${t.termDays} between 1 and 180`),
  ],
);

/**
 * What a buyer owes a seller on terms, kept as a running total by triggers (migration 0027): open
 * net-terms orders less what was paid, and net-terms market trades whose orders are not written yet.
 * Every insert, update or delete of an `order` or a `market_trade` adds its change in the same
 * statement, so the total is as current as the rows it sums (view `net_terms_exposure_recount` sums
 * it afresh). Rows are never removed: a settled pair stays at 0.
 */
export const netTermsOwed = pgTable(
  'net_terms_owed',
  {
    buyerOrgId: text('buyer_org_id').notNull(),
    sellerOrgId: text('seller_org_id').notNull(),
    fen: bigint('fen', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.buyerOrgId, t.sellerOrgId] })],
);

/**
 * What a buyer owes or may come to owe a seller on terms (a view, defined in migration 0021, reading
 * running totals since 0027): what it owes (`net_terms_owed`) and its resting net-terms market buys
 * (notional less what has traded, against every seller they may match).
 */
export const netTermsExposure = pgView('net_terms_exposure', {
  sellerOrgId: text('seller_org_id').notNull(),
  buyerOrgId: text('buyer_org_id').notNull(),
  fen: bigint('fen', { mode: 'number' }).notNull(),
}).existing();

/** The invoice of a shipped net-terms order: open → paid, or overdue after its due date (a job). */
export const invoice = pgTable(
  'invoice',
  {
    /** `ivc_…` */
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => order.id, { onDelete: 'cascade' }),
    sellerOrgId: text('seller_org_id')
      .notNull()
      .references(() => organization.id),
    buyerOrgId: text('buyer_org_id')
      .notNull()
      .references(() => organization.id),
    amountFen: integer('amount_fen').notNull(),
    taxFen: integer('tax_fen').notNull(),
    /** open | overdue | paid */
    status: text('status').notNull().default('open'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    paymentReference: text('payment_reference'),
  },
  (t) => [
    uniqueIndex('invoice_order_uq').on(t.orderId),
    index('invoice_seller_buyer_idx').on(t.sellerOrgId, t.buyerOrgId, t.status),
    check('invoice_amount_positive', sql`${t.amountFen} > 0 and ${t.taxFen} >= 0 and ${t.taxFen} <= ${t.amountFen}`),
  ],
);
