import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';
import { herb } from './catalog.ts';
import { order } from './orders.ts';

/**
 * Spot market (DOMAIN.md "Market (order matching)"). An instrument is a product spec (herb × form ×
 * cut × processing, as on `product`) and a grade. Every accepted command is appended to
 * `market_command` with a gapless per-instrument sequence before it is answered; the in-memory book
 * is the replay of that log. Trades are stored with the sequence of the command that made them.
 *
 * The instrument, organisation and lot ids of `market_command`, `market_trade` and `market_funding` are
 * not foreign keys: the market's writer inserts hundreds of these rows a statement, and a foreign key
 * checks each row on its own (a lookup and a lock a row and key), which took about a tenth of the
 * writer's throughput. A statement trigger checks each insert's rows against those tables in one query
 * instead, the columns cannot be updated, and a referenced instrument, lot or organisation cannot be
 * deleted (migration 0035).
 */
export const instrument = pgTable(
  'instrument',
  {
    /** `ins_…` */
    id: text('id').primaryKey(),
    herbId: text('herb_id')
      .notNull()
      .references(() => herb.id),
    /** raw | decoction_piece | granule (as `product.form`) */
    form: text('form').notNull(),
    /** as `product.cut` */
    cut: text('cut').notNull(),
    /** as `product.processing` */
    processing: text('processing').notNull(),
    /** selected 选货 | ungraded 统货 | graded 等级 (as `product.grade`) */
    grade: text('grade').notNull(),
    /** Display name, e.g. 黄芪 药材 统货. */
    name: text('name').notNull(),
    /** active | halted */
    status: text('status').notNull().default('active'),
    createdByUserId: text('created_by_user_id').references(() => user.id, { onDelete: 'set null' }),
    createdByOrgId: text('created_by_org_id')
      .notNull()
      .references(() => organization.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('instrument_spec_grade_uq').on(t.herbId, t.form, t.cut, t.processing, t.grade),
    check('instrument_status_valid', sql`${t.status} in ('active', 'halted')`),
  ],
);

/** The order log: one row per accepted command, `seq` gapless per instrument. */
export const marketCommand = pgTable(
  'market_command',
  {
    /** `mcm_…` */
    id: text('id').primaryKey(),
    instrumentId: text('instrument_id').notNull(),
    seq: integer('seq').notNull(),
    /** place | cancel | amend */
    kind: text('kind').notNull(),
    /** The order the command places, cancels or amends. */
    orderId: text('order_id').notNull(),
    /** The matching core's command (`MatchCommand`), replayed as is. */
    command: jsonb('command').notNull(),
    /** The answer given when the command was accepted (returned again for a replayed idempotency key). */
    answer: jsonb('answer').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /**
     * A digest of what the request asked for (terms, lot, funding, constraints, expiry): a replayed
     * idempotency key is answered only when it matches. Null for commands logged before it was kept.
     */
    requestFingerprint: text('request_fingerprint'),
    /** The lot backing a sell `place` (its grams are reserved while the order rests); null otherwise. */
    lotId: text('lot_id'),
    orgId: text('org_id').notNull(),
    userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
    /** A GTC `place`: when the order stops resting (a job cancels it then); null: good till cancelled. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('market_command_instrument_seq_uq').on(t.instrumentId, t.seq),
    uniqueIndex('market_command_org_key_uq').on(t.orgId, t.idempotencyKey),
    index('market_command_order_idx').on(t.instrumentId, t.orderId),
    check('market_command_kind_valid', sql`${t.kind} in ('place', 'cancel', 'amend')`),
    check('market_command_seq_positive', sql`${t.seq} > 0`),
  ],
);

/** A match: the resting order's price, in the order the core reported it within its command. */
export const marketTrade = pgTable(
  'market_trade',
  {
    /** `mtr_…` */
    id: text('id').primaryKey(),
    instrumentId: text('instrument_id').notNull(),
    /** Sequence of the command that made the trade. */
    seq: integer('seq').notNull(),
    /** Position among that command's trades, from 0. */
    ordinal: integer('ordinal').notNull(),
    buyerOrgId: text('buyer_org_id').notNull(),
    sellerOrgId: text('seller_org_id').notNull(),
    buyOrderId: text('buy_order_id').notNull(),
    sellOrderId: text('sell_order_id').notNull(),
    fenPerKg: integer('fen_per_kg').notNull(),
    grams: integer('grams').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** The order between the two parties that carries the trade out (null for trades of sells logged without a lot). */
    orderId: text('order_id').references(() => order.id),
    /** The buy order was funded on net terms: until its order is written the trade counts against the buyer's credit line with the seller. */
    onNetTerms: boolean('on_net_terms').notNull(),
  },
  (t) => [
    uniqueIndex('market_trade_instrument_seq_uq').on(t.instrumentId, t.seq, t.ordinal),
    index('market_trade_buyer_idx').on(t.buyerOrgId),
    index('market_trade_seller_idx').on(t.sellerOrgId),
    index('market_trade_buy_order_idx').on(t.buyOrderId),
    uniqueIndex('market_trade_order_uq').on(t.orderId),
    check('market_trade_grams_positive', sql`${t.grams} > 0`),
    check('market_trade_price_positive', sql`${t.fenPerKg} > 0`),
  ],
);

/**
 * How a buy order is funded. `card`: a payment authorisation of quantity × limit price made before the
 * order was accepted, released (cancelled) once the order no longer rests — each trade's order is then
 * authorised on its own with the same payment method. `net_terms`: the order matches only sellers that
 * had granted the buyer net terms with room for the whole order when it was placed; while it rests
 * (`on_terms`) its notional counts against each of those credit lines (view `net_terms_exposure`), and
 * once it no longer rests (`released`) only its trades do.
 */
export const marketFunding = pgTable(
  'market_funding',
  {
    /** The market order (`mor_…`) this funds. */
    orderId: text('order_id').primaryKey(),
    instrumentId: text('instrument_id').notNull(),
    orgId: text('org_id').notNull(),
    /** card | net_terms */
    method: text('method').notNull(),
    /** card: the payment method trade orders are authorised with (a Stripe test method in the sandbox). */
    paymentMethod: text('payment_method'),
    /** card: the placing authorisation. */
    paymentIntentId: text('payment_intent_id'),
    amountFen: integer('amount_fen').notNull(),
    /** net_terms: the sellers whose credit lines it held room on when placed — the only sellers it may match, and the lines its notional counts against while it rests. */
    sellers: text('sellers').array(),
    /** held | released (card); on_terms | released (net_terms) */
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    index('market_funding_org_idx').on(t.orgId),
    // Resting net-terms buys (net-terms exposure reads them by buyer).
    index('market_funding_on_terms_idx').on(t.orgId).where(sql`${t.status} = 'on_terms'`),
    check('market_funding_method_valid', sql`${t.method} in ('card', 'net_terms')`),
    check('market_funding_status_valid', sql`${t.status} in ('held', 'released', 'on_terms')`),
    check('market_funding_amount_nonnegative', sql`${t.amountFen} >= 0`),
  ],
);
