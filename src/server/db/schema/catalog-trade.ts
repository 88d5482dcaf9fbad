import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization } from './auth.ts';
import { herb } from './catalog.ts';

/**
 * What sellers offer: products (herb × form × spec × origin), lots (批次, stock in grams with its
 * quality report and traceability) and listings (a lot offered at a price in fen per kg). Stock
 * reservations hold grams of a lot for a buyer until they are released (or, later, shipped).
 */
export const product = pgTable(
  'product',
  {
    /** `prd_…` */
    id: text('id').primaryKey(),
    sellerOrgId: text('seller_org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    herbId: text('herb_id')
      .notNull()
      .references(() => herb.id),
    /** raw (药材) | decoction_piece (饮片) | granule (配方颗粒) */
    form: text('form').notNull(),
    /** slice 片 | segment 段 | shred 丝 | chunk 块 | none */
    cut: text('cut').notNull(),
    /** raw 生 | stir_fried 炒 | adjuvant_fried 炙 | prepared 制 | calcined 煅 */
    processing: text('processing').notNull(),
    /** selected 选货 | ungraded 统货 | graded 等级 */
    grade: text('grade').notNull(),
    /** 产地, e.g. 甘肃陇西 */
    origin: text('origin').notNull(),
    daoDi: boolean('dao_di').notNull().default(false),
    /** Derived display name, e.g. 黄芪 饮片 片 生 选货 甘肃陇西. */
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('product_seller_idx').on(t.sellerOrgId), index('product_herb_idx').on(t.herbId)],
);

export const lot = pgTable(
  'lot',
  {
    /** `lot_…` */
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => product.id, { onDelete: 'cascade' }),
    sellerOrgId: text('seller_org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    batchNo: text('batch_no').notNull(),
    quantityG: integer('quantity_g').notNull(),
    reservedG: integer('reserved_g').notNull().default(0),
    productionDate: date('production_date').notNull(),
    expiryDate: date('expiry_date').notNull(),
    /** 含量 (marker compound, %), 水分 (%), 总灰分 (%) as exact decimals. */
    contentPct: numeric('content_pct', { precision: 7, scale: 3 }),
    moisturePct: numeric('moisture_pct', { precision: 5, scale: 2 }),
    totalAshPct: numeric('total_ash_pct', { precision: 5, scale: 2 }),
    /** 重金属 and 农残 in mg/kg (ppm), exact decimals. */
    heavyMetalsPpm: numeric('heavy_metals_ppm', { precision: 9, scale: 3 }),
    pesticidePpm: numeric('pesticide_ppm', { precision: 9, scale: 3 }),
    /** 二氧化硫残留 in mg/kg (ppm). */
    so2Ppm: integer('so2_ppm'),
    growerBase: text('grower_base'),
    harvestDate: date('harvest_date'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('lot_seller_batch_uq').on(t.sellerOrgId, t.batchNo),
    index('lot_product_idx').on(t.productId),
    check('lot_quantity_positive', sql`${t.quantityG} > 0`),
    check('lot_reserved_nonnegative', sql`${t.reservedG} >= 0`),
    check('lot_reserved_within_quantity', sql`${t.reservedG} <= ${t.quantityG}`),
  ],
);

export interface PriceTier {
  minG: number;
  priceFenPerKg: number;
}

export const listing = pgTable(
  'listing',
  {
    /** `lst_…` */
    id: text('id').primaryKey(),
    lotId: text('lot_id')
      .notNull()
      .references(() => lot.id, { onDelete: 'cascade' }),
    sellerOrgId: text('seller_org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    /** draft | active | paused | sold_out | closed (transitions in listings.core.ts) */
    status: text('status').notNull().default('draft'),
    priceFenPerKg: integer('price_fen_per_kg').notNull(),
    tiers: jsonb('tiers').$type<PriceTier[]>().notNull(),
    minOrderG: integer('min_order_g').notNull(),
    deliveryRegions: jsonb('delivery_regions').$type<string[]>().notNull(),
    leadTimeDays: integer('lead_time_days').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('listing_seller_idx').on(t.sellerOrgId),
    index('listing_lot_idx').on(t.lotId),
    index('listing_status_idx').on(t.status),
    check('listing_price_positive', sql`${t.priceFenPerKg} > 0`),
    check('listing_min_order_positive', sql`${t.minOrderG} > 0`),
    check('listing_lead_time_nonnegative', sql`${t.leadTimeDays} >= 0`),
  ],
);

/** Grams of a lot held for a buyer; one row per (buyer organisation, idempotency key). */
export const stockReservation = pgTable(
  'stock_reservation',
  {
    /** `rsv_…` */
    id: text('id').primaryKey(),
    /** The listing reserved through; null when the seller allocates a lot to a contract order (call-off). */
    listingId: text('listing_id').references(() => listing.id),
    lotId: text('lot_id')
      .notNull()
      .references(() => lot.id),
    sellerOrgId: text('seller_org_id')
      .notNull()
      .references(() => organization.id),
    buyerOrgId: text('buyer_org_id')
      .notNull()
      .references(() => organization.id),
    grams: integer('grams').notNull(),
    /** The price quoted when the stock was reserved (tier applied) and the line total, in fen. */
    unitPriceFenPerKg: integer('unit_price_fen_per_kg').notNull(),
    totalFen: integer('total_fen').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** held | released */
    status: text('status').notNull().default('held'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('stock_reservation_buyer_key_uq').on(t.buyerOrgId, t.idempotencyKey),
    index('stock_reservation_lot_idx').on(t.lotId),
    check('stock_reservation_grams_positive', sql`${t.grams} > 0`),
  ],
);
