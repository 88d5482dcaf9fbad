import { inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { sqlRows, type DbOrTx } from '../../db/client.ts';
import { searchDocument, searchHerb } from '../../db/schema/search.ts';
import { planSearch, type SearchPlan } from '../../domains/catalog/herb-search.core.ts';
import { routeOf, type SearchRoute } from './herb-first.core.ts';
import { writeToIndex } from './search-generation.ts';
import { DOC_SIMILARITY_THRESHOLD, DOC_TIER, normalizeDocument, scoreOf, type DocTier, type NormalizedHerb } from './search.core.ts';
import {
  DOCUMENT_KINDS,
  pageOf,
  type DocumentKind,
  type FacetCounts,
  type SearchDocument,
  type SearchFilters,
  type SearchIndex,
  type SearchRequest,
  type SearchResult,
  type SearchStats,
} from './search.port.ts';

/**
 * The embedded search adapter: plain PostgreSQL (the same SQL on PGlite) over `search_document` and
 * `search_herb`, answering herb first (herb-first.core.ts). Two statements per query:
 *  1. the herbs: every `search_herb` row (a few hundred) gets the tier its names reach — the SQL twin
 *     of `matchHerb` in search.core.ts — and those that match, or that cover the query's grams
 *     (their documents' titles may match), are returned;
 *  2. the documents: those of the herbs from 1 through the covering btree index on `herb_id`, ranked
 *     by the better of the herb's tier and their title's (`matchTitle`), plus the documents whose
 *     title alone matches, found through the GIN index on `title_extra`; the match set feeds both
 *     the facet counts and the page.
 */

const UPSERT_BATCH = 500;
const d = searchDocument;
const h = searchHerb;
/** Title-only candidates, read from the GIN index in a fenced subquery (see `matchSetSql`). */
const candidate = alias(searchDocument, 'candidate');
type DocTable = typeof searchDocument | typeof candidate;

const tierSql = (n: DocTier) => sql.raw(String(n));
const threshold = sql.raw(String(DOC_SIMILARITY_THRESHOLD));
const textArray = (values: readonly string[]) => sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

/**
 * The tier a `search_herb` row's names reach short of similarity (null: none), and its similarity
 * to the query (0 when the plan does not use it): `matchHerb` in SQL.
 */
function herbMatchSql(plan: SearchPlan): { tier: SQL; similarity: SQL } {
  const { text: t, compact: c, likeText } = plan;
  if (plan.script === 'latin') {
    const substring = plan.substring ? sql`or ${h.searchText} like ${`%${likeText}%`}` : sql``;
    const tier = sql`(case
      when ${h.pinyinCompact} = ${c} or ${h.pinyinCompactU} = ${c} then ${tierSql(DOC_TIER.exact)}
      when ${h.initials} = ${c} or ${h.latin} = ${t} then ${tierSql(DOC_TIER.exactOther)}
      when ${h.pinyinCompact} like ${`${c}%`} or ${h.pinyinCompactU} like ${`${c}%`} or ${h.initials} like ${`${c}%`} or ${h.latin} like ${`${likeText}%`} then ${tierSql(DOC_TIER.prefix)}
      when ${h.pinyinWords} like ${`% ${c}%`} ${substring} then ${tierSql(DOC_TIER.substring)} end)`;
    const similarity = plan.similarity ? sql`greatest(similarity(${h.pinyinCompact}, ${c}), similarity(${h.latin}, ${t}))` : sql`0::real`;
    return { tier, similarity };
  }
  const tier = sql`(case
    when ${h.herbKey} = ${t} then ${tierSql(DOC_TIER.exact)}
    when ${t}::text = any(${h.names}) then ${tierSql(DOC_TIER.exactOther)}
    when ${h.herbKey} like ${`${likeText}%`} then ${tierSql(DOC_TIER.prefix)}
    when ${h.searchText} like ${`%${likeText}%`} then ${tierSql(DOC_TIER.substring)} end)`;
  const similarity = plan.similarity ? sql`similarity(${h.herbKey}, ${t})` : sql`0::real`;
  return { tier, similarity };
}

/** Whether a document's title matches on its own (`matchTitle` is not null). */
function titleMatchesSql(t: DocTable, plan: SearchPlan): SQL {
  if (plan.script === 'latin' && !plan.substring) return sql`false`;
  // An exact or prefix match is a substring match too.
  return sql`${t.titleKey} like ${`%${plan.likeText}%`}`;
}

/**
 * A document's tier: the better of its herb's (`herbTier`, null when the herb only covers the
 * query) and its title's — `matchDocument` in SQL. The title is tested only where it could do
 * better: an exact title (0) beats any herb tier, a title prefix (2) only tiers 3 and 4, a title
 * substring (3) only tier 4. Latin-script text matches titles only as a substring.
 */
function documentTierSql(t: DocTable, plan: SearchPlan, herbTier: SQL): SQL {
  const contains = titleMatchesSql(t, plan);
  if (plan.script === 'latin') {
    return sql`(case when ${herbTier} <= ${tierSql(DOC_TIER.substring)} then ${herbTier}
      when ${contains} then ${tierSql(DOC_TIER.substring)} else ${herbTier} end)`;
  }
  return sql`(case
    when ${t.titleKey} = ${plan.text} then ${tierSql(DOC_TIER.exact)}
    when ${herbTier} <= ${tierSql(DOC_TIER.prefix)} then ${herbTier}
    when ${t.titleKey} like ${`${plan.likeText}%`} then ${tierSql(DOC_TIER.prefix)}
    when ${herbTier} <= ${tierSql(DOC_TIER.substring)} then ${herbTier}
    when ${contains} then ${tierSql(DOC_TIER.substring)}
    else ${herbTier} end)`;
}

/** A herb from statement 1: its own tier (null when only its grams cover the query) and similarity. */
interface HerbHit {
  id: string;
  tier: number | null;
  sim: number;
}

const matchColumns = (t: DocTable) =>
  sql`${t.priceFenPerKg} as price, ${t.updatedAt} as updated, ${t.form} as form, ${t.grade} as grade, ${t.origin} as origin`;

/**
 * Statement 2's match set, rows (id, tier, sim, price, updated, form, grade, origin): the documents
 * of the herbs from statement 1 (index-only reads of `search_document_herb_idx`), then those of
 * other herbs whose title alone matches. The latter are read from the `title_extra` GIN index in a
 * fenced subquery (`offset 0`) so the filters are checked on those few rows rather than combined
 * with the filter columns' own indexes, which select far more rows.
 */
function matchSetSql(plan: SearchPlan, route: SearchRoute, herbs: readonly HerbHit[], filters: SearchFilters | undefined): SQL | null {
  const parts: SQL[] = [];
  // The herbs travel as three comma-separated lists (herb ids are `h_` and hex digits): the
  // statement's text then depends only on the shape of the query, so it is parsed once and reused.
  const ids = sql`string_to_array(${herbs.map((x) => x.id).join(',')}, ',')`;
  if (herbs.length > 0) {
    const tiers = sql`string_to_array(${herbs.map((x) => (x.tier === null ? '' : String(x.tier))).join(',')}, ',', '')::int[]`;
    const sims = sql`string_to_array(${herbs.map((x) => String(x.sim)).join(',')}, ',')::real[]`;
    const titleMatches = titleMatchesSql(d, plan);
    const where = sql.join([sql`(hit.tier is not null or ${titleMatches})`, ...filterSql(d, filters)], sql` and `);
    // The similarity ranks only documents whose tier stays `similar`: those whose title does not match.
    parts.push(sql`select ${d.id} as id, ${documentTierSql(d, plan, sql`hit.tier`)} as tier,
        (case when hit.tier = ${tierSql(DOC_TIER.similar)} and not ${titleMatches} then hit.sim else 0::real end) as sim, ${matchColumns(d)}
      from unnest(${ids}, ${tiers}, ${sims}) as hit(id, tier, sim) join ${searchDocument} on ${d.herbId} = hit.id
      where ${where}`);
  }
  if (route.titles && route.grams.length > 0) {
    const others = herbs.length > 0 ? [sql`${candidate.herbId} <> all(${ids})`] : [];
    const where = sql.join([titleMatchesSql(candidate, plan), ...others, ...filterSql(candidate, filters)], sql` and `);
    parts.push(sql`select ${candidate.id} as id, ${documentTierSql(candidate, plan, sql`null::int`)} as tier, 0::real as sim, ${matchColumns(candidate)}
      from (select * from ${searchDocument} where ${d.titleExtra} && ${textArray(route.grams)} offset 0) as candidate
      where ${where}`);
  }
  return parts.length === 0 ? null : sql.join(parts, sql` union all `);
}

function filterSql(t: DocTable, f: SearchFilters | undefined): SQL[] {
  const out: SQL[] = [];
  if (!f) return out;
  if (f.kind !== undefined) out.push(sql`${t.kind} = ${f.kind}`);
  if (f.form !== undefined) out.push(sql`${t.form} = ${f.form}`);
  if (f.grade !== undefined) out.push(sql`${t.grade} = ${f.grade}`);
  if (f.origin !== undefined) out.push(sql`${t.origin} = ${f.origin}`);
  if (f.daoDi !== undefined) out.push(sql`${t.daoDi} = ${f.daoDi}`);
  if (f.inStock !== undefined) out.push(sql`${t.inStock} = ${f.inStock}`);
  if (f.certificate !== undefined) out.push(sql`${t.certificates} @> array[${f.certificate}::text]`);
  if (f.priceMin !== undefined) out.push(sql`${t.priceFenPerKg} >= ${Math.trunc(f.priceMin)}`);
  if (f.priceMax !== undefined) out.push(sql`${t.priceFenPerKg} <= ${Math.trunc(f.priceMax)}`);
  return out;
}

function orderSql(sort: SearchRequest['sort']): SQL {
  const relevance = sql`tier, sim desc, id collate "C"`;
  switch (sort) {
    case 'price_asc':
      return sql`price asc nulls last, ${relevance}`;
    case 'price_desc':
      return sql`price desc nulls last, ${relevance}`;
    case 'newest':
      return sql`updated desc, ${relevance}`;
    default:
      return relevance;
  }
}

function herbRowOf(n: NormalizedHerb): typeof searchHerb.$inferInsert {
  return {
    id: n.id,
    herbKey: n.herbKey,
    names: [...n.names],
    searchText: n.searchText,
    latin: n.latin,
    pinyinCompact: n.pinyinCompact,
    pinyinCompactU: n.pinyinCompactU,
    pinyinWords: n.pinyinWords,
    initials: n.initials,
    grams: n.grams,
  };
}

function rowOf(doc: SearchDocument): { row: typeof searchDocument.$inferInsert; herb: NormalizedHerb } {
  const n = normalizeDocument(doc);
  const row = {
    id: doc.id,
    kind: doc.kind,
    title: doc.title,
    herbName: doc.herbName,
    herbKey: n.herbKey,
    titleKey: n.titleKey,
    names: n.names,
    searchText: n.searchText,
    chars: n.chars,
    latin: n.latin,
    pinyinCompact: n.pinyinCompact,
    pinyinCompactU: n.pinyinCompactU,
    pinyinWords: n.pinyinWords,
    initials: n.initials,
    form: doc.form ?? null,
    grade: doc.grade ?? null,
    origin: doc.origin ?? null,
    daoDi: doc.daoDi ?? null,
    certificates: doc.certificates ?? [],
    priceFenPerKg: doc.priceFenPerKg ?? null,
    inStock: doc.inStock ?? null,
    sellerOrgId: doc.sellerOrgId ?? null,
    updatedAt: new Date(doc.updatedAt).toISOString(),
    doc,
    herbId: n.herb.id,
    titleExtra: n.titleExtra,
  };
  return { row, herb: n.herb };
}

const UPDATABLE = [
  'kind', 'title', 'herb_name', 'herb_key', 'title_key', 'names', 'search_text', 'chars', 'latin', 'pinyin_compact',
  'pinyin_compact_u', 'pinyin_words', 'initials', 'form', 'grade', 'origin', 'dao_di', 'certificates',
  'price_fen_per_kg', 'in_stock', 'seller_org_id', 'updated_at', 'doc', 'herb_id', 'title_extra',
] as const;
const KEY_OF: Record<(typeof UPDATABLE)[number], keyof typeof searchDocument.$inferInsert> = {
  kind: 'kind', title: 'title', herb_name: 'herbName', herb_key: 'herbKey', title_key: 'titleKey', names: 'names',
  search_text: 'searchText', chars: 'chars', latin: 'latin', pinyin_compact: 'pinyinCompact', pinyin_compact_u: 'pinyinCompactU',
  pinyin_words: 'pinyinWords', initials: 'initials', form: 'form', grade: 'grade', origin: 'origin', dao_di: 'daoDi',
  certificates: 'certificates', price_fen_per_kg: 'priceFenPerKg', in_stock: 'inStock', seller_org_id: 'sellerOrgId',
  updated_at: 'updatedAt', doc: 'doc', herb_id: 'herbId', title_extra: 'titleExtra',
};
const ON_CONFLICT_SET = Object.fromEntries(UPDATABLE.map((col) => [KEY_OF[col], sql.raw(`excluded."${col}"`)]));

export class PostgresSearchIndex implements SearchIndex {
  readonly kind = 'postgres' as const;

  constructor(private readonly db: DbOrTx) {}

  upsert(docs: readonly SearchDocument[]): Promise<void> {
    return writeToIndex(() => this.write(docs));
  }

  private async write(docs: readonly SearchDocument[]): Promise<void> {
    // The last version of a repeated id wins (one statement cannot update a row twice).
    const byId = new Map<string, SearchDocument>();
    for (const doc of docs) byId.set(doc.id, doc);
    const rows = [...byId.values()].map(rowOf);
    for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
      const batch = rows.slice(i, i + UPSERT_BATCH);
      // A herb row is written once and never changes (its id is derived from its columns).
      const herbs = new Map(batch.map((r) => [r.herb.id, r.herb]));
      await this.db.insert(searchHerb).values([...herbs.values()].map(herbRowOf)).onConflictDoNothing({ target: searchHerb.id });
      await this.db
        .insert(searchDocument)
        .values(batch.map((r) => r.row))
        .onConflictDoUpdate({ target: searchDocument.id, set: ON_CONFLICT_SET });
    }
  }

  remove(ids: readonly string[]): Promise<void> {
    return writeToIndex(async () => {
      for (let i = 0; i < ids.length; i += UPSERT_BATCH) {
        await this.db.delete(searchDocument).where(inArray(searchDocument.id, ids.slice(i, i + UPSERT_BATCH)));
      }
    });
  }

  clear(): Promise<void> {
    return writeToIndex(async () => {
      await this.db.execute(sql`delete from ${searchDocument} where true`);
      await this.db.execute(sql`delete from ${searchHerb} where true`);
    });
  }

  async stats(): Promise<SearchStats> {
    const rows = await sqlRows<{ kind: string; n: number | string }>(this.db, sql`select kind, count(*) as n from ${searchDocument} group by kind`);
    const byKind: Partial<Record<DocumentKind, number>> = {};
    let documents = 0;
    for (const r of rows) {
      const n = Number(r.n);
      documents += n;
      if ((DOCUMENT_KINDS as readonly string[]).includes(r.kind)) byKind[r.kind as DocumentKind] = n;
    }
    return { documents, byKind };
  }

  /** Statement 1: the herbs whose names match the plan, and those whose documents' titles may. */
  private async matchHerbs(plan: SearchPlan, route: SearchRoute): Promise<HerbHit[]> {
    const { tier, similarity } = herbMatchSql(plan);
    const similar = plan.similarity ? sql`case when sim >= ${threshold} then ${tierSql(DOC_TIER.similar)} end` : sql`null::int`;
    const covers = route.titles && route.grams.length > 0 ? sql`${h.grams} @> ${textArray(route.grams)}` : sql`false`;
    // `offset 0` keeps the similarity computed once per herb, not once per reference to it.
    const rows = await sqlRows<{ id: string; tier: number | string | null; sim: number | string | null }>(
      this.db,
      sql`select id, tier, sim from (
            select id, coalesce(tier, ${similar}) as tier, sim, covers from (
              select ${h.id} as id, ${tier} as tier, ${similarity} as sim, ${covers} as covers from ${searchHerb} offset 0
            ) as scored
          ) as x where tier is not null or covers`,
    );
    return rows.map((r) => ({ id: r.id, tier: r.tier === null ? null : Number(r.tier), sim: Number(r.sim ?? 0) }));
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const intent = planSearch(request.q);
    const { limit, offset } = pageOf(request);
    const facets = { form: {} as FacetCounts, grade: {} as FacetCounts, origin: {} as FacetCounts };
    if (intent.kind === 'nothing') return { hits: [], total: 0, facets };
    let matches: SQL | null;
    if (intent.kind === 'browse') {
      const filters = filterSql(d, request.filters);
      const where = filters.length > 0 ? sql.join(filters, sql` and `) : sql`true`;
      matches = sql`select ${d.id} as id, 0 as tier, 0::real as sim, ${matchColumns(d)} from ${searchDocument} where ${where}`;
    } else {
      const { plan } = intent;
      const route = routeOf(plan);
      const herbs = await this.matchHerbs(plan, route);
      matches = matchSetSql(plan, route, herbs, request.filters);
    }
    if (matches === null) return { hits: [], total: 0, facets };

    // The match set feeds the facet counts (one group per form × grade × origin, summed here) and
    // the page. It is read twice rather than materialised: an index-only range read twice costs less
    // than writing and rereading a few thousand rows.
    const statement = sql`with m as not materialized (${matches}),
          f as (select form, grade, origin, count(*) as n from m group by form, grade, origin),
          p as (select id, tier, sim, price, updated from m order by ${orderSql(request.sort)} limit ${limit} offset ${offset})
          select 'f' as part, form, grade, origin, n, null::text as id, null::int as tier, null::real as sim, null::bigint as rn from f
          union all
          select 'p', null, null, null, null, id, tier, sim, row_number() over (order by ${orderSql(request.sort)}) from p`;
    type Row = {
      part: 'f' | 'p';
      form: string | null;
      grade: string | null;
      origin: string | null;
      n: number | string | null;
      id: string | null;
      tier: number | string | null;
      sim: number | string | null;
      rn: number | string | null;
    };
    const rows = await sqlRows<Row>(this.db, statement);
    let total = 0;
    const page: Row[] = [];
    const add = (into: FacetCounts, value: string | null, n: number) => {
      if (value !== null) into[value] = (into[value] ?? 0) + n;
    };
    for (const r of rows) {
      if (r.part === 'p') {
        page.push(r);
        continue;
      }
      const n = Number(r.n);
      total += n;
      add(facets.form, r.form, n);
      add(facets.grade, r.grade, n);
      add(facets.origin, r.origin, n);
    }
    page.sort((a, b) => Number(a.rn) - Number(b.rn));
    const browsing = intent.kind === 'browse';
    return {
      hits: page.map((r) => ({
        id: r.id ?? '',
        score: browsing ? 0 : scoreOf({ tier: Number(r.tier) as DocTier, similarity: Number(r.sim ?? 0) }),
      })),
      total,
      facets,
    };
  }
}
