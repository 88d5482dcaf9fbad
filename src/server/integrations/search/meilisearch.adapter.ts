import { Meilisearch, type Index, type Settings } from 'meilisearch';
import { normalizeSearchQuery, planSearch } from '../../domains/catalog/herb-search.core.ts';
import { normalizeDocument } from './search.core.ts';
import { writeToIndex } from './search-generation.ts';
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
 * Meilisearch adapter (production search, `MEILI_URL` + `MEILI_KEY`) on the official client. Each
 * stored record is the document plus normalised fields (simplified names, compact pinyin, initials,
 * single characters for one-character queries, epoch ms for sorting); every write waits for its task
 * so the port's "resolves when searchable" holds. Queries are normalised the same way as for
 * Postgres (traditional → simplified, full-width, punctuation) before they reach Meilisearch.
 */

interface MeiliRecord extends SearchDocument {
  names: string[];
  pinyinCompact: string;
  initialsKey: string;
  latinKey: string;
  chars: string[];
  updatedAtMs: number;
}

export const SEARCHABLE_ATTRIBUTES = [
  'herbName', 'names', 'pinyinCompact', 'pinyin', 'initialsKey', 'latinKey', 'title', 'aliases', 'processedForms', 'chars',
] as const;
export const FILTERABLE_ATTRIBUTES = ['kind', 'form', 'grade', 'origin', 'daoDi', 'certificates', 'priceFenPerKg', 'inStock', 'sellerOrgId'] as const;
export const SORTABLE_ATTRIBUTES = ['priceFenPerKg', 'updatedAtMs', 'id'] as const;

export function indexSettings(): Settings {
  return {
    searchableAttributes: [...SEARCHABLE_ATTRIBUTES],
    filterableAttributes: [...FILTERABLE_ATTRIBUTES],
    sortableAttributes: [...SORTABLE_ATTRIBUTES],
    displayedAttributes: ['id'],
    rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 },
      disableOnAttributes: ['initialsKey', 'chars'],
    },
    faceting: { maxValuesPerFacet: 1000 },
    pagination: { maxTotalHits: 1_000_000 },
  };
}

/** Synonyms: each alias and processed form ↔ the standard name (法半夏 → 半夏). */
export function synonymsOf(docs: readonly SearchDocument[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const doc of docs) {
    const name = normalizeSearchQuery(doc.herbName);
    for (const written of [...doc.aliases, ...doc.processedForms]) {
      const key = normalizeSearchQuery(written);
      if (!key || key === name) continue;
      const list = (out[key] ??= []);
      if (!list.includes(name)) list.push(name);
    }
  }
  return out;
}

function recordOf(doc: SearchDocument): MeiliRecord {
  const n = normalizeDocument(doc);
  return {
    ...doc,
    names: n.names,
    pinyinCompact: n.pinyinCompact,
    initialsKey: n.initials,
    latinKey: n.latin,
    chars: n.chars,
    updatedAtMs: Date.parse(doc.updatedAt),
  };
}

const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function filterOf(f: SearchFilters | undefined): string[] {
  const out: string[] = [];
  if (!f) return out;
  if (f.kind !== undefined) out.push(`kind = ${quote(f.kind)}`);
  if (f.form !== undefined) out.push(`form = ${quote(f.form)}`);
  if (f.grade !== undefined) out.push(`grade = ${quote(f.grade)}`);
  if (f.origin !== undefined) out.push(`origin = ${quote(f.origin)}`);
  if (f.daoDi !== undefined) out.push(`daoDi = ${String(f.daoDi)}`);
  if (f.inStock !== undefined) out.push(`inStock = ${String(f.inStock)}`);
  if (f.certificate !== undefined) out.push(`certificates = ${quote(f.certificate)}`);
  if (f.priceMin !== undefined) out.push(`priceFenPerKg >= ${Math.trunc(f.priceMin)}`);
  if (f.priceMax !== undefined) out.push(`priceFenPerKg <= ${Math.trunc(f.priceMax)}`);
  return out;
}

function sortOf(sort: SearchRequest['sort']): string[] | undefined {
  switch (sort) {
    case 'price_asc':
      return ['priceFenPerKg:asc', 'id:asc'];
    case 'price_desc':
      return ['priceFenPerKg:desc', 'id:asc'];
    case 'newest':
      return ['updatedAtMs:desc', 'id:asc'];
    default:
      return undefined;
  }
}

export interface MeiliOptions {
  host: string;
  apiKey?: string | undefined;
  /** Index uid (tests use their own). */
  indexUid?: string;
}

export class MeilisearchIndex implements SearchIndex {
  readonly kind = 'meilisearch' as const;
  private readonly client: Meilisearch;
  private readonly uid: string;
  private ready: Promise<Index<MeiliRecord>> | undefined;

  constructor(options: MeiliOptions) {
    this.client = new Meilisearch({ host: options.host, apiKey: options.apiKey });
    this.uid = options.indexUid ?? 'catalog';
  }

  /** Creates the index (if missing) and applies the settings once per instance. */
  private index(): Promise<Index<MeiliRecord>> {
    this.ready ??= (async () => {
      const index = this.client.index<MeiliRecord>(this.uid);
      try {
        await index.getRawInfo();
      } catch {
        await this.client.createIndex(this.uid, { primaryKey: 'id' }).waitTask();
      }
      await index.updateSettings(indexSettings()).waitTask();
      return index;
    })();
    return this.ready;
  }

  upsert(docs: readonly SearchDocument[]): Promise<void> {
    return writeToIndex(() => this.write(docs));
  }

  private async write(docs: readonly SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const index = await this.index();
    const added = synonymsOf(docs);
    if (Object.keys(added).length > 0) {
      const current = (await index.getSynonyms()) ?? {};
      let changed = false;
      const merged: Record<string, string[]> = { ...current };
      for (const [key, names] of Object.entries(added)) {
        const list = [...(merged[key] ?? [])];
        for (const name of names) if (!list.includes(name)) { list.push(name); changed = true; }
        merged[key] = list;
      }
      if (changed) await index.updateSynonyms(merged).waitTask();
    }
    await index.addDocuments(docs.map(recordOf), { primaryKey: 'id' }).waitTask();
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await writeToIndex(async () => {
      await (await this.index()).deleteDocuments([...ids]).waitTask();
    });
  }

  clear(): Promise<void> {
    return writeToIndex(async () => {
      await (await this.index()).deleteAllDocuments().waitTask();
    });
  }

  async stats(): Promise<SearchStats> {
    const index = await this.index();
    const byKind: Partial<Record<DocumentKind, number>> = {};
    let documents = 0;
    const result = await index.search('', { filter: [], facets: ['kind'], limit: 0 });
    const counts = result.facetDistribution?.kind ?? {};
    for (const kind of DOCUMENT_KINDS) {
      const n = counts[kind];
      if (n !== undefined) {
        byKind[kind] = n;
        documents += n;
      }
    }
    return { documents, byKind };
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const intent = planSearch(request.q);
    const { limit, offset } = pageOf(request);
    const facets = { form: {} as FacetCounts, grade: {} as FacetCounts, origin: {} as FacetCounts };
    if (intent.kind === 'nothing') return { hits: [], total: 0, facets };
    const index = await this.index();
    const q = intent.kind === 'search' ? intent.plan.text : '';
    const sort = sortOf(request.sort) ?? (intent.kind === 'browse' ? ['id:asc'] : undefined);
    const result = await index.search(q, {
      filter: filterOf(request.filters),
      ...(sort ? { sort } : {}),
      facets: ['form', 'grade', 'origin'],
      limit,
      offset,
      showRankingScore: true,
      attributesToRetrieve: ['id'],
    });
    const dist = result.facetDistribution ?? {};
    return {
      hits: result.hits.map((h) => ({ id: h.id, score: h._rankingScore })),
      total: result.estimatedTotalHits,
      facets: { form: { ...(dist.form ?? {}) }, grade: { ...(dist.grade ?? {}) }, origin: { ...(dist.origin ?? {}) } },
    };
  }
}
