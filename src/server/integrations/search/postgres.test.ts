import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { DbHandle } from '../../db/client.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { PostgresSearchIndex } from './postgres.adapter.ts';
import { contractFixture, herbFixture, searchContract } from './search.contract.ts';
import { bruteForceSearch, prepareCorpus } from './search.core.ts';
import type { SearchDocument, SearchRequest } from './search.port.ts';

// The embedded default: PGlite in memory, or a fresh database on DATABASE_URL's server.
searchContract('postgres', async () => {
  const handle = await createTestDb();
  return { index: new PostgresSearchIndex(handle.db), close: () => handle.close() };
});

describe('postgres adapter = brute-force reference (same matching rules, same order)', () => {
  let handle: DbHandle;
  let index: PostgresSearchIndex;
  // A herb whose names hold every bigram of 黄芪黄 without containing it, under a title that does:
  // the title-only match must be found among the documents of a herb that does not match.
  const covering: SearchDocument = {
    ...herbFixture('黄芪'),
    id: 'prd_cover',
    kind: 'product',
    aliases: ['芪黄'],
    title: '黄芪黄芪 饮片',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
  const corpus = prepareCorpus([...contractFixture(), covering]);
  beforeAll(async () => {
    handle = await createTestDb();
    index = new PostgresSearchIndex(handle.db);
    await index.upsert(corpus.docs);
  });
  afterAll(async () => handle.close());

  const queries = [
    '', '黄芪', '芪', '黄', 'huangqi', 'huang qi', 'huang', 'qi', 'hq', 'h', '黃芪', 'Astragali Radix', 'radix', 'ra', '黄耆',
    '法半夏', '炙甘草', 'huangqu', 'nuzhenzi', 'zhenzi', '半夏 选货', '甘肃', 'gancoa', '黄芪片', '%', '😀', 'ß', "o'brien",
    '黄芪黄', '芪 饮', '饮片', '选', 'gap', '陇西', '黄芪 饮片 选货 甘肃陇西',
  ];
  const requests: SearchRequest[] = queries.flatMap((q) => [
    { q, limit: 100 },
    { q, sort: 'price_desc' as const, limit: 3, offset: 1 },
    { q, sort: 'newest' as const, filters: { kind: 'product' as const }, limit: 100 },
    { q, filters: { inStock: true, priceMax: 20_000 }, limit: 100 },
  ]);

  it.each(requests.map((r) => [JSON.stringify(r), r] as const))('%s', async (_label, request) => {
    const expected = bruteForceSearch(corpus, request);
    const actual = await index.search(request);
    expect(actual.hits.map((h) => h.id)).toEqual(expected.hits.map((h) => h.id));
    expect(actual.total).toBe(expected.total);
    expect(actual.facets).toEqual(expected.facets);
    for (const [i, hit] of actual.hits.entries()) expect(hit.score).toBeCloseTo(expected.hits[i]!.score ?? 0, 5);
  });
});
