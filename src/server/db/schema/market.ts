import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';
import { herb } from './catalog.ts';
import { lot } from './catalog-trade.ts';

/**
 * Spot market (DOMAIN.md "Market (order matching)"). An instrument is a product spec (herb × form ×
 * cut × processing, as on `product`) and a grade. Every accepted command is appended to
 * `market_command` with a gapless per-instrument sequence before it is answered; the in-memory book
 * is the replay of that log. Trades are stored with the sequence of the command that made them.
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
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instrument.id),
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
    /** The lot backing a sell `place` (its grams are reserved while the order rests); null otherwise. */
    lotId: text('lot_id').references(() => lot.id),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id),
    userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
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
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instrument.id),
    /** Sequence of the command that made the trade. */
    seq: integer('seq').notNull(),
    /** Position among that command's trades, from 0. */
    ordinal: integer('ordinal').notNull(),
    buyerOrgId: text('buyer_org_id')
      .notNull()
      .references(() => organization.id),
    sellerOrgId: text('seller_org_id')
      .notNull()
      .references(() => organization.id),
    buyOrderId: text('buy_order_id').notNull(),
    sellOrderId: text('sell_order_id').notNull(),
    fenPerKg: integer('fen_per_kg').notNull(),
    grams: integer('grams').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('market_trade_instrument_seq_uq').on(t.instrumentId, t.seq, t.ordinal),
    index('market_trade_buyer_idx').on(t.buyerOrgId),
    index('market_trade_seller_idx').on(t.sellerOrgId),
    check('market_trade_grams_positive', sql`${t.grams} > 0`),
    check('market_trade_price_positive', sql`${t.fenPerKg} > 0`),
  ],
);
