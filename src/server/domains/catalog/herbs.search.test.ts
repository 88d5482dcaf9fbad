import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isId } from '../../../lib/ids.ts';
import { herb } from '../../db/schema/catalog.ts';
import type { DbHandle } from '../../db/client.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { categoryOrder } from './herb-search.core.ts';
import { compareCodePoints } from './herb-names.core.ts';
import { HERBS, PREGNANCY_CLASSES } from './herb-master.data.ts';
import { countAllHerbs } from './herbs.repo.ts';
import { herbIdFor, upsertHerbMasterData } from './herbs.seed.ts';
import { getHerb, searchHerbs } from './herbs.service.ts';

describe('herb master search (PostgreSQL / PGlite)', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
    const first = await upsertHerbMasterData(handle.db);
    expect(first).toEqual({ total: HERBS.length, inserted: HERBS.length, updated: 0, unchanged: 0 });
  });
  afterAll(async () => handle.close());

  const names = async (q: string, limit = 5) => (await searchHerbs(handle.db, { q, limit })).items.map((i) => i.name);

  describe('upsertHerbMasterData', () => {
    it('is idempotent: a second run inserts and updates nothing', async () => {
      const again = await upsertHerbMasterData(handle.db);
      expect(again).toEqual({ total: HERBS.length, inserted: 0, updated: 0, unchanged: HERBS.length });
      expect(await countAllHerbs(handle.db)).toBe(HERBS.length);
    });

    it('rewrites a row whose facts drifted, keeping its id', async () => {
      const [before] = await handle.db.select({ id: herb.id }).from(herb).where(sql`${herb.name} = '黄芪'`);
      await handle.db.update(herb).set({ doseMaxMg: 1, pinyin: 'x' }).where(sql`${herb.name} = '黄芪'`);
      expect(await upsertHerbMasterData(handle.db)).toMatchObject({ inserted: 0, updated: 1 });
      const [after] = await handle.db.select({ id: herb.id, doseMaxMg: herb.doseMaxMg, pinyin: herb.pinyin }).from(herb).where(sql`${herb.name} = '黄芪'`);
      expect(after).toEqual({ id: before!.id, doseMaxMg: 30_000, pinyin: 'huang qi' });
    });

    it('gives every herb a stable, well-formed id derived from its name', async () => {
      const rows = await handle.db.select({ id: herb.id, name: herb.name }).from(herb);
      for (const row of rows) {
        expect(row.id).toBe(herbIdFor(row.name));
        expect(isId(row.id, 'herb')).toBe(true);
      }
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    });

    it('stores pinyin, initials, search text and doses in milligrams', async () => {
      const [row] = await handle.db.select().from(herb).where(sql`${herb.name} = '女贞子'`);
      expect(row).toMatchObject({ pinyin: 'nü zhen zi', pinyinCompact: 'nvzhenzi', initials: 'nzz', doseMinMg: 6000, doseMaxMg: 12000 });
      const [chansu] = await handle.db.select().from(herb).where(sql`${herb.name} = '蟾酥'`);
      expect(chansu).toMatchObject({ doseMinMg: 15, doseMaxMg: 30, forDecoction: false });
      const [gancao] = await handle.db.select().from(herb).where(sql`${herb.name} = '甘草'`);
      expect(gancao!.searchText).toContain('炙甘草');
      expect(gancao!.searchText).toContain('Glycyrrhizae Radix et Rhizoma');
    });
  });

  describe('finds herbs the way buyers type', () => {
    const cases: [query: string, expected: string, matchedBy: string, within: number][] = [
      ['黄芪', '黄芪', 'name', 1],
      ['芪', '黄芪', 'name', 3],
      ['huangqi', '黄芪', 'pinyin', 1],
      ['huang qi', '黄芪', 'pinyin', 1],
      ['HuangQi', '黄芪', 'pinyin', 1],
      ['Huáng Qí', '黄芪', 'pinyin', 1],
      ['huang', '黄芪', 'pinyin', 5],
      ['hq', '黄芪', 'initials', 5],
      ['ＨＱ', '黄芪', 'initials', 5],
      ['黃芪', '黄芪', 'name', 1],
      ['黃耆', '黄芪', 'alias', 1],
      ['Astragali', '黄芪', 'latin', 2],
      ['astragali radix', '黄芪', 'latin', 1],
      ['法半夏', '半夏', 'processedForm', 1],
      ['姜半夏', '半夏', 'processedForm', 1],
      ['清半夏', '半夏', 'processedForm', 1],
      ['炙甘草', '甘草', 'processedForm', 1],
      ['黑顺片', '附子', 'processedForm', 1],
      ['淡附片', '附子', 'processedForm', 1],
      ['制川乌', '制川乌', 'name', 1],
      ['官桂', '肉桂', 'alias', 1],
      ['國老', '甘草', 'alias', 1],
      ['當歸', '当归', 'name', 1],
      ['dg', '当归', 'initials', 5],
      ['gancao', '甘草', 'pinyin', 1],
      ['nvzhenzi', '女贞子', 'pinyin', 1],
      ['nuzhenzi', '女贞子', 'pinyin', 1],
      ['nü zhen zi', '女贞子', 'pinyin', 1],
      ['Poria', '茯苓', 'latin', 1],
      ['顺片', '附子', 'processedForm', 3],
      ['huangqqi', '黄芪', 'similar', 2],
    ];
    it.each(cases)('%s → %s (%s)', async (query, expected, matchedBy, within) => {
      const result = await searchHerbs(handle.db, { q: query, limit: 10 });
      const index = result.items.findIndex((i) => i.name === expected);
      expect(index, `${expected} in ${result.items.map((i) => i.name).join(',')}`).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(within);
      expect(result.items[index]!.matchedBy).toBe(matchedBy);
    });

    it('names the written form that matched', async () => {
      const [item] = (await searchHerbs(handle.db, { q: '法半夏' })).items;
      expect(item).toMatchObject({ name: '半夏', matchedBy: 'processedForm', matchedName: '法半夏' });
      expect(item!.processedForms.find((f) => f.name === '法半夏')?.processing).toBe('甘草石灰液制');
    });

    it('ranks exact name > alias/processed exact > prefix > substring', async () => {
      // 黄连: the herb itself, then herbs whose names contain it (胡黄连).
      expect((await names('黄连', 10))[0]).toBe('黄连');
      expect(await names('黄连', 10)).toContain('胡黄连');
      // 川乌 exactly, then 制川乌 (substring of its name).
      const chuanwu = await searchHerbs(handle.db, { q: '川乌', limit: 10 });
      expect(chuanwu.items.map((i) => [i.name, i.matchedBy])).toEqual([
        ['川乌', 'name'],
        ['制川乌', 'name'],
      ]);
      // 黄 prefix (黄芪, 黄芩 …) before names merely containing 黄 (大黄, 地黄 …).
      const huang = (await searchHerbs(handle.db, { q: '黄', limit: 100 })).items.map((i) => i.name);
      expect(huang.indexOf('黄芪')).toBeLessThan(huang.indexOf('大黄'));
      expect(huang.indexOf('黄精')).toBeLessThan(huang.indexOf('地黄'));
      // Exact pinyin before pinyin prefix.
      expect(await names('huangqi', 2)).toEqual(['黄芪', '黄芩']);
    });

    it('is deterministic', async () => {
      for (const q of ['hq', '黄', 'radix', 'a']) expect(await names(q, 50)).toEqual(await names(q, 50));
    });

    it('finds Latin substrings and reports the total', async () => {
      const radix = await searchHerbs(handle.db, { q: 'radix', limit: 100 });
      expect(radix.total).toBeGreaterThan(50);
      // Substring matches first; trigram look-alikes (Raddeanae) only after them.
      const firstSimilar = radix.items.findIndex((i) => i.matchedBy === 'similar');
      const exact = firstSimilar === -1 ? radix.items : radix.items.slice(0, firstSimilar);
      expect(exact.length).toBeGreaterThan(50);
      expect(exact.every((i) => i.latin.toLowerCase().includes('radix') && i.matchedBy === 'latin')).toBe(true);
      expect(radix.items.slice(exact.length).every((i) => i.matchedBy === 'similar')).toBe(true);
    });
  });

  describe('filters, sort and paging', () => {
    it('browses everything in pinyin order without a query', async () => {
      const page = await searchHerbs(handle.db, { limit: 100 });
      expect(page.total).toBe(HERBS.length);
      expect(page.query).toBeNull();
      expect(page.items.every((i) => i.matchedBy === null)).toBe(true);
      const pinyins = page.items.map((i) => i.pinyin);
      expect([...pinyins].sort(compareCodePoints)).toEqual(pinyins);
    });

    it('filters by toxicity, pregnancy class and category (with a query too)', async () => {
      const high = await searchHerbs(handle.db, { toxicity: 'high', limit: 100 });
      expect(high.total).toBe(HERBS.filter((h) => h.toxicity === 'high').length);
      expect(high.items.map((i) => i.name)).toContain('巴豆霜');
      for (const pregnancy of PREGNANCY_CLASSES) {
        const r = await searchHerbs(handle.db, { pregnancy, limit: 100 });
        expect(r.total).toBe(HERBS.filter((h) => h.pregnancy === pregnancy).length);
        expect(r.items.every((i) => i.pregnancy === pregnancy)).toBe(true);
      }
      const tonic = await searchHerbs(handle.db, { q: 'huang', category: '补虚药', limit: 100 });
      expect(tonic.items.map((i) => i.name)).toEqual(expect.arrayContaining(['黄芪', '黄精', '熟地黄']));
      expect(tonic.items.every((i) => i.category === '补虚药')).toBe(true);
      const none = await searchHerbs(handle.db, { q: '黄芪', toxicity: 'high' });
      expect(none).toMatchObject({ total: 0, items: [] });
    });

    it('sorts by name (pinyin) and by category', async () => {
      const byName = (await searchHerbs(handle.db, { q: '黄', sort: 'name', limit: 100 })).items.map((i) => i.pinyin);
      expect([...byName].sort(compareCodePoints)).toEqual(byName);
      const byCategory = (await searchHerbs(handle.db, { sort: 'category', limit: 100, offset: 200 })).items;
      const ranks = byCategory.map((i) => categoryOrder(i.category));
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    });

    it('pages through results with a stable total', async () => {
      const all = (await searchHerbs(handle.db, { q: 'radix', limit: 100 })).items.map((i) => i.id);
      const pages: string[] = [];
      for (let offset = 0; offset < all.length; offset += 7) {
        const page = await searchHerbs(handle.db, { q: 'radix', limit: 7, offset });
        expect(page.total).toBe(all.length);
        pages.push(...page.items.map((i) => i.id));
      }
      expect(pages).toEqual(all);
      const beyond = await searchHerbs(handle.db, { q: 'radix', limit: 7, offset: 5000 });
      expect(beyond).toMatchObject({ total: all.length, items: [] });
    });

    it('keeps limit within 1–100', async () => {
      expect((await searchHerbs(handle.db, { limit: 1 })).items).toHaveLength(1);
      expect((await searchHerbs(handle.db, { limit: 100 })).items).toHaveLength(100);
      expect((await searchHerbs(handle.db, { limit: 1000 })).items).toHaveLength(100);
      expect((await searchHerbs(handle.db, { limit: 0 })).items).toHaveLength(1);
      expect((await searchHerbs(handle.db, {})).items).toHaveLength(20);
    });
  });

  describe('hostile and odd input never errors', () => {
    const odd = [
      'a'.repeat(50),
      '黄'.repeat(50),
      '黃芪'.repeat(25),
      '🌿',
      '🌿黄芪',
      '👨‍👩‍👧‍👦❤️🇨🇳',
      "'; DROP TABLE herb; --",
      "黄芪' OR '1'='1",
      '%',
      '_',
      '\\',
      '%_%',
      '(^| ).*',
      '$1',
      '\u0000',
      'huang\u0000qi',
      '\uD800',
      '\u202Eqi',
      'Ω≈ç√∫',
      'ß',
      '١٢٣',
      '한국어',
      'ｈｕａｎｇ　ｑｉ',
      ' '.repeat(50),
    ];
    it.each(odd.map((q) => [JSON.stringify(q), q]))('%s', async (_label, q) => {
      const result = await searchHerbs(handle.db, { q, limit: 10 });
      expect(Array.isArray(result.items)).toBe(true);
      expect(result.total).toBeGreaterThanOrEqual(result.items.length);
      for (const item of result.items) expect(item.id).toMatch(/^hrb_/);
    });

    it('leaves the table intact', async () => {
      expect(await countAllHerbs(handle.db)).toBe(HERBS.length);
      expect((await searchHerbs(handle.db, { q: '🌿' })).items).toEqual([]);
      expect((await searchHerbs(handle.db, { q: "'; DROP TABLE herb; --" })).items).toEqual([]);
      expect((await searchHerbs(handle.db, { q: '%' })).items).toEqual([]);
      expect(await names('huang\u0000qi', 1)).toEqual(['黄芪']);
    });
  });

  describe('getHerb', () => {
    it('answers every fact, with grams and per-form handling', async () => {
      const dahuang = await getHerb(handle.db, herbIdFor('大黄'));
      expect(dahuang).toMatchObject({
        name: '大黄',
        pinyin: 'da huang',
        initials: 'dh',
        latin: 'Rhei Radix et Rhizoma',
        category: '泻下药',
        doseMinG: 3,
        doseMaxG: 15,
        handling: '后下',
        handlingNote: '泻下',
        pregnancy: 'caution',
        forDecoction: true,
        source: '中国药典2020一部',
        base: null,
      });
      expect(dahuang.processedForms.find((f) => f.name === '酒大黄')).toEqual({ name: '酒大黄', processing: '酒炙', handling: null });
      expect(dahuang.aliases).toContain('川军');
    });

    it('links the base herb and the 十八反/十九畏 partners', async () => {
      const zhichuanwu = await getHerb(handle.db, herbIdFor('制川乌'));
      expect(zhichuanwu.base).toEqual({ name: '川乌', id: herbIdFor('川乌') });
      expect(zhichuanwu.incompatibilities.map((r) => r.ruleId)).toEqual(['18fan-wutou', '19wei-wutou']);
      const gancao = await getHerb(handle.db, herbIdFor('甘草'));
      expect(gancao.incompatibilities).toHaveLength(1);
      expect(gancao.incompatibilities[0]!.partners).toContainEqual({ name: '甘遂', id: herbIdFor('甘遂') });
      expect((await getHerb(handle.db, herbIdFor('黄芪'))).incompatibilities).toEqual([]);
    });

    it('answers NOT_FOUND naming the id field', async () => {
      await expect(getHerb(handle.db, 'hrb_nope')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'id' } });
    });
  });
});
