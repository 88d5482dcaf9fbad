import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The embedded search index (src/server/integrations/search/postgres.adapter.ts): one row per
 * catalogue document with normalised match columns (see search.core.ts `normalizeDocument`) and its
 * facets as columns. Trigram GIN indexes (search_text, pinyin_words, herb_key, pinyin_compact,
 * latin) are added in the custom part of the migration: drizzle-kit cannot express `gin_trgm_ops`.
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
  ],
);
