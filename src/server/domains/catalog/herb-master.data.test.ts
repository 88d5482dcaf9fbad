import { describe, expect, it } from 'vitest';
import { HANDLINGS, HERB_CATEGORIES, HERBS, PREGNANCY_CLASSES, TOXICITIES, type HerbRecord } from './herb-master.data.ts';
import { herbIndex, normalizeHerbQuery, toSimplified } from './herb-names.core.ts';

/**
 * The herb master against DOMAIN.md. The expected values below are copied from DOMAIN.md by hand (not
 * from the data file), so a wrong edit of either side fails here.
 */

/** DOMAIN.md "Daily dose ranges (g, decoction, 药典 2020)". */
const DOMAIN_DOSES: Record<string, readonly [number, number]> = {
  甘草: [2, 10],
  黄芪: [9, 30],
  人参: [3, 9],
  党参: [9, 30],
  白术: [6, 12],
  茯苓: [10, 15],
  当归: [6, 12],
  川芎: [3, 10],
  白芍: [6, 15],
  熟地黄: [9, 15],
  附子: [3, 15],
  制川乌: [1.5, 3],
  制草乌: [1.5, 3],
  细辛: [1, 3],
  半夏: [3, 9],
  制天南星: [3, 9],
  吴茱萸: [2, 5],
  苦杏仁: [5, 10],
  麻黄: [2, 10],
  大黄: [3, 15],
  桂枝: [3, 10],
  肉桂: [1, 5],
  柴胡: [3, 10],
  黄连: [2, 5],
  黄芩: [3, 10],
  金银花: [6, 15],
  连翘: [6, 15],
  枸杞子: [6, 12],
  丹参: [10, 15],
  蜈蚣: [3, 5],
  全蝎: [3, 6],
  石膏: [15, 60],
  牡蛎: [9, 30],
  三七: [3, 9],
  阿胶: [3, 9],
};

/** DOMAIN.md "Not for decoction (入丸散 …)" with their ranges. */
const DOMAIN_NOT_FOR_DECOCTION: Record<string, readonly [number, number]> = {
  马钱子: [0.3, 0.6],
  朱砂: [0.1, 0.5],
  雄黄: [0.05, 0.1],
  甘遂: [0.5, 1.5],
  巴豆霜: [0.1, 0.3],
  斑蝥: [0.03, 0.06],
  洋金花: [0.3, 0.6],
};

/** DOMAIN.md "Handling the prescription should carry". */
const DOMAIN_HANDLING: Record<string, string> = {
  附子: '先煎',
  制川乌: '先煎',
  制草乌: '先煎',
  石膏: '先煎',
  牡蛎: '先煎',
  龟甲: '先煎',
  鳖甲: '先煎',
  薄荷: '后下',
  砂仁: '后下',
  钩藤: '后下',
  大黄: '后下',
  旋覆花: '包煎',
  车前子: '包煎',
  蒲黄: '包煎',
  阿胶: '烊化',
  人参: '另煎',
};

const DOMAIN_PREGNANCY_CONTRAINDICATED = ['马钱子', '朱砂', '雄黄', '甘遂', '京大戟', '芫花', '巴豆', '斑蝥', '牵牛子', '商陆', '麝香', '水蛭', '三棱', '莪术'];
const DOMAIN_PREGNANCY_CAUTION = ['附子', '制川乌', '制草乌', '大黄', '桃仁', '红花', '牛膝', '枳实', '肉桂', '制天南星'];

/** Every herb name DOMAIN.md mentions (catalog examples, 十八反, 十九畏, dose and other lists). */
const DOMAIN_NAMES = [
  ...new Set([
    '黄芪', '炙甘草', '甘草', '法半夏', '姜半夏', '清半夏', '半夏', '黑顺片', '白附片', '淡附片', '附子', '制川乌', '川乌',
    '甘遂', '京大戟', '红大戟', '海藻', '芫花', '草乌', '制草乌', '川贝母', '浙贝母', '平贝母', '伊贝母', '湖北贝母',
    '瓜蒌', '瓜蒌子', '瓜蒌皮', '天花粉', '白蔹', '白及', '藜芦', '人参', '西洋参', '党参', '北沙参', '南沙参', '丹参',
    '玄参', '苦参', '细辛', '白芍', '赤芍', '硫黄', '芒硝', '朴硝', '玄明粉', '水银', '砒霜', '狼毒', '密陀僧', '巴豆',
    '巴豆霜', '牵牛子', '丁香', '郁金', '犀角', '三棱', '肉桂', '官桂', '赤石脂', '五灵脂',
    ...Object.keys(DOMAIN_DOSES),
    ...Object.keys(DOMAIN_NOT_FOR_DECOCTION),
    ...Object.keys(DOMAIN_HANDLING),
    ...DOMAIN_PREGNANCY_CONTRAINDICATED,
    ...DOMAIN_PREGNANCY_CAUTION,
  ]),
];

/** Names DOMAIN.md uses that are aliases or processed forms rather than records of their own. */
const DOMAIN_NON_RECORD_NAMES: Record<string, { herb: string; processing?: string }> = {
  炙甘草: { herb: '甘草', processing: '蜜炙' },
  法半夏: { herb: '半夏', processing: '甘草石灰液制' },
  姜半夏: { herb: '半夏', processing: '生姜白矾制' },
  清半夏: { herb: '半夏', processing: '白矾液制' },
  黑顺片: { herb: '附子' },
  白附片: { herb: '附子' },
  淡附片: { herb: '附子' },
  朴硝: { herb: '芒硝' },
  官桂: { herb: '肉桂' },
};

const byName = new Map(HERBS.map((h) => [h.name, h]));
function record(name: string): HerbRecord {
  const herb = byName.get(name);
  if (!herb) throw new Error(`no herb record ${name}`);
  return herb;
}

describe('HERBS: shape', () => {
  it('has at least 300 herbs with unique standard names', () => {
    expect(HERBS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(HERBS.map((h) => h.name)).size).toBe(HERBS.length);
  });

  it('no alias or processed form collides with another herb name, alias or form (also after normalization)', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const herb of HERBS) {
      for (const written of [herb.name, ...herb.aliases, ...herb.processedForms.map((f) => f.name)]) {
        const key = normalizeHerbQuery(written);
        const previous = owner.get(key);
        if (previous !== undefined) clashes.push(`${written}: ${previous} / ${herb.name}`);
        owner.set(key, herb.name);
      }
    }
    expect(clashes).toEqual([]);
    expect(herbIndex().conflicts).toEqual([]);
  });

  it('standard names are simplified Chinese and pinyin has one toneless syllable per character', () => {
    for (const herb of HERBS) {
      expect(toSimplified(herb.name), herb.name).toBe(herb.name);
      expect(herb.pinyin, herb.name).toMatch(/^[a-zü]+( [a-zü]+)*$/);
      expect(herb.pinyin.split(' ').length, herb.name).toBe(Array.from(herb.name).length);
    }
  });

  it('uses the pharmacopoeia readings of polyphonic characters', () => {
    const readings: Record<string, string> = {
      大黄: 'da huang',
      薄荷: 'bo he',
      地黄: 'di huang',
      半夏: 'ban xia',
      厚朴: 'hou po',
      牛膝: 'niu xi',
      黄芪: 'huang qi',
      黄柏: 'huang bo',
      枳壳: 'zhi qiao',
      蛤壳: 'ge qiao',
      阿胶: 'e jiao',
      莪术: 'e zhu',
      白术: 'bai zhu',
      苍术: 'cang zhu',
      桑螵蛸: 'sang piao xiao',
      芫花: 'yuan hua',
      女贞子: 'nü zhen zi',
    };
    for (const [name, pinyin] of Object.entries(readings)) expect(record(name).pinyin, name).toBe(pinyin);
  });

  it('every record is well formed', () => {
    for (const herb of HERBS) {
      expect(herb.latin, herb.name).toMatch(/^[A-Z][A-Za-zö]*( [A-Za-zö]+)*$/);
      expect(HERB_CATEGORIES, herb.name).toContain(herb.category);
      expect(TOXICITIES, herb.name).toContain(herb.toxicity);
      expect(PREGNANCY_CLASSES, herb.name).toContain(herb.pregnancy);
      if (herb.handling !== null) expect(HANDLINGS, herb.name).toContain(herb.handling);
      expect(herb.source.length, herb.name).toBeGreaterThan(0);
      if (herb.dose) {
        expect(herb.dose.minG, herb.name).toBeGreaterThan(0);
        expect(herb.dose.minG, herb.name).toBeLessThanOrEqual(herb.dose.maxG);
        expect(Number.isInteger(Math.round(herb.dose.minG * 1000)), herb.name).toBe(true);
      }
      for (const form of herb.processedForms) {
        expect(form.name.length, herb.name).toBeGreaterThan(0);
        expect(form.processing.length, form.name).toBeGreaterThan(0);
        if (form.handling !== undefined && form.handling !== null) expect(HANDLINGS).toContain(form.handling);
      }
      if (herb.handlingNote !== undefined) expect(herb.handling, herb.name).not.toBeNull();
    }
  });

  it('baseHerb links point to existing records, without cycles', () => {
    for (const herb of HERBS) {
      const seen = new Set([herb.name]);
      let base = herb.baseHerb;
      while (base !== undefined) {
        expect(seen.has(base), `${herb.name} cycles`).toBe(false);
        seen.add(base);
        base = record(base).baseHerb;
      }
    }
  });
});

describe('HERBS: every DOMAIN.md value matches', () => {
  it('knows every herb DOMAIN.md names; names that are records are records', () => {
    const index = herbIndex();
    for (const name of DOMAIN_NAMES) {
      const match = index.resolve(name);
      expect(match, name).toBeDefined();
      const expected = DOMAIN_NON_RECORD_NAMES[name];
      if (expected) {
        expect(match?.herb.name, name).toBe(expected.herb);
        if (expected.processing) expect(match?.processing, name).toBe(expected.processing);
      } else {
        expect(byName.has(name), `${name} is a record`).toBe(true);
        expect(match?.herb.name).toBe(name);
      }
    }
  });

  it('has the processed forms of DOMAIN.md "Catalog"', () => {
    const forms = (name: string) => record(name).processedForms.map((f) => f.name);
    expect(record('甘草').processedForms).toContainEqual({ name: '炙甘草', processing: '蜜炙' });
    expect(forms('半夏')).toEqual(expect.arrayContaining(['法半夏', '姜半夏', '清半夏']));
    expect(forms('附子')).toEqual(expect.arrayContaining(['黑顺片', '白附片', '淡附片']));
    // Processed herbs with their own dose range are records linked to their base.
    expect(record('制川乌').baseHerb).toBe('川乌');
    expect(record('制草乌').baseHerb).toBe('草乌');
    expect(record('制天南星').baseHerb).toBe('天南星');
    expect(record('熟地黄').baseHerb).toBe('地黄');
    expect(record('巴豆霜').baseHerb).toBe('巴豆');
  });

  it('has the daily dose ranges of DOMAIN.md', () => {
    for (const [name, [minG, maxG]] of Object.entries(DOMAIN_DOSES)) {
      expect(record(name).dose, name).toEqual({ minG, maxG });
      expect(record(name).forDecoction, name).toBe(true);
    }
  });

  it('marks exactly the DOMAIN.md 入丸散 herbs with their ranges as not for decoction', () => {
    for (const [name, [minG, maxG]] of Object.entries(DOMAIN_NOT_FOR_DECOCTION)) {
      expect(record(name).forDecoction, name).toBe(false);
      expect(record(name).dose, name).toEqual({ minG, maxG });
    }
  });

  it('has the handling of DOMAIN.md; 大黄 后下 only when used 泻下', () => {
    for (const [name, handling] of Object.entries(DOMAIN_HANDLING)) expect(record(name).handling, name).toBe(handling);
    expect(record('大黄').handlingNote).toBe('泻下');
    for (const name of Object.keys(DOMAIN_HANDLING)) {
      if (name !== '大黄') expect(record(name).handlingNote, name).toBeUndefined();
    }
    // Herbs of the dose table that DOMAIN.md does not list for handling need none.
    for (const name of Object.keys(DOMAIN_DOSES)) {
      if (!(name in DOMAIN_HANDLING)) expect(record(name).handling, name).toBeNull();
    }
  });

  it('has the pregnancy classes of DOMAIN.md', () => {
    for (const name of DOMAIN_PREGNANCY_CONTRAINDICATED) expect(record(name).pregnancy, name).toBe('contraindicated');
    for (const name of DOMAIN_PREGNANCY_CAUTION) expect(record(name).pregnancy, name).toBe('caution');
  });

  it('gives the pharmacopoeia source for pharmacopoeia herbs and names another source otherwise', () => {
    expect(record('黄芪').source).toBe('中国药典2020一部');
    for (const name of ['犀角', '水银', '砒霜', '密陀僧', '藜芦', '五灵脂']) expect(record(name).source, name).not.toBe('中国药典2020一部');
  });
});
