import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HERBS } from '../../domains/catalog/herb-master.data.ts';
import { compactPinyin } from '../../domains/catalog/herb-names.core.ts';
import { herbDocument } from './search.documents.ts';
import type { SearchDocument, SearchIndex, SearchRequest } from './search.port.ts';

/**
 * The one contract every `SearchIndex` adapter passes (postgres.test.ts always, meilisearch.test.ts
 * where MEILI_URL is set). Assertions are about what is found and the order the port promises for
 * sorts, not about an adapter's relevance scores.
 */

const FIXTURE_HERBS = ['黄芪', '黄芩', '半夏', '甘草', '附子', '当归', '女贞子'] as const;

export function herbFixture(name: string): SearchDocument {
  const record = HERBS.find((h) => h.name === name);
  if (!record) throw new Error(`no herb ${name}`);
  return herbDocument(`hrb_${compactPinyin(record.pinyin)}`, record);
}

function product(id: string, herbName: string, extra: Partial<SearchDocument>): SearchDocument {
  const base = herbFixture(herbName);
  return { ...base, id, kind: 'product', title: `${herbName} ${extra.form ?? ''} ${extra.grade ?? ''} ${extra.origin ?? ''}`.trim(), ...extra };
}

export function contractFixture(): SearchDocument[] {
  return [
    ...FIXTURE_HERBS.map(herbFixture),
    product('prd_hq1', '黄芪', { form: '饮片', grade: '选货', origin: '甘肃陇西', daoDi: true, certificates: ['GAP'], priceFenPerKg: 12_000, inStock: true, updatedAt: '2025-03-01T00:00:00.000Z' }),
    product('prd_hq2', '黄芪', { form: '饮片', grade: '统货', origin: '内蒙古', daoDi: false, certificates: [], priceFenPerKg: 8_000, inStock: true, updatedAt: '2025-03-03T00:00:00.000Z' }),
    product('prd_hq3', '黄芪', { form: '药材', grade: '统货', origin: '山西浑源', daoDi: true, certificates: ['GAP', '有机'], priceFenPerKg: 6_500, inStock: false, updatedAt: '2025-03-02T00:00:00.000Z' }),
    product('prd_bx1', '半夏', { form: '饮片', grade: '选货', origin: '甘肃西和', daoDi: false, certificates: [], priceFenPerKg: 30_000, inStock: true, updatedAt: '2025-02-01T00:00:00.000Z' }),
    product('prd_bx2', '半夏', { form: '配方颗粒', grade: '统货', origin: '四川南充', daoDi: false, certificates: ['GMP'], priceFenPerKg: 45_000, inStock: true, updatedAt: '2025-02-02T00:00:00.000Z' }),
  ];
}

const HQ = ['hrb_huangqi', 'prd_hq1', 'prd_hq2', 'prd_hq3'];
const BX = ['hrb_banxia', 'prd_bx1', 'prd_bx2'];

export interface ContractHarness {
  index: SearchIndex;
  close(): Promise<void>;
}

export function searchContract(name: string, setup: () => Promise<ContractHarness>, options: { skip?: boolean } = {}): void {
  describe.skipIf(options.skip ?? false)(`SearchIndex contract: ${name}`, () => {
    let harness: ContractHarness;
    let index: SearchIndex;
    const ids = async (q: string, extra: Omit<SearchRequest, 'q'> = {}) => (await index.search({ limit: 100, ...extra, q })).hits.map((h) => h.id);

    beforeAll(async () => {
      harness = await setup();
      index = harness.index;
    });
    afterAll(async () => harness?.close());
    beforeEach(async () => {
      await index.clear();
      await index.upsert(contractFixture());
    });

    it('reports its kind and counts documents', async () => {
      expect(['postgres', 'meilisearch']).toContain(index.kind);
      expect(await index.stats()).toEqual({ documents: 12, byKind: { herb: 7, product: 5 } });
    });

    it('finds full names, with the exact name first', async () => {
      const hits = await ids('黄芪');
      expect(hits).toEqual(expect.arrayContaining(HQ));
      expect(HQ).toContain(hits[0]);
      expect(hits).not.toContain('hrb_danggui');
    });

    it('finds one-character substrings (芪 → 黄芪)', async () => {
      expect(await ids('芪')).toEqual(expect.arrayContaining(HQ));
      expect(await ids('芪')).not.toContain('hrb_banxia');
    });

    it('finds pinyin: compact, spaced, prefix, with ü typed as u or v', async () => {
      for (const q of ['huangqi', 'huang qi', 'HUANGQI', 'huáng qí']) expect(await ids(q), q).toEqual(expect.arrayContaining(HQ));
      const prefix = await ids('huang');
      expect(prefix).toEqual(expect.arrayContaining([...HQ, 'hrb_huangqin']));
      expect(await ids('nuzhenzi')).toContain('hrb_nvzhenzi');
      expect(await ids('nvzhenzi')).toContain('hrb_nvzhenzi');
    });

    it('finds initials (hq → 黄芪 and 黄芩)', async () => {
      const hits = await ids('hq');
      expect(hits).toEqual(expect.arrayContaining([...HQ, 'hrb_huangqin']));
      expect(hits).not.toContain('hrb_danggui');
      expect(await ids('ＨＱ')).toEqual(expect.arrayContaining(HQ));
    });

    it('finds traditional characters (黃芪 → 黄芪)', async () => {
      expect(await ids('黃芪')).toEqual(expect.arrayContaining(HQ));
    });

    it('finds Latin names, whole or a word of them', async () => {
      expect(await ids('Astragali Radix')).toEqual(expect.arrayContaining(HQ));
      expect(await ids('astragali')).toEqual(expect.arrayContaining(HQ));
      expect(await ids('Pinelliae')).toEqual(expect.arrayContaining(BX));
    });

    it('finds aliases and processed forms (黄耆 → 黄芪, 法半夏 → 半夏 products, 炙甘草 → 甘草)', async () => {
      expect(await ids('黄耆')).toEqual(expect.arrayContaining(HQ));
      const bx = await ids('法半夏');
      expect(bx).toEqual(expect.arrayContaining(BX));
      expect(bx).not.toContain('hrb_huangqi');
      expect(await ids('姜半夏')).toEqual(expect.arrayContaining(BX));
      expect(await ids('炙甘草')).toContain('hrb_gancao');
    });

    it('tolerates a typo in a longer pinyin query (huangqu → 黄芪)', async () => {
      expect(await ids('huangqu')).toEqual(expect.arrayContaining(HQ));
    });

    it('counts facets over every match with the same filters', async () => {
      const all = await index.search({ q: '黄芪', limit: 1 });
      expect(all.total).toBe(4);
      expect(all.hits).toHaveLength(1);
      expect(all.facets.form).toEqual({ 饮片: 2, 药材: 1 });
      expect(all.facets.grade).toEqual({ 选货: 1, 统货: 2 });
      expect(all.facets.origin).toEqual({ 甘肃陇西: 1, 内蒙古: 1, 山西浑源: 1 });
      const filtered = await index.search({ q: '黄芪', filters: { form: '饮片' } });
      expect(filtered.total).toBe(2);
      expect(filtered.facets.form).toEqual({ 饮片: 2 });
      expect(filtered.facets.grade).toEqual({ 选货: 1, 统货: 1 });
      const browse = await index.search({ filters: { kind: 'product' } });
      expect(browse.total).toBe(5);
      expect(browse.facets.form).toEqual({ 饮片: 3, 药材: 1, 配方颗粒: 1 });
    });

    it('applies every filter', async () => {
      const sorted = async (q: string, filters: SearchRequest['filters']) => (await ids(q, { filters })).sort();
      expect(await sorted('', { kind: 'herb' })).toHaveLength(7);
      expect(await sorted('黄芪', { kind: 'product' })).toEqual(['prd_hq1', 'prd_hq2', 'prd_hq3']);
      expect(await sorted('黄芪', { grade: '统货' })).toEqual(['prd_hq2', 'prd_hq3']);
      expect(await sorted('', { origin: '甘肃陇西' })).toEqual(['prd_hq1']);
      expect(await sorted('hq', { daoDi: true })).toEqual(['prd_hq1', 'prd_hq3']);
      expect(await sorted('', { certificate: 'GAP' })).toEqual(['prd_hq1', 'prd_hq3']);
      expect(await sorted('', { priceMin: 8_000, priceMax: 30_000 })).toEqual(['prd_bx1', 'prd_hq1', 'prd_hq2']);
      expect(await sorted('', { inStock: false })).toEqual(['prd_hq3']);
      expect(await sorted('半夏', { inStock: true, form: '配方颗粒' })).toEqual(['prd_bx2']);
      expect(await sorted('黄芪', { form: '不存在' })).toEqual([]);
    });

    it('sorts by price (unpriced last) and by newest', async () => {
      expect(await ids('', { filters: { kind: 'product' }, sort: 'price_asc' })).toEqual(['prd_hq3', 'prd_hq2', 'prd_hq1', 'prd_bx1', 'prd_bx2']);
      expect(await ids('', { filters: { kind: 'product' }, sort: 'price_desc' })).toEqual(['prd_bx2', 'prd_bx1', 'prd_hq1', 'prd_hq2', 'prd_hq3']);
      expect((await ids('黄芪', { sort: 'price_asc' })).slice(0, 3)).toEqual(['prd_hq3', 'prd_hq2', 'prd_hq1']);
      expect((await ids('', { sort: 'newest' })).slice(0, 3)).toEqual(['prd_hq2', 'prd_hq3', 'prd_hq1']);
    });

    it('pages with limit and offset over a stable order', async () => {
      const full = await ids('', { sort: 'price_asc' });
      expect(full).toHaveLength(12);
      const pages: string[] = [];
      for (let offset = 0; offset < 12; offset += 5) {
        const page = await index.search({ q: '', sort: 'price_asc', limit: 5, offset });
        expect(page.total).toBe(12);
        pages.push(...page.hits.map((h) => h.id));
      }
      expect(pages).toEqual(full);
      const beyond = await index.search({ q: '', limit: 5, offset: 50 });
      expect(beyond.hits).toEqual([]);
      expect(beyond.total).toBe(12);
      expect((await index.search({ q: '黄芪', limit: 0 })).hits).toEqual([]);
    });

    it('upsert replaces a document by id', async () => {
      const [hq1] = contractFixture().filter((d) => d.id === 'prd_hq1');
      await index.upsert([{ ...hq1!, priceFenPerKg: 1_000, grade: '统货', inStock: false }]);
      expect((await index.stats()).documents).toBe(12);
      expect((await ids('', { filters: { kind: 'product' }, sort: 'price_asc' }))[0]).toBe('prd_hq1');
      expect((await index.search({ q: '黄芪', filters: { grade: '选货' } })).total).toBe(0);
      await index.upsert([{ ...hq1!, priceFenPerKg: 1_000, grade: '统货', inStock: false }]);
      expect((await index.stats()).documents).toBe(12);
    });

    it('removes documents by id and ignores unknown ids', async () => {
      await index.remove(['prd_hq1', 'prd_hq2', 'nope_1']);
      expect((await index.stats()).documents).toBe(10);
      expect((await ids('黄芪')).sort()).toEqual(['hrb_huangqi', 'prd_hq3']);
      await index.remove([]);
      await index.clear();
      expect(await index.stats()).toEqual({ documents: 0, byKind: {} });
      expect((await index.search({ q: '' })).total).toBe(0);
    });

    it('answers odd input with a valid, possibly empty, result and changes nothing', async () => {
      const odd = [
        '😀', '🌿黄芪🌿', "'; drop table search_document; --", '%', '_', '\\', '%_%', 'a\u0000b', '\u200b', '   ', '"',
        '黄芪'.repeat(40), 'x'.repeat(500), 'ß', '一二三四五六七八九十',
      ];
      for (const q of odd) {
        const result = await index.search({ q, limit: 10 });
        expect(Array.isArray(result.hits), q).toBe(true);
        expect(result.total, q).toBeGreaterThanOrEqual(result.hits.length);
        expect(typeof result.facets.form).toBe('object');
      }
      expect(await ids('%')).toEqual([]);
      expect(await ids('😀')).toEqual([]);
      expect(await ids('🌿黄芪🌿')).toEqual(expect.arrayContaining(HQ));
      expect((await index.stats()).documents).toBe(12);
    });
  });
}
