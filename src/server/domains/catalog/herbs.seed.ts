import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { herb } from '../../db/schema/catalog.ts';
import { HERBS, type HerbRecord } from './herb-master.data.ts';
import { gramsToMg } from './herb-search.core.ts';
import { compactPinyin, initialsOf } from './herb-names.core.ts';

/**
 * Loads the herb master (`HERBS`) into the `herb` table: insert new herbs, update changed ones by
 * standard name, leave unchanged rows alone. Idempotent and cheap enough to run on every migrate.
 */

export type HerbRow = typeof herb.$inferInsert;
/** A processed form as stored in `herb.processed_forms`; `handling` only when the form overrides it. */
export interface StoredProcessedForm {
  name: string;
  processing: string;
  handling?: string | null;
}

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 2020-12-30, the day 中国药典2020 took effect: the time part of every master-data herb id. */
const MASTER_EPOCH_MS = Date.UTC(2020, 11, 30);

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ID_ALPHABET[bytes[i]! % 32];
  return out;
}

/**
 * A stable id for a master-data herb: `hrb_` + the 药典2020 date in the sortable time part + 16
 * characters of SHA-256(name). Every database (demo, test, production) gives 黄芪 the same id, so
 * links and fixtures survive a reseed. Rows inserted earlier keep whatever id they were given.
 */
export function herbIdFor(name: string): string {
  let time = '';
  let value = MASTER_EPOCH_MS;
  for (let i = 0; i < 10; i += 1) {
    time = ID_ALPHABET[value % 32] + time;
    value = Math.floor(value / 32);
  }
  return `hrb_${time}${base32(createHash('sha256').update(name, 'utf8').digest(), 16)}`;
}

/** All written names of a herb for trigram/substring search: standard, aliases, processed forms, Latin. */
export function searchTextOf(record: HerbRecord): string {
  const names = [record.name, ...record.aliases, ...record.processedForms.map((f) => f.name)];
  return [...new Set(names), record.latin].join(' ');
}

export function herbRowOf(record: HerbRecord): HerbRow {
  const forms: StoredProcessedForm[] = record.processedForms.map((f) =>
    f.handling === undefined ? { name: f.name, processing: f.processing } : { name: f.name, processing: f.processing, handling: f.handling },
  );
  return {
    id: herbIdFor(record.name),
    name: record.name,
    pinyin: record.pinyin,
    pinyinCompact: compactPinyin(record.pinyin),
    initials: initialsOf(record.pinyin),
    latin: record.latin,
    aliases: [...record.aliases],
    processedForms: forms,
    baseHerbName: record.baseHerb ?? null,
    searchText: searchTextOf(record),
    category: record.category,
    toxicity: record.toxicity,
    doseMinMg: record.dose ? gramsToMg(record.dose.minG) : null,
    doseMaxMg: record.dose ? gramsToMg(record.dose.maxG) : null,
    forDecoction: record.forDecoction,
    handling: record.handling,
    handlingNote: record.handlingNote ?? null,
    pregnancy: record.pregnancy,
    source: record.source,
  };
}

export interface HerbSeedResult {
  /** Herbs in the master list. */
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Columns overwritten from the master on conflict (everything but the id and the name itself). */
const UPDATED_COLUMNS = [
  herb.pinyin,
  herb.pinyinCompact,
  herb.initials,
  herb.latin,
  herb.aliases,
  herb.processedForms,
  herb.baseHerbName,
  herb.searchText,
  herb.category,
  herb.toxicity,
  herb.doseMinMg,
  herb.doseMaxMg,
  herb.forDecoction,
  herb.handling,
  herb.handlingNote,
  herb.pregnancy,
  herb.source,
] as const;

const excluded = (column: (typeof UPDATED_COLUMNS)[number]): SQL => sql.raw(`excluded."${column.name}"`);
const UPDATE_SET = Object.fromEntries(
  (Object.keys(herb) as (keyof typeof herb)[])
    .filter((key) => (UPDATED_COLUMNS as readonly unknown[]).includes(herb[key]))
    .map((key) => [key, excluded(herb[key] as (typeof UPDATED_COLUMNS)[number])]),
) as Partial<Record<keyof HerbRow, SQL>>;
/** Only rows whose facts differ are rewritten, so a second run touches nothing. */
const CHANGED = sql`(${sql.join(UPDATED_COLUMNS.map((c) => sql`${c}`), sql`, `)}) IS DISTINCT FROM (${sql.join(UPDATED_COLUMNS.map(excluded), sql`, `)})`;

const BATCH = 200;

/** Inserts or updates every herb of `records` (default `HERBS`) by name, in one transaction. */
export async function upsertHerbMasterData(db: DbOrTx, records: readonly HerbRecord[] = HERBS): Promise<HerbSeedResult> {
  const seen = new Set<string>();
  // A name listed twice would make one INSERT … ON CONFLICT touch a row twice: the first one wins.
  const rows = records.filter((r) => !seen.has(r.name) && seen.add(r.name)).map(herbRowOf);
  let inserted = 0;
  let updated = 0;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const written = await tx
        .insert(herb)
        .values(rows.slice(i, i + BATCH))
        .onConflictDoUpdate({ target: herb.name, set: UPDATE_SET, setWhere: CHANGED })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      for (const row of written) {
        if (row.inserted) inserted += 1;
        else updated += 1;
      }
    }
  });
  return { total: rows.length, inserted, updated, unchanged: rows.length - inserted - updated };
}
