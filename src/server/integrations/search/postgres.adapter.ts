import { inArray, sql, type SQL } from 'drizzle-orm';
import { sqlRows, type DbOrTx } from '../../db/client.ts';
import { searchDocument } from '../../db/schema/search.ts';
import { planSearch, type SearchPlan } from '../../domains/catalog/herb-search.core.ts';
import { DOC_SIMILARITY_THRESHOLD, DOC_TIER, normalizeDocument, queryChars, scoreOf, type DocTier } from './search.core.ts';
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
 * The embedded search adapter: plain PostgreSQL (the same SQL on PGlite) over `search_document`.
 * Every match condition is the SQL twin of `matchDocument` in search.core.ts; the WHERE clause is
 * an OR of index-served predicates (GIN on the character set for 1–2 character Han queries, GIN
 * trigram on search_text / pinyin_words / herb_key / pinyin_compact / latin, btree `text_pattern_ops`
 * prefixes on initials and latin), and the tier CASE ranks what it found.
 */

const UPSERT_BATCH = 500;
const d = searchDocument;

interface Compiled {
  where: SQL;
  tier: SQL;
  similarity: SQL;
}

const tierSql = (n: DocTier) => sql.raw(String(n));
const threshold = sql.raw(String(DOC_SIMILARITY_THRESHOLD));

function compile(plan: SearchPlan): Compiled {
  const { text: t, compact: c, likeText } = plan;
  if (plan.script === 'latin') {
    const similar = plan.similarity
      ? sql`((${d.pinyinCompact} % ${c} and similarity(${d.pinyinCompact}, ${c}) >= ${threshold}) or (${d.latin} % ${t} and similarity(${d.latin}, ${t}) >= ${threshold}))`
      : sql`false`;
    const substring = plan.substring ? sql`${d.searchText} like ${`%${likeText}%`}` : sql`false`;
    const where = sql`(${d.pinyinWords} like ${`% ${c}%`} or ${d.initials} like ${`${c}%`} or ${d.latin} like ${`${likeText}%`} or ${substring} or ${similar})`;
    const tier = sql`(case
      when ${d.pinyinCompact} = ${c} or ${d.pinyinCompactU} = ${c} then ${tierSql(DOC_TIER.exact)}
      when ${d.initials} = ${c} or ${d.latin} = ${t} then ${tierSql(DOC_TIER.exactOther)}
      when ${d.pinyinCompact} like ${`${c}%`} or ${d.pinyinCompactU} like ${`${c}%`} or ${d.initials} like ${`${c}%`} or ${d.latin} like ${`${likeText}%`} then ${tierSql(DOC_TIER.prefix)}
      when ${d.pinyinWords} like ${`% ${c}%`} or ${substring} then ${tierSql(DOC_TIER.substring)}
      else ${tierSql(DOC_TIER.similar)} end)`;
    const similarity = plan.similarity
      ? sql`greatest(similarity(${d.pinyinCompact}, ${c}), similarity(${d.latin}, ${t}))`
      : sql`0::real`;
    return { where, tier, similarity };
  }
  const chars = queryChars(t);
  const contains = sql`(${d.chars} @> ${sql`array[${sql.join(
    chars.map((ch) => sql`${ch}`),
    sql`, `,
  )}]::text[]`} and ${d.searchText} like ${`%${likeText}%`})`;
  const similar = plan.similarity ? sql`(${d.herbKey} % ${t} and similarity(${d.herbKey}, ${t}) >= ${threshold})` : sql`false`;
  const tier = sql`(case
    when ${d.herbKey} = ${t} or ${d.titleKey} = ${t} then ${tierSql(DOC_TIER.exact)}
    when ${t}::text = any(${d.names}) then ${tierSql(DOC_TIER.exactOther)}
    when ${d.herbKey} like ${`${likeText}%`} or ${d.titleKey} like ${`${likeText}%`} then ${tierSql(DOC_TIER.prefix)}
    when ${d.searchText} like ${`%${likeText}%`} then ${tierSql(DOC_TIER.substring)}
    else ${tierSql(DOC_TIER.similar)} end)`;
  const similarity = plan.similarity ? sql`similarity(${d.herbKey}, ${t})` : sql`0::real`;
  return { where: sql`(${contains} or ${similar})`, tier, similarity };
}

function filterSql(f: SearchFilters | undefined): SQL[] {
  const out: SQL[] = [];
  if (!f) return out;
  if (f.kind !== undefined) out.push(sql`${d.kind} = ${f.kind}`);
  if (f.form !== undefined) out.push(sql`${d.form} = ${f.form}`);
  if (f.grade !== undefined) out.push(sql`${d.grade} = ${f.grade}`);
  if (f.origin !== undefined) out.push(sql`${d.origin} = ${f.origin}`);
  if (f.daoDi !== undefined) out.push(sql`${d.daoDi} = ${f.daoDi}`);
  if (f.inStock !== undefined) out.push(sql`${d.inStock} = ${f.inStock}`);
  if (f.certificate !== undefined) out.push(sql`${d.certificates} @> array[${f.certificate}::text]`);
  if (f.priceMin !== undefined) out.push(sql`${d.priceFenPerKg} >= ${Math.trunc(f.priceMin)}`);
  if (f.priceMax !== undefined) out.push(sql`${d.priceFenPerKg} <= ${Math.trunc(f.priceMax)}`);
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

function rowOf(doc: SearchDocument): typeof searchDocument.$inferInsert {
  const n = normalizeDocument(doc);
  return {
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
  };
}

const UPDATABLE = [
  'kind', 'title', 'herb_name', 'herb_key', 'title_key', 'names', 'search_text', 'chars', 'latin', 'pinyin_compact',
  'pinyin_compact_u', 'pinyin_words', 'initials', 'form', 'grade', 'origin', 'dao_di', 'certificates',
  'price_fen_per_kg', 'in_stock', 'seller_org_id', 'updated_at', 'doc',
] as const;
const KEY_OF: Record<(typeof UPDATABLE)[number], keyof typeof searchDocument.$inferInsert> = {
  kind: 'kind', title: 'title', herb_name: 'herbName', herb_key: 'herbKey', title_key: 'titleKey', names: 'names',
  search_text: 'searchText', chars: 'chars', latin: 'latin', pinyin_compact: 'pinyinCompact', pinyin_compact_u: 'pinyinCompactU',
  pinyin_words: 'pinyinWords', initials: 'initials', form: 'form', grade: 'grade', origin: 'origin', dao_di: 'daoDi',
  certificates: 'certificates', price_fen_per_kg: 'priceFenPerKg', in_stock: 'inStock', seller_org_id: 'sellerOrgId',
  updated_at: 'updatedAt', doc: 'doc',
};
const ON_CONFLICT_SET = Object.fromEntries(UPDATABLE.map((col) => [KEY_OF[col], sql.raw(`excluded."${col}"`)]));

export class PostgresSearchIndex implements SearchIndex {
  readonly kind = 'postgres' as const;

  constructor(private readonly db: DbOrTx) {}

  async upsert(docs: readonly SearchDocument[]): Promise<void> {
    // The last version of a repeated id wins (one statement cannot update a row twice).
    const byId = new Map<string, SearchDocument>();
    for (const doc of docs) byId.set(doc.id, doc);
    const rows = [...byId.values()].map(rowOf);
    for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
      await this.db
        .insert(searchDocument)
        .values(rows.slice(i, i + UPSERT_BATCH))
        .onConflictDoUpdate({ target: searchDocument.id, set: ON_CONFLICT_SET });
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += UPSERT_BATCH) {
      await this.db.delete(searchDocument).where(inArray(searchDocument.id, ids.slice(i, i + UPSERT_BATCH)));
    }
  }

  async clear(): Promise<void> {
    await this.db.execute(sql`delete from ${searchDocument} where true`);
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

  async search(request: SearchRequest): Promise<SearchResult> {
    const intent = planSearch(request.q);
    const { limit, offset } = pageOf(request);
    const facets = { form: {} as FacetCounts, grade: {} as FacetCounts, origin: {} as FacetCounts };
    if (intent.kind === 'nothing') return { hits: [], total: 0, facets };
    const compiled: Compiled =
      intent.kind === 'search' ? compile(intent.plan) : { where: sql`true`, tier: sql`0`, similarity: sql`0::real` };
    const where = sql.join([compiled.where, ...filterSql(request.filters)], sql` and `);

    // One statement: the match set is computed once (materialised) and feeds both the facet counts
    // (with the total) and the page, so the matching predicates run a single time per query.
    const statement = sql`with m as materialized (
            select ${d.id} as id, ${compiled.tier} as tier,
                   (case when ${compiled.tier} = ${tierSql(DOC_TIER.similar)} then ${compiled.similarity} else 0::real end) as sim,
                   ${d.priceFenPerKg} as price, ${d.updatedAt} as updated, ${d.form} as form, ${d.grade} as grade, ${d.origin} as origin
            from ${searchDocument} where ${where}
          ),
          f as (
            select form, grade, origin, grouping(form, grade, origin) as g, count(*) as n
            from m group by grouping sets ((form), (grade), (origin))
          ),
          p as (
            select id, tier, sim, price, updated from m order by ${orderSql(request.sort)} limit ${limit} offset ${offset}
          )
          select 'f' as part, form, grade, origin, g, n, null::text as id, null::int as tier, null::real as sim, null::bigint as rn from f
          union all
          select 'p', null, null, null, null, null, id, tier, sim, row_number() over (order by ${orderSql(request.sort)}) from p`;
    type Row = {
      part: 'f' | 'p';
      form: string | null;
      grade: string | null;
      origin: string | null;
      g: number | string | null;
      n: number | string | null;
      id: string | null;
      tier: number | string | null;
      sim: number | string | null;
      rn: number | string | null;
    };
    // The trigram operator `%` filters at pg_trgm.similarity_threshold (default 0.3); set it to the
    // tier's threshold for this query only, so the trigram indexes return just the real candidates.
    const rows = intent.kind === 'search' && intent.plan.similarity
      ? await this.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', ${String(DOC_SIMILARITY_THRESHOLD)}, true)`);
          return sqlRows<Row>(tx, statement);
        })
      : await sqlRows<Row>(this.db, statement);
    let total = 0;
    const page: Row[] = [];
    for (const r of rows) {
      if (r.part === 'p') {
        page.push(r);
        continue;
      }
      const g = Number(r.g);
      const n = Number(r.n);
      // grouping(): bit 2 = form aggregated away, bit 1 = grade, bit 0 = origin.
      if (g === 0b011) {
        total += n;
        if (r.form !== null) facets.form[r.form] = n;
      } else if (g === 0b101) {
        if (r.grade !== null) facets.grade[r.grade] = n;
      } else if (g === 0b110) {
        if (r.origin !== null) facets.origin[r.origin] = n;
      }
    }
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
