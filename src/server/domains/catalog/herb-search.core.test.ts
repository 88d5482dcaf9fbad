import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMatch,
  encodeMatch,
  escapeLike,
  gramsToMg,
  incompatibilitiesOf,
  MATCHED_BY,
  matchedNameFor,
  mgToGrams,
  normalizeSearchQuery,
  pinyinSyllableRegex,
  planSearch,
  queryScript,
  TIER,
  type SearchPlan,
} from './herb-search.core.ts';

function plan(raw: string): SearchPlan {
  const intent = planSearch(raw);
  if (intent.kind !== 'search') throw new Error(`expected a search plan for ${JSON.stringify(raw)}`);
  return intent.plan;
}

describe('normalizeSearchQuery', () => {
  it('turns traditional characters into simplified ones', () => {
    expect(normalizeSearchQuery('黃芪')).toBe('黄芪');
    expect(normalizeSearchQuery('當歸')).toBe('当归');
    expect(normalizeSearchQuery('炙甘草')).toBe('炙甘草');
  });

  it('folds full-width characters, case and spaces', () => {
    expect(normalizeSearchQuery('ＨＱ')).toBe('hq');
    expect(normalizeSearchQuery('  Huang\u3000\u3000QI ')).toBe('huang qi');
    expect(normalizeSearchQuery('ASTRAGALI   Radix')).toBe('astragali radix');
    expect(normalizeSearchQuery('\tdang\ngui\r')).toBe('dang gui');
  });

  it('drops punctuation, symbols, emoji and control characters', () => {
    expect(normalizeSearchQuery('黄芪！')).toBe('黄芪');
    expect(normalizeSearchQuery('「法半夏」')).toBe('法半夏');
    expect(normalizeSearchQuery('🌿黄芪🌿')).toBe('黄芪');
    expect(normalizeSearchQuery('👨‍👩‍👧❤️')).toBe('');
    expect(normalizeSearchQuery('huang\u0000qi')).toBe('huang qi');
    expect(normalizeSearchQuery("'; DROP TABLE herb; --")).toBe('drop table herb');
    expect(normalizeSearchQuery('100%_\\')).toBe('100');
    expect(normalizeSearchQuery('\uD800x')).toBe('x');
  });

  it('keeps pinyin tone marks (compact pinyin drops them later)', () => {
    expect(normalizeSearchQuery('Huáng Qí')).toBe('huáng qí');
    expect(plan('Huáng Qí').compact).toBe('huangqi');
  });

  it('is idempotent on any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const once = normalizeSearchQuery(s);
        expect(normalizeSearchQuery(once)).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  it('is idempotent on herb-like text: Han, traditional, full-width, pinyin (property)', () => {
    const pieces = fc.constantFrom('黄芪', '黃耆', '當歸', '甘草', '法半夏', 'ＨＱ', 'Huang', ' ', '\u3000', 'Qí', 'ü', 'Radix', '！', '🌿', '·', '\u0000', '芪');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const once = normalizeSearchQuery(parts.join(''));
        expect(normalizeSearchQuery(once)).toBe(once);
        expect(once).toBe(once.trim());
        expect(once).not.toMatch(/\s{2}|[A-Z]|\p{Cc}/u);
      }),
      { numRuns: 300 },
    );
  });
});

describe('planSearch', () => {
  it('browses when nothing was typed and finds nothing when only junk was typed', () => {
    expect(planSearch(undefined)).toEqual({ kind: 'browse' });
    expect(planSearch('   ')).toEqual({ kind: 'browse' });
    expect(planSearch('🌿🌿')).toEqual({ kind: 'nothing' });
    expect(planSearch('%%%')).toEqual({ kind: 'nothing' });
  });

  it('classifies the script and derives compact pinyin for latin text', () => {
    expect(plan('黃芪')).toMatchObject({ text: '黄芪', script: 'han', compact: '', substring: true, similarity: false });
    expect(plan('huang qi')).toMatchObject({ text: 'huang qi', script: 'latin', compact: 'huangqi', substring: true, similarity: true });
    expect(plan('hq')).toMatchObject({ script: 'latin', compact: 'hq', substring: false, similarity: false });
    expect(plan('nü zhen zi').compact).toBe('nvzhenzi');
    expect(plan('10')).toMatchObject({ script: 'other', compact: '' });
    expect(plan('ß').script).toBe('other');
    expect(queryScript('radix 黄')).toBe('han');
  });

  it('uses similarity only for queries long enough to have trigrams', () => {
    expect(plan('芪').similarity).toBe(false);
    expect(plan('黄芪').similarity).toBe(false);
    expect(plan('炙黄芪').similarity).toBe(true);
    expect(plan('huan').similarity).toBe(true);
    expect(plan('hua').similarity).toBe(false);
  });

  it('escapes LIKE metacharacters', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });

  it('builds a syllable-boundary pinyin regex from compact pinyin only', () => {
    expect(pinyinSyllableRegex('hq')).toBe('(^| )h ?q');
    expect(pinyinSyllableRegex('nvz')).toBe('(^| )n ?[vü] ?z');
    expect(pinyinSyllableRegex('nu')).toBe('(^| )n ?[uü]');
    expect(() => pinyinSyllableRegex('a.*')).toThrow();
    const re = new RegExp(pinyinSyllableRegex('huangqi'));
    expect(re.test('huang qi')).toBe(true);
    expect(re.test('zhi huang qi')).toBe(true);
    expect(re.test('shuang qi')).toBe(false);
  });
});

describe('match codes and matched names', () => {
  it('round-trips every tier and kind', () => {
    for (const tier of Object.values(TIER)) for (const by of MATCHED_BY) expect(decodeMatch(encodeMatch(tier, by))).toEqual({ tier, matchedBy: by });
    expect(decodeMatch(null)).toBeNull();
    expect(decodeMatch(-1)).toBeNull();
    expect(decodeMatch(99)).toBeNull();
  });

  it('names the alias or processed form that matched', () => {
    const banxia = { name: '半夏', pinyin: 'ban xia', initials: 'bx', latin: 'Pinelliae Rhizoma', aliases: ['生半夏'], processedForms: [{ name: '法半夏' }, { name: '姜半夏' }] };
    expect(matchedNameFor(plan('法半夏'), 'processedForm', banxia)).toBe('法半夏');
    expect(matchedNameFor(plan('姜'), 'processedForm', banxia)).toBe('姜半夏');
    expect(matchedNameFor(plan('生半'), 'alias', banxia)).toBe('生半夏');
    expect(matchedNameFor(plan('bx'), 'initials', banxia)).toBe('bx');
    expect(matchedNameFor(plan('banxiaa'), 'similar', banxia)).toBeNull();
  });
});

describe('doses', () => {
  it('stores grams as exact milligrams', () => {
    expect(gramsToMg(0.015)).toBe(15);
    expect(gramsToMg(4.5)).toBe(4500);
    expect(gramsToMg(30)).toBe(30000);
    expect(mgToGrams(15)).toBe(0.015);
    expect(mgToGrams(null)).toBeNull();
  });
});

describe('incompatibilitiesOf', () => {
  it('lists 十八反 partners of 甘草', () => {
    const rules = incompatibilitiesOf('甘草');
    expect(rules.map((r) => r.ruleId)).toEqual(['18fan-gancao']);
    expect(rules[0]!.partners).toEqual(['甘遂', '京大戟', '红大戟', '海藻', '芫花']);
  });

  it('finds rules written with an alias and de-duplicates partners by standard name', () => {
    expect(incompatibilitiesOf('赤石脂')).toMatchObject([{ ruleId: '19wei-rougui', partners: ['肉桂'] }]);
    expect(incompatibilitiesOf('硫黄')[0]!.partners).toEqual(['芒硝', '玄明粉']);
  });

  it('gives a processed herb its base herb rules', () => {
    const ids = incompatibilitiesOf('制川乌', '川乌').map((r) => r.ruleId);
    expect(ids).toEqual(['18fan-wutou', '19wei-wutou']);
    expect(incompatibilitiesOf('半夏')[0]!.partners).toEqual(['川乌', '制川乌', '草乌', '制草乌', '附子']);
  });

  it('is empty for a herb without rules', () => {
    expect(incompatibilitiesOf('黄芪')).toEqual([]);
  });
});
