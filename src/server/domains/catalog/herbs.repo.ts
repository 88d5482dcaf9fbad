import { and, eq, getTableColumns, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { herb } from '../../db/schema/catalog.ts';
import { HERB_CATEGORIES } from './herb-master.data.ts';
import { encodeMatch, SIMILARITY_THRESHOLD, TIER, type MatchedBy, type SearchPlan, type SearchSort, type Tier } from './herb-search.core.ts';

/**
 * Drizzle queries for the herb master. Search is plain PostgreSQL (the same SQL on PGlite): exact
 * and prefix matches on the name, compact pinyin and initials (btree/unique indexes), LIKE on
 * `search_text` and `lower(latin)` (GIN trigram indexes) and pg_trgm similarity for longer queries.
 * The master is public reference data: no tenant scoping.
 */

export type HerbRowRead = typeof herb.$inferSelect;

export interface HerbFilters {
  category?: string | undefined;
  toxicity?: string | undefined;
  pregnancy?: string | undefined;
}

export interface HerbQuery extends HerbFilters {
  /** Null lists every herb (browse). */
  plan: SearchPlan | null;
  sort: SearchSort;
  limit: number;
  offset: number;
}

export interface HerbSearchRow extends HerbRowRead {
  /** `encodeMatch(tier, matchedBy)`; null when browsing. */
  matchCode: number | null;
}

interface Condition {
  tier: Tier;
  by: MatchedBy;
  when: SQL;
}

const existsAlias = (pattern: string) =>
  sql`exists (select 1 from jsonb_array_elements_text(${herb.aliases}) as a(v) where a.v like ${pattern})`;
const existsForm = (pattern: string) =>
  sql`exists (select 1 from jsonb_array_elements(${herb.processedForms}) as f(v) where f.v->>'name' like ${pattern})`;
/** Compact pinyin, also with ü read as u (nuzhenzi finds nü zhen zi, stored nvzhenzi). */
const pinyinCompactU = sql`translate(${herb.pinyinCompact}, 'v', 'u')`;
const latinLower = sql`lower(${herb.latin})`;

/** The match conditions for a plan, best tier first; the first that holds decides a row's tier. */
function conditionsFor(plan: SearchPlan): { conditions: Condition[]; where: SQL; score: SQL | null } {
  const { text, likeText, compact } = plan;
  const c: Condition[] = [];
  if (plan.script === 'latin') {
    // ü is stored as v; a query with u may mean ü (nuzhenzi), one without u cannot.
    const mayMeanU = compact.includes('u');
    const pinyinIs = (pattern: string, op: 'eq' | 'like') => {
      const cmp = (col: SQL) => (op === 'eq' ? sql`${col} = ${pattern}` : sql`${col} like ${pattern}`);
      return mayMeanU ? sql`(${cmp(sql`${herb.pinyinCompact}`)} or ${cmp(pinyinCompactU)})` : cmp(sql`${herb.pinyinCompact}`);
    };
    c.push({ tier: TIER.exactOther, by: 'pinyin', when: pinyinIs(compact, 'eq') });
    c.push({ tier: TIER.exactOther, by: 'latin', when: sql`${latinLower} = ${text}` });
    c.push({ tier: TIER.initials, by: 'initials', when: sql`${herb.initials} = ${compact}` });
    c.push({ tier: TIER.prefix, by: 'pinyin', when: pinyinIs(`${compact}%`, 'like') });
    c.push({ tier: TIER.prefixOther, by: 'initials', when: sql`${herb.initials} like ${`${compact}%`}` });
    c.push({ tier: TIER.prefixOther, by: 'latin', when: sql`${latinLower} like ${`${likeText}%`}` });
    if (plan.pinyinRegex) c.push({ tier: TIER.substringOther, by: 'pinyin', when: sql`${herb.pinyin} ~ ${plan.pinyinRegex}` });
    if (plan.substring) c.push({ tier: TIER.substringOther, by: 'latin', when: sql`${latinLower} like ${`%${likeText}%`}` });
    let score: SQL | null = null;
    if (plan.similarity) {
      const pinyinSim = sql`similarity(${herb.pinyinCompact}, ${compact})`;
      const latinSim = sql`word_similarity(${text}, ${latinLower})`;
      c.push({ tier: TIER.similar, by: 'similar', when: sql`(${pinyinSim} >= ${SIMILARITY_THRESHOLD.pinyin} or ${latinSim} >= ${SIMILARITY_THRESHOLD.words})` });
      score = sql`greatest(${pinyinSim}, ${latinSim})`;
    }
    return { conditions: c, where: or(...c.map((x) => x.when))!, score };
  }
  // Chinese (or other) text: names, aliases and processed forms; search_text holds them all.
  c.push({ tier: TIER.exactName, by: 'name', when: sql`${herb.name} = ${text}` });
  c.push({ tier: TIER.exactOther, by: 'alias', when: sql`${herb.aliases} @> jsonb_build_array(${text}::text)` });
  c.push({ tier: TIER.exactOther, by: 'processedForm', when: sql`${herb.processedForms} @> jsonb_build_array(jsonb_build_object('name', ${text}::text))` });
  c.push({ tier: TIER.prefix, by: 'name', when: sql`${herb.name} like ${`${likeText}%`}` });
  c.push({ tier: TIER.prefixOther, by: 'alias', when: existsAlias(`${likeText}%`) });
  c.push({ tier: TIER.prefixOther, by: 'processedForm', when: existsForm(`${likeText}%`) });
  c.push({ tier: TIER.substring, by: 'name', when: sql`${herb.name} like ${`%${likeText}%`}` });
  c.push({ tier: TIER.substringOther, by: 'alias', when: existsAlias(`%${likeText}%`) });
  c.push({ tier: TIER.substringOther, by: 'processedForm', when: existsForm(`%${likeText}%`) });
  c.push({ tier: TIER.substringOther, by: 'latin', when: sql`${herb.latin} ilike ${`%${likeText}%`}` });
  // Every condition above implies this one, which the GIN trigram index on search_text serves
  // (for three characters and more; shorter needles scan the small table).
  const where: SQL[] = [sql`${herb.name} = ${text}`, sql`${herb.searchText} ilike ${`%${likeText}%`}`];
  let score: SQL | null = null;
  if (plan.similarity) {
    score = sql`word_similarity(${text}, ${herb.searchText})`;
    const similar = sql`${score} >= ${SIMILARITY_THRESHOLD.words}`;
    c.push({ tier: TIER.similar, by: 'similar', when: similar });
    where.push(similar);
  }
  return { conditions: c, where: or(...where)!, score };
}

const byPinyin: SQL[] = [sql`${herb.pinyin} collate "C"`, sql`${herb.name} collate "C"`];
const categoryRank = sql`coalesce(array_position(array[${sql.join(
  HERB_CATEGORIES.map((cat) => sql`${cat}`),
  sql`, `,
)}]::text[], ${herb.category}), ${HERB_CATEGORIES.length + 1})`;

function filtersOf(q: HerbFilters): SQL[] {
  const out: SQL[] = [];
  if (q.category) out.push(eq(herb.category, q.category));
  if (q.toxicity) out.push(eq(herb.toxicity, q.toxicity));
  if (q.pregnancy) out.push(eq(herb.pregnancy, q.pregnancy));
  return out;
}

/** Matching herbs, ranked and paged, with the total number of matches. */
export async function queryHerbs(db: DbOrTx, q: HerbQuery): Promise<{ rows: HerbSearchRow[]; total: number }> {
  const filters = filtersOf(q);
  let matchCode: SQL<number | null> = sql<number | null>`null::int`;
  let relevance: SQL[] = [];
  if (q.plan) {
    const { conditions, where, score } = conditionsFor(q.plan);
    matchCode = sql<number | null>`(case ${sql.join(
      conditions.map((x) => sql`when ${x.when} then ${sql.raw(String(encodeMatch(x.tier, x.by)))}`),
      sql` `,
    )} end)`;
    filters.push(where);
    relevance = [sql`${matchCode} / 10`];
    if (score) relevance.push(sql`(case when ${matchCode} / 10 = ${sql.raw(String(TIER.similar))} then ${score} else 0 end) desc`);
  }
  const order =
    q.sort === 'category' ? [categoryRank, ...byPinyin] : q.sort === 'name' || !q.plan ? byPinyin : [...relevance, ...byPinyin];
  const rows = await db
    .select({ ...getTableColumns(herb), matchCode: matchCode.mapWith((v: unknown) => (v === null ? null : Number(v))), total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(herb)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(...order)
    .limit(q.limit)
    .offset(q.offset);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && q.offset > 0) total = await countHerbs(db, filters);
  return { rows: rows.map(({ total: _total, ...row }) => row), total };
}

async function countHerbs(db: DbOrTx, filters: SQL[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(herb)
    .where(filters.length ? and(...filters) : undefined);
  return row?.n ?? 0;
}

export async function findHerbById(db: DbOrTx, id: string): Promise<HerbRowRead | undefined> {
  const [row] = await db.select().from(herb).where(eq(herb.id, id)).limit(1);
  return row;
}

export async function findHerbByName(db: DbOrTx, name: string): Promise<HerbRowRead | undefined> {
  const [row] = await db.select().from(herb).where(eq(herb.name, name)).limit(1);
  return row;
}

/** Ids of the herbs with these standard names (names without a row are absent from the map). */
export async function herbIdsByName(db: DbOrTx, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db.select({ id: herb.id, name: herb.name }).from(herb).where(inArray(herb.name, [...names]));
  return new Map(rows.map((r) => [r.name, r.id]));
}

export async function countAllHerbs(db: DbOrTx): Promise<number> {
  return countHerbs(db, []);
}
