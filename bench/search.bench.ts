/**
 * Catalogue search at marketplace scale (issue 4 "Search"): 100,000 generated SKU documents
 * (deterministic PRNG over the 483 master herbs × forms × grades × origins), loaded into the Postgres
 * search adapter (PGlite in-process, or a throwaway database on DATABASE_URL's server) and vacuumed, then 1,000
 * queries of every kind buyers type — full names, one-character substrings, pinyin (compact, spaced,
 * prefix), initials, traditional characters, Latin names, aliases, processed forms, typos — some with
 * filters and price/newest sorts. Each query is also answered by the brute-force in-memory scan that
 * applies the same matching rules (`bruteForceSearch`); top-10 recall = |adapter top-10 ∩ scan top-10|
 * / |scan top-10|. Meilisearch too when MEILI_URL is set (recall against the same scan is reported,
 * but its ranking differs by design). Targets: p95 ≤ 20 ms on PostgreSQL, recall ≥ 99 %.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb, type DbHandle } from '../src/server/db/client.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { HERBS } from '../src/server/domains/catalog/herb-master.data.ts';
import { MeilisearchIndex } from '../src/server/integrations/search/meilisearch.adapter.ts';
import { PostgresSearchIndex } from '../src/server/integrations/search/postgres.adapter.ts';
import { bruteForceSearch, prepareCorpus } from '../src/server/integrations/search/search.core.ts';
import { herbDocument } from '../src/server/integrations/search/search.documents.ts';
import type { SearchDocument, SearchIndex, SearchRequest } from '../src/server/integrations/search/search.port.ts';
import { percentile, writeReport, type BenchRow } from './lib/report.ts';
import { prng } from './lib/prng.ts';

const DOCS = 100_000;
const QUERIES = 1_000;
const WARMUP = 100;
const LIMIT = 10;

const FORMS = ['药材', '饮片', '配方颗粒'] as const;
const GRADES = ['选货', '统货', '一等', '二等'] as const;
const ORIGINS = ['甘肃陇西', '内蒙古', '山西浑源', '四川', '云南文山', '安徽亳州', '河北安国', '吉林', '宁夏中宁', '广东', '浙江', '湖北'] as const;
const CERTS = ['GAP', 'GMP', '有机', '地理标志'] as const;

function generate(rand: () => number): SearchDocument[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: SearchDocument[] = [];
  const epoch = Date.UTC(2025, 0, 1);
  for (let i = 0; i < DOCS; i += 1) {
    const record = HERBS[i % HERBS.length]!;
    const base = herbDocument(`x`, record);
    const form = pick(FORMS);
    const grade = pick(GRADES);
    const origin = pick(ORIGINS);
    const kind = rand() < 0.5 ? 'product' : 'listing';
    out.push({
      ...base,
      id: `${kind === 'product' ? 'prd' : 'lst'}_${i.toString(36).padStart(6, '0')}`,
      kind,
      title: `${record.name} ${form} ${grade} ${origin}`,
      form,
      grade,
      origin,
      daoDi: rand() < 0.2,
      certificates: rand() < 0.3 ? [pick(CERTS)] : [],
      priceFenPerKg: 2_000 + Math.floor(rand() * 200_000),
      inStock: rand() < 0.8,
      sellerOrgId: `org_${Math.floor(rand() * 300)}`,
      updatedAt: new Date(epoch + Math.floor(rand() * 365 * 86_400_000)).toISOString(),
    });
  }
  return out;
}

type QueryKind = 'name' | 'substring' | 'pinyin' | 'pinyin_spaced' | 'pinyin_prefix' | 'initials' | 'traditional' | 'latin' | 'alias' | 'processed_form' | 'typo';

/** Traditional spellings of a few common characters (the converter maps them back). */
const TRADITIONAL: Record<string, string> = { 黄: '黃', 当: '當', 归: '歸', 参: '參', 连: '連', 龙: '龍', 术: '術', 门: '門', 苏: '蘇', 贝: '貝', 丝: '絲', 实: '實', 药: '藥', 乌: '烏' };

function queries(rand: () => number): { kind: QueryKind; request: SearchRequest }[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: { kind: QueryKind; request: SearchRequest }[] = [];
  const withAliases = HERBS.filter((h) => h.aliases.length > 0);
  const withForms = HERBS.filter((h) => h.processedForms.length > 0);
  const traditional = HERBS.filter((h) => Array.from(h.name).some((c) => TRADITIONAL[c]));
  const kinds: QueryKind[] = ['name', 'substring', 'pinyin', 'pinyin_spaced', 'pinyin_prefix', 'initials', 'traditional', 'latin', 'alias', 'processed_form', 'typo'];
  for (let i = 0; i < QUERIES + WARMUP; i += 1) {
    const kind = kinds[i % kinds.length]!;
    const h = pick(HERBS);
    const syllables = h.pinyin.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ü/g, 'v').split(' ');
    let q: string;
    switch (kind) {
      case 'name': q = h.name; break;
      case 'substring': q = pick(Array.from(h.name)); break;
      case 'pinyin': q = syllables.join(''); break;
      case 'pinyin_spaced': q = syllables.join(' '); break;
      case 'pinyin_prefix': q = syllables[0]!.slice(0, Math.max(2, syllables[0]!.length - 1)); break;
      case 'initials': q = syllables.map((s) => s[0]).join(''); break;
      case 'traditional': q = Array.from(pick(traditional).name).map((c) => TRADITIONAL[c] ?? c).join(''); break;
      case 'latin': q = rand() < 0.5 ? h.latin : h.latin.split(' ')[0]!; break;
      case 'alias': q = pick(pick(withAliases).aliases); break;
      case 'processed_form': q = pick(pick(withForms).processedForms).name; break;
      case 'typo': {
        const compact = syllables.join('');
        const at = 1 + Math.floor(rand() * (compact.length - 1));
        q = compact.length >= 5 ? `${compact.slice(0, at)}${compact.slice(at + 1)}` : compact;
        break;
      }
    }
    const r = rand();
    const request: SearchRequest = { q, limit: LIMIT };
    if (r < 0.15) request.filters = { form: pick(FORMS) };
    else if (r < 0.25) request.filters = { inStock: true, priceMax: 100_000 };
    else if (r < 0.3) request.filters = { kind: 'listing', grade: pick(GRADES) };
    const s = rand();
    if (s < 0.1) request.sort = 'price_asc';
    else if (s < 0.15) request.sort = 'newest';
    out.push({ kind, request });
  }
  return out;
}

async function openDatabase(): Promise<{ handle: DbHandle; label: string; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await createDb({ inMemory: true });
    await migrate(handle);
    return { handle, label: 'PGlite (in-process, in-memory)', drop: () => handle.close() };
  }
  const name = `bencao_bench_search_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await createDb({ databaseUrl: target.toString(), maxConnections: 2 });
  await migrate(handle);
  return {
    handle,
    label: `PostgreSQL (${target.host}, throwaway database ${name})`,
    async drop() {
      await handle.close();
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

interface Measured {
  times: number[];
  recall: number;
  byKind: Map<QueryKind, { hits: number; wanted: number; times: number[] }>;
}

async function measure(index: SearchIndex, qs: { kind: QueryKind; request: SearchRequest }[], expected: string[][]): Promise<Measured> {
  for (const { request } of qs.slice(0, WARMUP)) await index.search(request);
  const times: number[] = [];
  let found = 0;
  let wanted = 0;
  const byKind = new Map<QueryKind, { hits: number; wanted: number; times: number[] }>();
  for (let i = WARMUP; i < qs.length; i += 1) {
    const { kind, request } = qs[i]!;
    const t0 = performance.now();
    const result = await index.search(request);
    const elapsed = performance.now() - t0;
    times.push(elapsed);
    const want = expected[i]!;
    const got = new Set(result.hits.map((h) => h.id));
    const hit = want.filter((id) => got.has(id)).length;
    found += hit;
    wanted += want.length;
    const k = byKind.get(kind) ?? { hits: 0, wanted: 0, times: [] };
    k.times.push(elapsed);
    k.hits += hit;
    k.wanted += want.length;
    byKind.set(kind, k);
  }
  return { times: times.sort((a, b) => a - b), recall: wanted === 0 ? 1 : found / wanted, byKind };
}

export default async function run(): Promise<void> {
  const rand = prng(20_250_401);
  const t0 = performance.now();
  const docs = generate(rand);
  const corpus = prepareCorpus(docs);
  const qs = queries(prng(4_830));
  const genMs = performance.now() - t0;

  // Brute force: the reference answers and its own timings.
  const bruteTimes: number[] = [];
  const expected: string[][] = [];
  for (const [i, { request }] of qs.entries()) {
    const s = performance.now();
    const result = bruteForceSearch(corpus, request);
    if (i >= WARMUP) bruteTimes.push(performance.now() - s);
    expected.push(result.hits.map((h) => h.id));
  }
  bruteTimes.sort((a, b) => a - b);

  const { handle, label, drop } = await openDatabase();
  process.stderr.write(`search bench: database ${label}\n`);
  const rows: BenchRow[] = [];
  const checks: Record<string, string | number | boolean> = { database: label, documents: DOCS, queries: QUERIES };
  const ratios: Record<string, number> = {};
  try {
    const index = new PostgresSearchIndex(handle.db);
    const l0 = performance.now();
    for (let i = 0; i < docs.length; i += 5_000) {
      await index.upsert(docs.slice(i, i + 5_000));
      process.stderr.write(`loaded ${Math.min(i + 5_000, docs.length)}/${docs.length}\n`);
    }
    // What autovacuum soon does to a freshly loaded table: planner statistics, and the visibility map
    // that lets the search read documents from its covering index alone.
    await handle.db.execute(sql`vacuum analyze search_document`);
    await handle.db.execute(sql`vacuum analyze search_herb`);
    const loadMs = performance.now() - l0;
    const pg = await measure(index, qs, expected);
    rows.push({ adapter: `postgres: ${handle.kind}`, 'p50 ms': pg.times.length ? percentile(pg.times, 50) : null, 'p95 ms': percentile(pg.times, 95), 'p99 ms': percentile(pg.times, 99), 'top-10 recall %': pg.recall * 100, 'load s': loadMs / 1000 });
    rows.push({ adapter: 'brute force (in-memory scan)', 'p50 ms': percentile(bruteTimes, 50), 'p95 ms': percentile(bruteTimes, 95), 'p99 ms': percentile(bruteTimes, 99), 'top-10 recall %': 100, 'load s': genMs / 1000 });
    ratios['brute-force p50 ÷ postgres p50'] = percentile(bruteTimes, 50) / percentile(pg.times, 50);
    ratios['brute-force p95 ÷ postgres p95'] = percentile(bruteTimes, 95) / percentile(pg.times, 95);
    checks['postgres p95 ≤ 20 ms'] = percentile(pg.times, 95) <= 20;
    checks['postgres recall ≥ 99 %'] = pg.recall >= 0.99;
    for (const [kind, k] of pg.byKind) {
      checks[`recall ${kind} %`] = Number(((k.hits / Math.max(1, k.wanted)) * 100).toFixed(2));
      checks[`p95 ms ${kind}`] = Number(percentile(k.times.sort((a, b) => a - b), 95).toFixed(2));
    }

    if (process.env.MEILI_URL) {
      const meili = new MeilisearchIndex({ host: process.env.MEILI_URL, apiKey: process.env.MEILI_KEY, indexUid: `bencao_bench_${Date.now().toString(36)}` });
      const m0 = performance.now();
      await meili.clear();
      for (let i = 0; i < docs.length; i += 10_000) await meili.upsert(docs.slice(i, i + 10_000));
      const mLoad = performance.now() - m0;
      const m = await measure(meili, qs, expected);
      rows.push({ adapter: 'meilisearch', 'p50 ms': percentile(m.times, 50), 'p95 ms': percentile(m.times, 95), 'p99 ms': percentile(m.times, 99), 'top-10 recall %': m.recall * 100, 'load s': mLoad / 1000 });
    } else {
      checks.meilisearch = 'skipped (MEILI_URL not set)';
    }
  } finally {
    await drop();
  }
  writeReport({
    name: 'search',
    description: `${DOCS.toLocaleString('en-US')} SKU documents, ${QUERIES.toLocaleString('en-US')} queries (names, substrings, pinyin, initials, traditional, Latin, aliases, processed forms, typos; 30 % filtered, 15 % price/newest sort), top-${LIMIT}; database: ${label}.`,
    rows,
    ratios,
    checks,
  });
}
