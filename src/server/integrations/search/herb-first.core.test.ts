import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSearch, type SearchPlan } from '../../domains/catalog/herb-search.core.ts';
import { herbFixture } from './search.contract.ts';
import { gramsOf, herbCovers, herbGramsOf, herbIdOf, queryGramsOf, routeOf, titleExtraOf } from './herb-first.core.ts';
import { matchDocument, matchHerb, normalizeDocument } from './search.core.ts';
import type { SearchDocument } from './search.port.ts';

function plan(raw: string): SearchPlan {
  const intent = planSearch(raw);
  if (intent.kind !== 'search') throw new Error(`expected a search plan for ${JSON.stringify(raw)}`);
  return intent.plan;
}

/** Normalised text as titles and queries are: single spaces, trimmed. */
const normalized = (alphabet: string[], maxLength: number) =>
  fc
    .array(fc.constantFrom(...alphabet), { maxLength })
    .map((chars) => chars.join('').replace(/\s+/g, ' ').trim());

// A small alphabet makes shared characters, repeats and near misses common.
const ALPHABET = ['黄', '芪', '半', '夏', '甘', '草', ' ', 'a', 'b'];

describe('grams', () => {
  it('are the distinct 1- and 2-character pieces, never all spaces', () => {
    expect(gramsOf('黄芪 片')).toEqual(['黄', '黄芪', '芪', '芪 ', ' 片', '片']);
    expect(gramsOf('  ')).toEqual([]);
    expect(gramsOf('𠀋a')).toEqual(['𠀋', '𠀋a', 'a']);
  });

  it('of a query: the character itself, or its bigrams', () => {
    expect(queryGramsOf('芪')).toEqual(['芪']);
    expect(queryGramsOf('黄芪')).toEqual(['黄芪']);
    expect(queryGramsOf('huang qi')).toEqual(['hu', 'ua', 'an', 'ng', 'g ', ' q', 'qi']);
  });

  it('of a herb never span two names', () => {
    expect(herbGramsOf(['黄芪', '黄耆'])).not.toContain('芪黄');
  });

  it('title extras are the title grams the herb lacks', () => {
    const herb = herbGramsOf(['黄芪', '黄耆']);
    expect(titleExtraOf('黄芪 饮片', herb)).toEqual(['芪 ', ' 饮', '饮', '饮片', '片']);
    expect(titleExtraOf('黄芪', herb)).toEqual([]);
  });
});

describe('title-only matches are always found (property)', () => {
  it('a title containing the query shares a query gram with its extras, or its herb covers the query', () => {
    fc.assert(
      fc.property(
        fc.array(normalized(ALPHABET, 5), { maxLength: 4 }),
        normalized(ALPHABET, 10),
        normalized(ALPHABET, 4).filter((q) => q.length > 0),
        (names, title, q) => {
          if (!title.includes(q)) return;
          const herb = herbGramsOf(names);
          const grams = queryGramsOf(q);
          const extra = new Set(titleExtraOf(title, herb));
          expect(herbCovers(herb, grams) || grams.some((g) => extra.has(g))).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('so the two paths together reach every document matchDocument matches', () => {
    const herbs = ['黄芪', '黄芩', '半夏', '甘草'].map(herbFixture);
    const words = ['黄芪', '半夏', '饮片', '甘肃', '选货', '片', 'gap', 'huang', 'qi'];
    const doc = fc
      .tuple(fc.constantFrom(...herbs), fc.array(fc.constantFrom(...words), { maxLength: 4 }))
      .map(([herb, title]): SearchDocument => ({ ...herb, id: 'x', kind: 'product', title: title.join(' ') }));
    const query = fc.oneof(
      fc.constantFrom('黄', '芪', '黄芪', '夏', '片', '饮片', '甘肃', '芪 饮', 'huang', 'hq', 'qi', 'gap', 'astragali', '选'),
      normalized(ALPHABET, 4).filter((q) => q.length > 0),
    );
    fc.assert(
      fc.property(doc, query, (d, q) => {
        const p = plan(q);
        const n = normalizeDocument(d);
        if (!matchDocument(p, n)) return;
        const route = routeOf(p);
        const viaHerb = matchHerb(p, n.herb) !== null || (route.titles && herbCovers(n.herb.grams, route.grams));
        const viaTitle = route.titles && route.grams.some((g) => n.titleExtra.includes(g));
        expect(viaHerb || viaTitle).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('herb ids', () => {
  it('are shared by the documents of one herb and differ between herbs', () => {
    const hq = herbFixture('黄芪');
    const a = normalizeDocument({ ...hq, id: 'prd_1', kind: 'product', title: '黄芪 饮片' });
    const b = normalizeDocument({ ...hq, id: 'lst_2', kind: 'listing', title: '黄芪 药材 统货' });
    const other = normalizeDocument(herbFixture('黄芩'));
    expect(a.herb.id).toBe(b.herb.id);
    expect(a.herb.id).not.toBe(other.herb.id);
    expect(herbIdOf({ ...a.herb, latin: 'x' })).not.toBe(a.herb.id);
  });
});

describe('routeOf', () => {
  it('searches titles for Chinese text and for Latin-script text of 3+ letters only', () => {
    expect(routeOf(plan('黄芪'))).toEqual({ titles: true, grams: ['黄芪'] });
    expect(routeOf(plan('hq'))).toEqual({ titles: false, grams: [] });
    expect(routeOf(plan('gap')).titles).toBe(true);
    expect(routeOf(plan('123')).grams).toEqual(['12', '23']);
  });
});

describe('matchDocument', () => {
  const hq = herbFixture('黄芪');
  const doc = (title: string) => normalizeDocument({ ...hq, id: 'prd_1', kind: 'product', title });

  it('takes the better of the herb tier and the title tier', () => {
    expect(matchDocument(plan('黄芪'), doc('黄芪 饮片'))?.tier).toBe(0);
    expect(matchDocument(plan('黄芪 饮片'), doc('黄芪 饮片'))?.tier).toBe(0);
    expect(matchDocument(plan('饮片'), doc('黄芪 饮片'))?.tier).toBe(3);
    expect(matchDocument(plan('饮片'), doc('饮片 黄芪'))?.tier).toBe(2);
    expect(matchDocument(plan('甘肃'), doc('黄芪 饮片'))).toBeNull();
  });

  it('matches Latin-script text in titles only as a substring of 3+ letters', () => {
    expect(matchDocument(plan('gap'), doc('黄芪 gap'))?.tier).toBe(3);
    expect(matchDocument(plan('ga'), doc('黄芪 gap'))).toBeNull();
  });
});
