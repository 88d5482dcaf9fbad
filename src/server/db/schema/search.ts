import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The embedded search index (src/server/integrations/search/postgres.adapter.ts): one row per
 * catalogue document with normalised match columns (see search.core.ts `normalizeDocument`) and its
 * facets as columns. Trigram GIN indexes (search_text, pinyin_words, herb_key, pinyin_compact,
 * latin) are added in the custom part of the migration: drizzle-kit cannot express `gin_trgm_ops`.
 *
 * Queries are answered herb first (integrations/search/herb-first.core.ts): the query is matched
 * against `search_herb` (one row per distinct set of herb names, ~500), then the documents of the
 * matching herbs are read through `search_document_herb_idx`, which holds every column the search
 * reads; a document whose title alone matches is found through the GIN index on `title_extra`.
 */
export const searchDocument = pgTable(
  'search_document',
  {
    id: text('id').primaryKey(),
    /** herb | product | listing */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    herbName: text('herb_name').notNull(),
    /** Normalised standard name and title (simplified, lowercase). */
    herbKey: text('herb_key').notNull(),
    titleKey: text('title_key').notNull(),
    /** Normalised names: standard, title, aliases, processed forms. */
    names: text('names').array().notNull(),
    /** ` name … latin ` for substring / trigram matching. */
    searchText: text('search_text').notNull(),
    /** Distinct characters of search_text: GIN candidate filter for 1–2 character queries. */
    chars: text('chars').array().notNull(),
    latin: text('latin').notNull(),
    pinyinCompact: text('pinyin_compact').notNull(),
    pinyinCompactU: text('pinyin_compact_u').notNull(),
    /** ` huangqi qi `: compact pinyin from each syllable on (u variants too). */
    pinyinWords: text('pinyin_words').notNull(),
    initials: text('initials').notNull(),
    form: text('form'),
    grade: text('grade'),
    origin: text('origin'),
    daoDi: boolean('dao_di'),
    certificates: text('certificates').array().notNull().default(sql`'{}'::text[]`),
    priceFenPerKg: integer('price_fen_per_kg'),
    inStock: boolean('in_stock'),
    sellerOrgId: text('seller_org_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
    /** The document as upserted (returned by the port's readers, compared by reindex). */
    doc: jsonb('doc').notNull(),
    /** `search_herb.id` of the document's herb names ('' on rows written before herbs had rows: reindex). */
    herbId: text('herb_id').notNull().default(''),
    /** 1- and 2-character grams of the title that its herb's names lack. */
    titleExtra: text('title_extra').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    index('search_document_kind_idx').on(t.kind),
    index('search_document_herb_key_idx').on(t.herbKey),
    index('search_document_pinyin_prefix_idx').on(sql`${t.pinyinCompact} text_pattern_ops`),
    index('search_document_pinyin_u_prefix_idx').on(sql`${t.pinyinCompactU} text_pattern_ops`),
    index('search_document_initials_prefix_idx').on(sql`${t.initials} text_pattern_ops`),
    index('search_document_latin_prefix_idx').on(sql`${t.latin} text_pattern_ops`),
    index('search_document_chars_idx').using('gin', t.chars),
    index('search_document_form_idx').on(t.form),
    index('search_document_grade_idx').on(t.grade),
    index('search_document_origin_idx').on(t.origin),
    index('search_document_price_idx').on(t.priceFenPerKg),
    index('search_document_updated_idx').on(t.updatedAt),
    // Herb-first reads: one index range per matching herb, with every column the search filters,
    // ranks, sorts and counts facets on, so the documents are read from the index alone.
    index('search_document_herb_idx').on(
      t.herbId, t.titleKey, t.kind, t.form, t.grade, t.origin, t.daoDi, t.inStock, t.priceFenPerKg, t.updatedAt, t.id, t.certificates,
    ),
    // No pending list: a fresh bulk load is searchable at full speed before any vacuum.
    index('search_document_title_extra_idx').using('gin', t.titleExtra).with({ fastupdate: false }),
  ],
);

/**
 * The herb-level match columns of search documents, one row per distinct value (`herbIdOf`): what
 * every document of a herb shares. Small enough to scan whole for each query. Rows are added by
 * upserts and only removed by clearing the index; a row no document points at matches nothing.
 */
export const searchHerb = pgTable('search_herb', {
  id: text('id').primaryKey(),
  herbKey: text('herb_key').notNull(),
  /** Standard name, aliases, processed forms. */
  names: text('names').array().notNull(),
  /** ` name alias … latin `. */
  searchText: text('search_text').notNull(),
  latin: text('latin').notNull(),
  pinyinCompact: text('pinyin_compact').notNull(),
  pinyinCompactU: text('pinyin_compact_u').notNull(),
  pinyinWords: text('pinyin_words').notNull(),
  initials: text('initials').notNull(),
  /** 1- and 2-character grams of the names and the Latin name. */
  grams: text('grams').array().notNull(),
});
