import { boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

/** Herb master data (药材): names for search, clinical facts for screening, each with its source. */
export const herb = pgTable(
  'herb',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull().unique(),
    pinyin: text('pinyin').notNull(),
    /** Pinyin without spaces (`huangqi`), for prefix search. */
    pinyinCompact: text('pinyin_compact').notNull(),
    initials: text('initials').notNull(),
    latin: text('latin').notNull(),
    aliases: jsonb('aliases').$type<string[]>().notNull(),
    processedForms: jsonb('processed_forms').$type<{ name: string; processing: string }[]>().notNull(),
    baseHerbName: text('base_herb_name'),
    /** All names (standard, aliases, processed forms) joined for trigram search. */
    searchText: text('search_text').notNull(),
    category: text('category').notNull(),
    toxicity: text('toxicity').notNull(),
    doseMinMg: integer('dose_min_mg'),
    doseMaxMg: integer('dose_max_mg'),
    forDecoction: boolean('for_decoction').notNull().default(true),
    handling: text('handling'),
    handlingNote: text('handling_note'),
    pregnancy: text('pregnancy').notNull(),
    source: text('source').notNull(),
  },
  (t) => [index('herb_pinyin_idx').on(t.pinyinCompact), index('herb_initials_idx').on(t.initials), index('herb_category_idx').on(t.category)],
);
