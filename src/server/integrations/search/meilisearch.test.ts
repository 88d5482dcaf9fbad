import { describe, expect, it } from 'vitest';
import { filterOf, indexSettings, MeilisearchIndex, synonymsOf } from './meilisearch.adapter.ts';
import { contractFixture, searchContract } from './search.contract.ts';

// The contract against a real Meilisearch server, only where MEILI_URL is set. Skipped otherwise:
// there is no Meilisearch server on this machine or in CI — the `meilisearch` client is installed,
// but the server binary cannot be downloaded here (FIELD-NOTES.md). Each run uses its own index uid.
const host = process.env.MEILI_URL;

searchContract(
  'meilisearch',
  async () => {
    const uid = `bencao_contract_${Date.now().toString(36)}`;
    const index = new MeilisearchIndex({ host: host ?? 'http://127.0.0.1:7700', apiKey: process.env.MEILI_KEY, indexUid: uid });
    return { index, close: async () => {} };
  },
  { skip: !host },
);

describe('meilisearch adapter (pure parts, no server)', () => {
  it('builds synonyms from aliases and processed forms to the standard name', () => {
    const synonyms = synonymsOf(contractFixture());
    expect(synonyms['法半夏']).toEqual(['半夏']);
    expect(synonyms['黄耆']).toEqual(['黄芪']);
    expect(synonyms['半夏']).toBeUndefined();
  });

  it('quotes filter values so input cannot change the filter expression', () => {
    expect(filterOf({ form: '饮片" OR kind = "herb', daoDi: true, priceMin: 100.7 })).toEqual([
      'form = "饮片\\" OR kind = \\"herb"',
      'daoDi = true',
      'priceFenPerKg >= 100',
    ]);
  });

  it('declares searchable (names first), filterable and sortable attributes and typo tolerance', () => {
    const s = indexSettings();
    expect(s.searchableAttributes?.[0]).toBe('herbName');
    expect(s.filterableAttributes).toEqual(expect.arrayContaining(['form', 'grade', 'origin', 'daoDi', 'certificates', 'priceFenPerKg', 'inStock']));
    expect(s.sortableAttributes).toEqual(expect.arrayContaining(['priceFenPerKg', 'updatedAtMs']));
    expect(s.typoTolerance?.enabled).toBe(true);
  });
});
