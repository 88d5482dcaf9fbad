import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HERBS, type HerbRecord } from './herb-master.data.ts';
import {
  compactPinyin,
  compareCodePoints,
  HerbIndex,
  herbIndex,
  initialsOf,
  normalizeHerbQuery,
  similarity,
  toHalfWidth,
  toSimplified,
} from './herb-names.core.ts';

describe('toSimplified', () => {
  it('converts traditional characters and leaves simplified text alone', () => {
    expect(toSimplified('黃芪')).toBe('黄芪');
    expect(toSimplified('黑順片')).toBe('黑顺片');
    expect(toSimplified('薑半夏')).toBe('姜半夏');
    expect(toSimplified('製川烏')).toBe('制川乌');
    expect(toSimplified('瓜蔞')).toBe('瓜蒌');
    expect(toSimplified('黄芪')).toBe('黄芪');
    expect(toSimplified('Astragali Radix')).toBe('Astragali Radix');
    expect(toSimplified('')).toBe('');
  });
});

describe('initialsOf / compactPinyin', () => {
  it('takes the first letter of each syllable', () => {
    expect(initialsOf('huang qi')).toBe('hq');
    expect(initialsOf('  Zhi  Chuan Wu ')).toBe('zcw');
    expect(initialsOf('nü zhen zi')).toBe('nzz');
    expect(initialsOf('')).toBe('');
  });

  it('drops spaces and tones and writes ü as v', () => {
    expect(compactPinyin('huang qi')).toBe('huangqi');
    expect(compactPinyin('huáng qí')).toBe('huangqi');
    expect(compactPinyin('nü zhen zi')).toBe('nvzhenzi');
    expect(compactPinyin("xi'an")).toBe('xian');
  });
});

describe('normalizeHerbQuery', () => {
  it('trims, folds width and compatibility forms, simplifies and lowercases latin', () => {
    expect(normalizeHerbQuery('  黃芪 ')).toBe('黄芪');
    expect(normalizeHerbQuery('\u3000黄芪\u3000')).toBe('黄芪');
    expect(normalizeHerbQuery('ＨＵＡＮＧ　ＱＩ')).toBe('huang qi');
    expect(normalizeHerbQuery('Astragali   Radix')).toBe('astragali radix');
    expect(normalizeHerbQuery('')).toBe('');
  });

  it('toHalfWidth maps full-width ASCII', () => {
    expect(toHalfWidth('ＡＢＣ１２３！')).toBe('ABC123!');
  });
});

describe('HerbIndex.resolve', () => {
  const index = herbIndex();
  const resolve = (written: string) => {
    const match = index.resolve(written);
    return match && { name: match.herb.name, matchedBy: match.matchedBy, processing: match.processing, traditional: match.traditional };
  };

  it('resolves standard names, aliases and processed forms', () => {
    expect(resolve('黄芪')).toEqual({ name: '黄芪', matchedBy: 'name', processing: undefined, traditional: undefined });
    expect(resolve('黄耆')).toMatchObject({ name: '黄芪', matchedBy: 'alias' });
    expect(resolve('国老')).toMatchObject({ name: '甘草', matchedBy: 'alias' });
    expect(resolve('炙甘草')).toMatchObject({ name: '甘草', matchedBy: 'processedForm', processing: '蜜炙' });
    for (const form of ['法半夏', '姜半夏', '清半夏']) expect(resolve(form)).toMatchObject({ name: '半夏', matchedBy: 'processedForm' });
    for (const form of ['黑顺片', '白附片', '淡附片']) expect(resolve(form)).toMatchObject({ name: '附子', matchedBy: 'processedForm' });
  });

  it('resolves processed herbs with their own record to that record', () => {
    expect(resolve('制川乌')).toMatchObject({ name: '制川乌', matchedBy: 'name' });
    expect(index.resolve('制川乌')?.herb.baseHerb).toBe('川乌');
    expect(resolve('巴豆霜')).toMatchObject({ name: '巴豆霜', matchedBy: 'name' });
  });

  it('resolves traditional characters, full width and surrounding spaces', () => {
    expect(resolve('黃芪')).toEqual({ name: '黄芪', matchedBy: 'name', processing: undefined, traditional: true });
    expect(resolve('黑順片')).toMatchObject({ name: '附子', processing: expect.any(String), traditional: true });
    expect(resolve('國老')).toMatchObject({ name: '甘草', matchedBy: 'alias', traditional: true });
    expect(resolve('  黄芪\u3000')).toMatchObject({ name: '黄芪' });
  });

  it('resolves pinyin with or without spaces, case or tones', () => {
    for (const written of ['huangqi', 'huang qi', 'Huang Qi', 'huáng qí', 'ＨＵＡＮＧＱＩ']) {
      expect(resolve(written), written).toMatchObject({ name: '黄芪', matchedBy: 'pinyin' });
    }
    expect(resolve('dahuang')).toMatchObject({ name: '大黄' });
    expect(resolve('nvzhenzi')).toMatchObject({ name: '女贞子' });
    expect(resolve('nuzhenzi')).toMatchObject({ name: '女贞子' });
  });

  it('resolves Latin names', () => {
    expect(resolve('Astragali Radix')).toMatchObject({ name: '黄芪', matchedBy: 'latin' });
    expect(resolve('glycyrrhizae radix et rhizoma')).toMatchObject({ name: '甘草', matchedBy: 'latin' });
  });

  it('resolves initials only when one herb has them', () => {
    expect(resolve('hq')).toBeUndefined(); // 黄芪 and 黄芩
    expect(resolve('jqbhs')).toMatchObject({ name: '金钱白花蛇', matchedBy: 'initials' });
    const counts = new Map<string, number>();
    for (const herb of HERBS) counts.set(initialsOf(herb.pinyin), (counts.get(initialsOf(herb.pinyin)) ?? 0) + 1);
    for (const herb of HERBS) {
      const initials = initialsOf(herb.pinyin);
      const match = index.resolve(initials);
      if (counts.get(initials) === 1 && match?.matchedBy === 'initials') expect(match.herb).toBe(herb);
      if ((counts.get(initials) ?? 0) > 1) expect(match?.matchedBy).not.toBe('initials');
    }
  });

  it('returns nothing for unknown or empty names', () => {
    expect(index.resolve('黄苠')).toBeUndefined();
    expect(index.resolve('')).toBeUndefined();
    expect(index.resolve('   ')).toBeUndefined();
    expect(index.resolve('贝母')).toBeUndefined(); // ambiguous: write 川贝母, 浙贝母 …
  });

  it('every standard name, alias and processed form resolves to its herb', () => {
    for (const herb of HERBS) {
      expect(index.resolve(herb.name)?.herb, herb.name).toBe(herb);
      for (const alias of herb.aliases) expect(index.resolve(alias)?.herb, alias).toBe(herb);
      for (const form of herb.processedForms) {
        const match = index.resolve(form.name);
        expect(match?.herb, form.name).toBe(herb);
        expect(match?.processing, form.name).toBe(form.processing);
      }
    }
  });

  it('lets a standard name win over another herb claiming it as alias', () => {
    const a: HerbRecord = { ...HERBS[0]!, name: '甲', aliases: ['乙'], processedForms: [] };
    const b: HerbRecord = { ...HERBS[1]!, name: '乙', aliases: [], processedForms: [] };
    const local = new HerbIndex([a, b]);
    expect(local.resolve('乙')?.herb.name).toBe('乙');
    expect(local.conflicts).toEqual(['乙']);
  });
});

describe('HerbIndex.suggest', () => {
  const index = herbIndex();
  const names = (written: string, k?: number) => index.suggest(written, k).map((h) => h.name);

  it('finds homophones typed with the wrong character first', () => {
    expect(names('黄其')[0]).toBe('黄芪');
    expect(names('当规')[0]).toBe('当归');
    expect(names('百术')[0]).toBe('白术');
  });

  it('finds near misses of names, aliases and pinyin', () => {
    expect(names('党叁')).toContain('党参');
    expect(names('炙甘艸')).toContain('甘草');
    expect(names('huangqqi')[0]).toBe('黄芪');
    expect(names('danggiu')).toContain('当归');
  });

  it('returns at most k standard names, nothing for unrelated text', () => {
    expect(names('黄', 3).length).toBeLessThanOrEqual(3);
    expect(names('黄其', 1)).toEqual(['黄芪']);
    expect(names('qwxzqwxz')).toEqual([]);
    expect(names('')).toEqual([]);
    expect(names('黄其', 0)).toEqual([]);
  });

  it('is deterministic', () => {
    for (const written of ['黄苠', '人生', 'gancoa', '白止', 'xyz']) expect(names(written, 5)).toEqual(names(written, 5));
    expect(new HerbIndex(HERBS).suggest('黄苠', 5).map((h) => h.name)).toEqual(names('黄苠', 5));
  });
});

describe('HerbIndex.search', () => {
  const index = herbIndex();
  const names = (query: string, limit?: number) => index.search(query, limit).map((h) => h.name);

  it('finds by substring, pinyin, initials, traditional characters, Latin, aliases and processed forms', () => {
    expect(names('芪')).toEqual(expect.arrayContaining(['黄芪', '红芪']));
    expect(names('huangqi')[0]).toBe('黄芪');
    expect(names('hq')).toEqual(expect.arrayContaining(['黄芪', '黄芩']));
    expect(names('黃芪')[0]).toBe('黄芪');
    expect(names('Astragali')[0]).toBe('黄芪');
    expect(names('国老')[0]).toBe('甘草');
    expect(names('炙甘草')[0]).toBe('甘草');
  });

  it('limits and handles empty queries', () => {
    expect(names('黄', 5)).toHaveLength(5);
    expect(names('')).toEqual([]);
    expect(names('黄芪', 0)).toEqual([]);
  });
});

describe('compareCodePoints / similarity', () => {
  it('orders by code point, shorter prefix first', () => {
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('甘草', '甘草')).toBe(0);
    // U+20000 sorts after U+FFFF by code point, although its first UTF-16 unit is smaller.
    expect(compareCodePoints('\u{20000}', '\uffff')).toBeGreaterThan(0);
    expect('\u{20000}' < '\uffff').toBe(true);
  });

  it('is 1 for equal strings, 0 for disjoint ones, symmetric', () => {
    expect(similarity('黄芪', '黄芪')).toBe(1);
    expect(similarity('黄芪', '')).toBe(0);
    expect(similarity('甲乙', '丙丁')).toBe(0);
    expect(similarity('黄芪', '黄芩')).toBeCloseTo(similarity('黄芩', '黄芪'));
    expect(similarity('黄芪', '黄芩')).toBeGreaterThan(0);
  });

  it('property: equals the plain definition (string bigram multiset Dice, row-by-row Levenshtein)', () => {
    const reference = (a: string, b: string): number => {
      if (a === b) return a.length > 0 ? 1 : 0;
      const x = Array.from(a);
      const y = Array.from(b);
      if (x.length === 0 || y.length === 0) return 0;
      const grams = (c: string[]) => ['\u0002', ...c, '\u0003'].slice(1).map((ch, i, all) => `${i === 0 ? '\u0002' : all[i - 1]}${ch}`);
      const [ga, gb] = [grams(x), grams(y)];
      const left = [...ga];
      let shared = 0;
      for (const g of gb) {
        const at = left.indexOf(g);
        if (at >= 0) {
          shared++;
          left.splice(at, 1);
        }
      }
      let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
      for (let i = 1; i <= x.length; i++) {
        const row = [i];
        for (let j = 1; j <= y.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)));
        prev = row;
      }
      return Math.max((2 * shared) / (ga.length + gb.length), 1 - prev[y.length]! / Math.max(x.length, y.length));
    };
    // Small alphabets so that shared bigrams and repeats are common; astral characters included.
    const text = fc.string({ unit: fc.constantFrom('黄', '芪', '芩', '连', 'a', 'b', '\u{20000}', '\u0002'), maxLength: 12 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(similarity(a, b)).toBe(reference(a, b));
      }),
      { numRuns: 500 },
    );
  });
});
