import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HANDLINGS, HERBS, type Handling, type HerbRecord } from '../catalog/herb-master.data.ts';
import { INCOMPATIBILITIES, type IncompatibilityRule } from './incompatibility.data.ts';
import {
  compareFlags,
  compileKnowledge,
  SCREENING_CODES,
  screenPrescription,
  SEVERITIES,
  type ScreeningFlag,
  type ScreeningInput,
  type ScreeningItem,
  type ScreeningOptions,
  type ScreeningResult,
} from './screening.core.ts';
import { gramsToMg, hasAtMost3Decimals, mgToGramsText, rxScreenInputSchema } from './screening.types.ts';
import { translate } from '../../../lib/messages.ts';
import { translateIssue } from '../../../lib/validation-messages.ts';

// ── DOMAIN.md "Safety screening", copied by hand ──────────────────────────────────────────────

const FAN18: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['甘草'], ['甘遂', '京大戟', '红大戟', '海藻', '芫花']],
  [
    ['川乌', '制川乌', '草乌', '制草乌', '附子'],
    ['川贝母', '浙贝母', '平贝母', '伊贝母', '湖北贝母', '瓜蒌', '瓜蒌子', '瓜蒌皮', '天花粉', '半夏', '白蔹', '白及'],
  ],
  [['藜芦'], ['人参', '西洋参', '党参', '北沙参', '南沙参', '丹参', '玄参', '苦参', '细辛', '白芍', '赤芍']],
];

const WEI19: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['硫黄'], ['芒硝', '朴硝', '玄明粉']],
  [['水银'], ['砒霜']],
  [['狼毒'], ['密陀僧']],
  [['巴豆', '巴豆霜'], ['牵牛子']],
  [['丁香'], ['郁金']],
  [['川乌', '草乌'], ['犀角']],
  [['芒硝'], ['三棱']],
  [['肉桂', '官桂'], ['赤石脂']],
  [['人参'], ['五灵脂']],
];

const DOSES: Record<string, readonly [number, number]> = {
  甘草: [2, 10], 黄芪: [9, 30], 人参: [3, 9], 党参: [9, 30], 白术: [6, 12], 茯苓: [10, 15], 当归: [6, 12],
  川芎: [3, 10], 白芍: [6, 15], 熟地黄: [9, 15], 附子: [3, 15], 制川乌: [1.5, 3], 制草乌: [1.5, 3], 细辛: [1, 3],
  半夏: [3, 9], 制天南星: [3, 9], 吴茱萸: [2, 5], 苦杏仁: [5, 10], 麻黄: [2, 10], 大黄: [3, 15], 桂枝: [3, 10],
  肉桂: [1, 5], 柴胡: [3, 10], 黄连: [2, 5], 黄芩: [3, 10], 金银花: [6, 15], 连翘: [6, 15], 枸杞子: [6, 12],
  丹参: [10, 15], 蜈蚣: [3, 5], 全蝎: [3, 6], 石膏: [15, 60], 牡蛎: [9, 30], 三七: [3, 9], 阿胶: [3, 9],
  马钱子: [0.3, 0.6], 朱砂: [0.1, 0.5], 雄黄: [0.05, 0.1], 甘遂: [0.5, 1.5], 巴豆霜: [0.1, 0.3], 斑蝥: [0.03, 0.06],
  洋金花: [0.3, 0.6],
};

const NOT_FOR_DECOCTION = ['马钱子', '朱砂', '雄黄', '甘遂', '巴豆霜', '斑蝥', '洋金花'];

const HANDLING: Record<string, Handling> = {
  附子: '先煎', 制川乌: '先煎', 制草乌: '先煎', 石膏: '先煎', 牡蛎: '先煎', 龟甲: '先煎', 鳖甲: '先煎',
  薄荷: '后下', 砂仁: '后下', 钩藤: '后下', 大黄: '后下',
  旋覆花: '包煎', 车前子: '包煎', 蒲黄: '包煎',
  阿胶: '烊化',
  人参: '另煎',
};

const PREGNANCY_CONTRAINDICATED = ['马钱子', '朱砂', '雄黄', '甘遂', '京大戟', '芫花', '巴豆', '斑蝥', '牵牛子', '商陆', '麝香', '水蛭', '三棱', '莪术'];
const PREGNANCY_CAUTION = ['附子', '制川乌', '制草乌', '大黄', '桃仁', '红花', '牛膝', '枳实', '肉桂', '制天南星'];

// ── helpers ─────────────────────────────────────────────────────────────────────────────────

const herbByName = new Map(HERBS.map((h) => [h.name, h]));

/** A dose inside the herb's range (or 1 g when it has none). */
function goodGrams(name: string): number {
  const dose = herbByName.get(name)?.dose ?? HERBS.find((h) => h.aliases.includes(name))?.dose;
  return dose ? dose.minG : 1;
}

function item(herb: string, grams = goodGrams(herb), handling?: Handling): ScreeningItem {
  return handling === undefined ? { herb, grams } : { herb, grams, handling };
}

function rx(items: ScreeningItem[], over: Partial<Omit<ScreeningInput, 'items'>> = {}): ScreeningInput {
  return { patient: { sex: 'F', ageYears: 40, pregnant: false }, decoction: true, doses: 7, items, ...over };
}

const pregnant = { patient: { sex: 'F' as const, ageYears: 30, pregnant: true } };

function screen(items: ScreeningItem[], over: Partial<Omit<ScreeningInput, 'items'>> = {}, options?: ScreeningOptions): ScreeningResult {
  return screenPrescription(rx(items, over), options);
}

const withCode = (result: ScreeningResult, code: string) => result.flags.filter((f) => f.code === code);
const brief = (f: ScreeningFlag) => ({ code: f.code, severity: f.severity, herbs: f.herbs });

// ── data tables ─────────────────────────────────────────────────────────────────────────────

describe('incompatibility data', () => {
  it('holds 十八反 and 十九畏 exactly as DOMAIN.md lists them, each with a source', () => {
    const sides = (kind: IncompatibilityRule['kind']) =>
      INCOMPATIBILITIES.filter((r) => r.kind === kind).map((r) => [r.sideA, r.sideB] as const);
    expect(sides('18fan')).toEqual(FAN18);
    expect(sides('19wei')).toEqual(WEI19);
    expect(new Set(INCOMPATIBILITIES.map((r) => r.id)).size).toBe(INCOMPATIBILITIES.length);
    for (const rule of INCOMPATIBILITIES) {
      expect(rule.source.length, rule.id).toBeGreaterThan(0);
      expect(rule.label.length, rule.id).toBeGreaterThan(0);
    }
  });

  it('names only herbs the herb master knows', () => {
    const { rules } = compileKnowledge();
    expect(rules).toHaveLength(INCOMPATIBILITIES.length);
    expect([...rules[0]!.sideA]).toEqual(['甘草']);
    expect([...rules.find((r) => r.rule.id === '19wei-rougui')!.sideA]).toEqual(['肉桂']); // 官桂 is an alias
    const broken: IncompatibilityRule = { id: 'x', kind: '18fan', label: 'x', sideA: ['甘草'], sideB: ['不存在的药'], source: 'test' };
    expect(() => compileKnowledge(HERBS, [broken])).toThrow(/不存在的药/);
  });
});

// ── clean formulas ──────────────────────────────────────────────────────────────────────────

describe('clean formulas', () => {
  it.each([
    ['四君子汤', [item('人参', 9, '另煎'), item('白术', 9), item('茯苓', 12), item('炙甘草', 6)]],
    ['桂枝汤', [item('桂枝', 9), item('白芍', 9), item('生姜', 9), item('大枣', 12), item('炙甘草', 6)]],
    ['麻黄汤', [item('麻黄', 9), item('桂枝', 6), item('苦杏仁', 9), item('炙甘草', 3)]],
    ['小柴胡汤', [item('柴胡', 10), item('黄芩', 9), item('党参', 9), item('法半夏', 9), item('炙甘草', 6), item('生姜', 9), item('大枣', 12)]],
    ['白虎汤（张锡纯以山药代粳米）', [item('石膏', 30, '先煎'), item('知母', 9), item('甘草', 3), item('山药', 15)]],
  ])('%s gives no flags', (_name, items) => {
    expect(screen(items).flags).toEqual([]);
    expect(screen(items, pregnant).flags.filter((f) => !f.code.startsWith('PREGNANCY'))).toEqual([]);
  });
});

// ── 十八反 / 十九畏 ───────────────────────────────────────────────────────────────────────────

describe('INCOMPATIBLE_18FAN / INCOMPATIBLE_19WEI', () => {
  const cases = (table: typeof FAN18) => table.flatMap(([as, bs]) => as.flatMap((a) => bs.map((b) => [a, b] as const)));

  it.each([
    ['INCOMPATIBLE_18FAN', FAN18],
    ['INCOMPATIBLE_19WEI', WEI19],
  ] as const)('%s: every listed pair, either order, one block flag naming both items', (code, table) => {
    for (const [a, b] of cases(table)) {
      const orders: (readonly [string, string])[] = [
        [a, b],
        [b, a],
      ];
      for (const [x, y] of orders) {
        const flags = withCode(screen([item(x), item(y)]), code);
        expect(flags.map(brief), `${x} × ${y}`).toEqual([{ code, severity: 'block', herbs: [x, y] }]);
        expect(flags[0]!.message).toContain(code === 'INCOMPATIBLE_18FAN' ? '十八反' : '十九畏');
      }
    }
  });

  it.each([
    ['炙甘草', '海藻', 'INCOMPATIBLE_18FAN'],
    ['国老', '海藻', 'INCOMPATIBLE_18FAN'],
    ['甘草', '醋芫花', 'INCOMPATIBLE_18FAN'],
    ['黑顺片', '法半夏', 'INCOMPATIBLE_18FAN'],
    ['淡附片', '姜半夏', 'INCOMPATIBLE_18FAN'],
    ['白附片', '川贝', 'INCOMPATIBLE_18FAN'],
    ['制川乌', '全瓜蒌', 'INCOMPATIBLE_18FAN'],
    ['红参', '藜芦', 'INCOMPATIBLE_18FAN'],
    ['元参', '藜芦', 'INCOMPATIBLE_18FAN'],
    ['黑順片', '薑半夏', 'INCOMPATIBLE_18FAN'],
    ['炙甘草', '海藻 ', 'INCOMPATIBLE_18FAN'],
    ['國老', '甘遂', 'INCOMPATIBLE_18FAN'],
    ['藜蘆', '白芍', 'INCOMPATIBLE_18FAN'],
    ['gancao', 'haizao', 'INCOMPATIBLE_18FAN'],
    ['制川乌', '犀角', 'INCOMPATIBLE_19WEI'],
    ['制草乌', '犀角', 'INCOMPATIBLE_19WEI'],
    ['官桂', '煅赤石脂', 'INCOMPATIBLE_19WEI'],
    ['巴豆霜', '炒牵牛子', 'INCOMPATIBLE_19WEI'],
    ['黑丑', '巴豆', 'INCOMPATIBLE_19WEI'],
    ['朴硝', '硫黄', 'INCOMPATIBLE_19WEI'],
    ['玄明粉', '三棱', 'INCOMPATIBLE_19WEI'],
    ['元明粉', '醋三棱', 'INCOMPATIBLE_19WEI'],
    ['公丁香', '郁金', 'INCOMPATIBLE_19WEI'],
    ['紅參', '五靈脂', 'INCOMPATIBLE_19WEI'],
  ])('%s × %s is %s (aliases, processed forms, traditional characters)', (a, b, code) => {
    const result = screen([item(a, 1), item(b, 1)]);
    expect(withCode(result, code).map(brief)).toEqual([{ code, severity: 'block', herbs: [a, b] }]);
  });

  it('shows the standard name when the item is written otherwise', () => {
    const [flag] = withCode(screen([item('黑顺片', 9, '先煎'), item('法半夏', 9)]), 'INCOMPATIBLE_18FAN');
    expect(flag?.message).toBe('十八反：黑顺片（附子）与法半夏（半夏）不宜同用。');
    const [en] = withCode(screen([item('黑顺片', 9, '先煎'), item('法半夏', 9)], {}, { locale: 'en' }), 'INCOMPATIBLE_18FAN');
    expect(en?.message).toBe('18 incompatibilities (十八反): 黑顺片 (附子) and 法半夏 (半夏) must not be used together.');
  });

  it('gives one flag per incompatible pair of items, herbs in input order', () => {
    const result = screen([item('海藻', 9), item('甘草', 3), item('甘遂', 0.5), item('炙甘草', 3)]);
    expect(withCode(result, 'INCOMPATIBLE_18FAN').map((f) => f.herbs)).toEqual([
      ['海藻', '炙甘草'], // 炙 U+7099 sorts before 甘 U+7518
      ['海藻', '甘草'],
      ['甘草', '甘遂'],
      ['甘遂', '炙甘草'],
    ]);
  });

  it('does not flag herbs that are not incompatible', () => {
    const pairs = [
      ['甘草', '人参'],
      ['附子', '干姜'],
      ['半夏', '甘草'],
      ['附子', '犀角'], // 十九畏 names 川乌/草乌 only
      ['天南星', '附子'],
      ['土贝母', '附子'], // 土贝母 is not a Fritillaria
      ['人参', '党参'],
      ['藜芦', '黄芪'],
    ];
    for (const [a, b] of pairs) {
      const result = screen([item(a!, 1), item(b!, 1)]);
      expect(result.flags.filter((f) => f.code.startsWith('INCOMPATIBLE')), `${a} × ${b}`).toEqual([]);
    }
  });

  it('still flags incompatibilities next to an unknown herb', () => {
    const result = screen([item('甘草', 3), item('某某草', 3), item('海藻', 9)]);
    expect(withCode(result, 'INCOMPATIBLE_18FAN').map((f) => f.herbs)).toEqual([['甘草', '海藻']]);
    expect(withCode(result, 'UNKNOWN_HERB').map((f) => f.herbs)).toEqual([['某某草']]);
  });
});

// ── dose ────────────────────────────────────────────────────────────────────────────────────

describe('DOSE_ABOVE_MAX / DOSE_BELOW_MIN', () => {
  it('accepts the range bounds of every DOMAIN.md dose', () => {
    for (const [name, [min, max]] of Object.entries(DOSES)) {
      for (const grams of [min, max]) {
        const flags = screen([item(name, grams)], { decoction: false }).flags.filter((f) => f.code.startsWith('DOSE'));
        expect(flags, `${name} ${grams}`).toEqual([]);
      }
    }
  });

  it('blocks 1 mg above the maximum and warns 1 mg below the minimum', () => {
    for (const [name, [min, max]] of Object.entries(DOSES)) {
      const above = screen([item(name, (gramsToMg(max) + 1) / 1000)]);
      expect(withCode(above, 'DOSE_ABOVE_MAX').map(brief), name).toEqual([{ code: 'DOSE_ABOVE_MAX', severity: 'block', herbs: [name] }]);
      expect(withCode(above, 'DOSE_BELOW_MIN')).toEqual([]);
      const below = screen([item(name, (gramsToMg(min) - 1) / 1000)]);
      expect(withCode(below, 'DOSE_BELOW_MIN').map(brief), name).toEqual([{ code: 'DOSE_BELOW_MIN', severity: 'warn', herbs: [name] }]);
      expect(withCode(below, 'DOSE_ABOVE_MAX')).toEqual([]);
    }
  });

  it('uses the base range for a processed form and the own range for a processed herb', () => {
    expect(withCode(screen([item('炙甘草', 12)]), 'DOSE_ABOVE_MAX')).toHaveLength(1);
    expect(withCode(screen([item('炙甘草', 10)]), 'DOSE_ABOVE_MAX')).toHaveLength(0);
    expect(withCode(screen([item('法半夏', 10)]), 'DOSE_ABOVE_MAX')).toHaveLength(1);
    expect(withCode(screen([item('制川乌', 3.5, '先煎')]), 'DOSE_ABOVE_MAX')).toHaveLength(1);
    expect(withCode(screen([item('制川乌', 3, '先煎')]), 'DOSE_ABOVE_MAX')).toHaveLength(0);
    expect(withCode(screen([item('黑顺片', 15, '先煎')]), 'DOSE_ABOVE_MAX')).toHaveLength(0);
    expect(withCode(screen([item('黑顺片', 16, '先煎')]), 'DOSE_ABOVE_MAX')).toHaveLength(1);
  });

  it('does not check a herb without a range', () => {
    expect(herbByName.get('川乌')?.dose).toBeNull();
    expect(screen([item('川乌', 50)]).flags.filter((f) => f.code.startsWith('DOSE'))).toEqual([]);
  });

  it('words the message for the pharmacist', () => {
    const [zh] = withCode(screen([item('细辛', 5)]), 'DOSE_ABOVE_MAX');
    expect(zh?.message).toBe('细辛：日用量5g，超过药典上限3g（1–3g），需医师签名确认超剂量（双签）。');
    const [en] = withCode(screen([item('黄芪', 6)], {}, { locale: 'en' }), 'DOSE_BELOW_MIN');
    expect(en?.message).toBe('黄芪 6 g/day is below the minimum of 9 g (9–30 g).');
    const [form] = withCode(screen([item('炙甘草', 12.5)]), 'DOSE_ABOVE_MAX');
    expect(form?.message).toContain('炙甘草（甘草）：日用量12.5g');
  });
});

// ── 入丸散 ──────────────────────────────────────────────────────────────────────────────────

describe('NOT_FOR_DECOCTION', () => {
  it('blocks the DOMAIN.md 入丸散 herbs in a decoction prescription and warns otherwise', () => {
    for (const name of NOT_FOR_DECOCTION) {
      expect(withCode(screen([item(name)], { decoction: true }), 'NOT_FOR_DECOCTION').map(brief), name).toEqual([
        { code: 'NOT_FOR_DECOCTION', severity: 'block', herbs: [name] },
      ]);
      expect(withCode(screen([item(name)], { decoction: false }), 'NOT_FOR_DECOCTION').map(brief), name).toEqual([
        { code: 'NOT_FOR_DECOCTION', severity: 'warn', herbs: [name] },
      ]);
    }
  });

  it('also applies to their processed forms and not to decoction herbs', () => {
    expect(withCode(screen([item('醋甘遂', 0.5)]), 'NOT_FOR_DECOCTION')).toHaveLength(1);
    expect(withCode(screen([item('制马钱子', 0.3)]), 'NOT_FOR_DECOCTION')).toHaveLength(1);
    for (const name of ['黄芪', '甘草', '京大戟', '芫花']) expect(withCode(screen([item(name)]), 'NOT_FOR_DECOCTION'), name).toEqual([]);
  });
});

// ── pregnancy ───────────────────────────────────────────────────────────────────────────────

describe('PREGNANCY_CONTRAINDICATED / PREGNANCY_CAUTION', () => {
  it('blocks the contraindicated herbs only for a pregnant patient', () => {
    for (const name of PREGNANCY_CONTRAINDICATED) {
      expect(withCode(screen([item(name)], pregnant), 'PREGNANCY_CONTRAINDICATED').map(brief), name).toEqual([
        { code: 'PREGNANCY_CONTRAINDICATED', severity: 'block', herbs: [name] },
      ]);
      expect(screen([item(name)]).flags.filter((f) => f.code.startsWith('PREGNANCY')), name).toEqual([]);
    }
  });

  it('warns for the caution herbs only for a pregnant patient', () => {
    for (const name of PREGNANCY_CAUTION) {
      expect(withCode(screen([item(name)], pregnant), 'PREGNANCY_CAUTION').map(brief), name).toEqual([
        { code: 'PREGNANCY_CAUTION', severity: 'warn', herbs: [name] },
      ]);
      expect(withCode(screen([item(name)], pregnant), 'PREGNANCY_CONTRAINDICATED'), name).toEqual([]);
      expect(screen([item(name)]).flags.filter((f) => f.code.startsWith('PREGNANCY')), name).toEqual([]);
    }
  });

  it('applies to processed forms and aliases; safe herbs give nothing', () => {
    expect(withCode(screen([item('黑顺片', 9, '先煎')], pregnant), 'PREGNANCY_CAUTION')).toHaveLength(1);
    expect(withCode(screen([item('醋莪术', 6)], pregnant), 'PREGNANCY_CONTRAINDICATED')).toHaveLength(1);
    expect(withCode(screen([item('二丑', 3)], pregnant), 'PREGNANCY_CONTRAINDICATED')).toHaveLength(1);
    for (const name of ['黄芪', '甘草', '当归', '白术']) {
      expect(screen([item(name)], pregnant).flags.filter((f) => f.code.startsWith('PREGNANCY')), name).toEqual([]);
    }
  });

  it('treats a missing pregnant field as not pregnant', () => {
    const input: ScreeningInput = { patient: { sex: 'F', ageYears: 30 }, decoction: true, doses: 1, items: [item('麝香', 0.05)] };
    expect(screenPrescription(input).flags.filter((f) => f.code.startsWith('PREGNANCY'))).toEqual([]);
  });
});

// ── handling ────────────────────────────────────────────────────────────────────────────────

describe('HANDLING_MISSING', () => {
  it('warns when a required handling is missing (大黄 泻下: info) and says nothing when it is given', () => {
    for (const [name, handling] of Object.entries(HANDLING)) {
      const missing = withCode(screen([item(name)]), 'HANDLING_MISSING');
      const severity = name === '大黄' ? 'info' : 'warn';
      expect(missing.map(brief), name).toEqual([{ code: 'HANDLING_MISSING', severity, herbs: [name] }]);
      expect(missing[0]!.message, name).toContain(handling);
      expect(withCode(screen([item(name, goodGrams(name), handling)]), 'HANDLING_MISSING'), name).toEqual([]);
    }
  });

  it('gives info when the item carries a different handling', () => {
    for (const [name, handling] of Object.entries(HANDLING)) {
      const other = HANDLINGS.find((h) => h !== handling)!;
      const flags = withCode(screen([item(name, goodGrams(name), other)]), 'HANDLING_MISSING');
      expect(flags.map(brief), name).toEqual([{ code: 'HANDLING_MISSING', severity: 'info', herbs: [name] }]);
      expect(flags[0]!.message, name).toContain(other);
    }
  });

  it('applies to processed forms unless the form needs none', () => {
    expect(withCode(screen([item('黑顺片', 9)]), 'HANDLING_MISSING').map((f) => f.severity)).toEqual(['warn']);
    expect(withCode(screen([item('煅牡蛎', 15)]), 'HANDLING_MISSING').map((f) => f.severity)).toEqual(['warn']);
    expect(withCode(screen([item('酒大黄', 9)]), 'HANDLING_MISSING')).toEqual([]);
    expect(withCode(screen([item('阿胶珠', 6)]), 'HANDLING_MISSING')).toEqual([]);
  });

  it('does not flag herbs that need no handling, whatever the item says', () => {
    expect(withCode(screen([item('黄芪', 15), item('当归', 9, '后下')]), 'HANDLING_MISSING')).toEqual([]);
  });

  it('words the message', () => {
    expect(withCode(screen([item('附子', 9)]), 'HANDLING_MISSING')[0]?.message).toBe('附子：应先煎，处方未注明。');
    expect(withCode(screen([item('大黄', 9)]), 'HANDLING_MISSING')[0]?.message).toBe('大黄：用于泻下时应后下，处方未注明。');
    expect(withCode(screen([item('人参', 6, '先煎')]), 'HANDLING_MISSING')[0]?.message).toBe('人参：应另煎，处方注明为先煎，请核对。');
    expect(withCode(screen([item('大黄', 9)], {}, { locale: 'en' }), 'HANDLING_MISSING')[0]?.message).toBe(
      '大黄 should be 后下 (added near the end) when used for purging (泻下); the prescription does not say so.',
    );
  });
});

// ── unknown herbs ───────────────────────────────────────────────────────────────────────────

describe('UNKNOWN_HERB', () => {
  it('warns with up to 3 suggestions, in the flag and in the message', () => {
    const [flag] = withCode(screen([item('黄其', 9)]), 'UNKNOWN_HERB');
    expect(flag).toMatchObject({ code: 'UNKNOWN_HERB', severity: 'warn', herbs: ['黄其'] });
    expect(flag!.suggestions![0]).toBe('黄芪');
    expect(flag!.suggestions!.length).toBeGreaterThan(0);
    expect(flag!.suggestions!.length).toBeLessThanOrEqual(3);
    expect(flag!.message).toBe(`未识别的药名“黄其”，是否为：${flag!.suggestions!.join('、')}？`);
  });

  it('says so when nothing is similar', () => {
    const [flag] = withCode(screen([item('qwxzqwxz', 9)]), 'UNKNOWN_HERB');
    expect(flag?.suggestions).toEqual([]);
    expect(flag?.message).toBe('未识别的药名“qwxzqwxz”，请核对。');
    const [en] = withCode(screen([item('qwxzqwxz', 9)], {}, { locale: 'en' }), 'UNKNOWN_HERB');
    expect(en?.message).toBe('Unknown herb "qwxzqwxz"; please check the name.');
  });

  it('never drops an unknown item, even repeated', () => {
    const result = screen([item('某某草', 9), item('某某草', 9), item('黄芪', 15)]);
    expect(withCode(result, 'UNKNOWN_HERB').map((f) => f.herbs)).toEqual([['某某草'], ['某某草']]);
  });

  it('has suggestions only on UNKNOWN_HERB flags', () => {
    const result = screen([item('黄其', 9), item('甘草', 3), item('海藻', 9), item('细辛', 9)]);
    for (const flag of result.flags) expect('suggestions' in flag, flag.code).toBe(flag.code === 'UNKNOWN_HERB');
  });

  it('resolves a known herb written in pinyin instead of flagging it', () => {
    expect(screen([item('huangqi', 15)]).flags).toEqual([]);
  });
});

// ── duplicates ──────────────────────────────────────────────────────────────────────────────

describe('DUPLICATE_HERB', () => {
  it('warns when two items are the same herb and processing', () => {
    const flags = withCode(screen([item('甘草', 3), item('国老', 3)]), 'DUPLICATE_HERB');
    expect(flags.map(brief)).toEqual([{ code: 'DUPLICATE_HERB', severity: 'warn', herbs: ['甘草', '国老'] }]);
    expect(flags[0]!.message).toBe('重复药味：甘草、国老均为甘草。');
    expect(withCode(screen([item('黄芪', 15), item('黃芪', 15)]), 'DUPLICATE_HERB')).toHaveLength(1);
    expect(withCode(screen([item('炙甘草', 3), item('炙甘草', 3)]), 'DUPLICATE_HERB')[0]?.message).toBe('重复药味：炙甘草、炙甘草均为甘草（蜜炙）。');
  });

  it('does not flag different processing or different records', () => {
    expect(withCode(screen([item('甘草', 3), item('炙甘草', 3)]), 'DUPLICATE_HERB')).toEqual([]);
    expect(withCode(screen([item('法半夏', 9), item('姜半夏', 9)]), 'DUPLICATE_HERB')).toEqual([]);
    expect(withCode(screen([item('地黄', 10), item('熟地黄', 10)]), 'DUPLICATE_HERB')).toEqual([]);
    expect(withCode(screen([item('川乌', 1), item('制川乌', 1.5, '先煎')]), 'DUPLICATE_HERB')).toEqual([]);
  });

  it('gives one flag for a group of three, herbs in input order', () => {
    const flags = withCode(screen([item('国老', 3), item('黄芪', 15), item('甘草', 3), item('粉甘草', 3)]), 'DUPLICATE_HERB');
    expect(flags.map((f) => f.herbs)).toEqual([['国老', '甘草', '粉甘草']]);
  });
});

// ── order, locale, determinism ──────────────────────────────────────────────────────────────

describe('order and messages', () => {
  const mixed = [
    item('大黄', 9),
    item('黄其', 9),
    item('甘草', 12),
    item('海藻', 9),
    item('附子', 9),
    item('半夏', 9),
    item('国老', 3),
    item('马钱子', 0.3),
    item('细辛', 0.5),
  ];

  it('sorts by severity, then code, then herbs', () => {
    const result = screen(mixed, pregnant);
    expect(result.flags.map((f) => [f.severity, f.code, f.herbs.join('+')])).toEqual([
      ['block', 'DOSE_ABOVE_MAX', '甘草'],
      ['block', 'INCOMPATIBLE_18FAN', '海藻+国老'],
      ['block', 'INCOMPATIBLE_18FAN', '甘草+海藻'],
      ['block', 'INCOMPATIBLE_18FAN', '附子+半夏'],
      ['block', 'NOT_FOR_DECOCTION', '马钱子'],
      ['block', 'PREGNANCY_CONTRAINDICATED', '马钱子'],
      ['warn', 'DOSE_BELOW_MIN', '细辛'],
      ['warn', 'DUPLICATE_HERB', '甘草+国老'],
      ['warn', 'HANDLING_MISSING', '附子'],
      ['warn', 'PREGNANCY_CAUTION', '大黄'],
      ['warn', 'PREGNANCY_CAUTION', '附子'],
      ['warn', 'UNKNOWN_HERB', '黄其'],
      ['info', 'HANDLING_MISSING', '大黄'],
    ]);
  });

  it('compares herbs element by element by code point, shorter first', () => {
    const flag = (herbs: string[]): ScreeningFlag => ({ code: 'DUPLICATE_HERB', severity: 'warn', herbs, message: '' });
    expect(compareFlags(flag(['甲']), flag(['甲', '乙']))).toBeLessThan(0);
    expect(compareFlags(flag(['\u{20000}']), flag(['\uffff']))).toBeGreaterThan(0);
    expect(compareFlags({ ...flag(['甲']), severity: 'info' }, flag(['乙']))).toBeGreaterThan(0);
  });

  it('writes zh-CN by default and English on request, with the same flags', () => {
    const zh = screen(mixed, pregnant);
    const en = screen(mixed, pregnant, { locale: 'en' });
    expect(en.flags.map(brief)).toEqual(zh.flags.map(brief));
    for (const flag of zh.flags) expect(flag.message, flag.code).toMatch(/[\u4e00-\u9fff]/);
    for (const flag of en.flags) expect(flag.message, flag.code).toMatch(/[A-Za-z]{3,}/);
    expect(screen(mixed, pregnant, { locale: 'zh-CN' })).toEqual(zh);
  });
});

describe('custom knowledge', () => {
  it('screens against the herbs and rules it is given', () => {
    const herbs: HerbRecord[] = [herbByName.get('甘草')!, herbByName.get('黄芪')!];
    const rules: IncompatibilityRule[] = [{ id: 't', kind: '19wei', label: '甘草畏黄芪', sideA: ['甘草'], sideB: ['黄芪'], source: 'test' }];
    const result = screen([item('甘草', 3), item('黄芪', 15), item('海藻', 9)], {}, { herbs, incompatibilities: rules });
    expect(result.flags.map(brief)).toEqual([
      { code: 'INCOMPATIBLE_19WEI', severity: 'block', herbs: ['甘草', '黄芪'] },
      { code: 'UNKNOWN_HERB', severity: 'warn', herbs: ['海藻'] },
    ]);
  });
});

// ── property tests ──────────────────────────────────────────────────────────────────────────

describe('properties', () => {
  const pool = [
    ...new Set([
      ...FAN18.flat(2),
      ...WEI19.flat(2),
      ...Object.keys(DOSES),
      ...Object.keys(HANDLING),
      ...PREGNANCY_CONTRAINDICATED,
      ...PREGNANCY_CAUTION,
      '炙甘草', '国老', '法半夏', '黑顺片', '黃芪', '黑順片', '红参', '酒大黄', '生姜', '大枣', 'huangqi', '黄其', '某某草', 'qwxz',
    ]),
  ];
  const itemArb: fc.Arbitrary<ScreeningItem> = fc.record(
    {
      herb: fc.constantFrom(...pool),
      grams: fc.constantFrom(0.05, 0.3, 1, 1.5, 3, 6, 9, 12, 15, 30, 60, 100),
      handling: fc.constantFrom(...HANDLINGS),
    },
    { requiredKeys: ['herb', 'grams'] },
  );
  const inputArb: fc.Arbitrary<ScreeningInput> = fc.record({
    patient: fc.record({ sex: fc.constant('F' as const), ageYears: fc.integer({ min: 0, max: 150 }), pregnant: fc.boolean() }),
    decoction: fc.boolean(),
    doses: fc.integer({ min: 1, max: 365 }),
    items: fc.array(itemArb, { minLength: 1, maxLength: 10 }),
  });
  const key = (f: ScreeningFlag) => JSON.stringify([f.code, f.severity, [...f.herbs].sort(), f.suggestions ?? null]);

  it('is deterministic', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(JSON.stringify(screenPrescription(input))).toBe(JSON.stringify(screenPrescription(structuredClone(input))));
      }),
      { numRuns: 150 },
    );
  });

  it('is sorted, uses known codes and severities, and names only input items', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom<'zh' | 'en'>('zh', 'en'), (input, locale) => {
        const { flags } = screenPrescription(input, { locale });
        const written = new Set(input.items.map((i) => i.herb));
        flags.forEach((flag, i) => {
          if (i > 0) expect(compareFlags(flags[i - 1]!, flag)).toBeLessThanOrEqual(0);
          expect(SCREENING_CODES).toContain(flag.code);
          expect(SEVERITIES).toContain(flag.severity);
          expect(flag.herbs.length).toBeGreaterThan(0);
          for (const herb of flag.herbs) expect(written.has(herb)).toBe(true);
          expect(flag.message.length).toBeGreaterThan(0);
          if (flag.code === 'UNKNOWN_HERB') expect(flag.suggestions!.length).toBeLessThanOrEqual(3);
        });
        // Unknown items are never dropped.
        const unknown = input.items.filter((i) => ['黄其', '某某草', 'qwxz'].includes(i.herb)).length;
        expect(flags.filter((f) => f.code === 'UNKNOWN_HERB')).toHaveLength(unknown);
      }),
      { numRuns: 150 },
    );
  });

  it('does not change the set of flags when the items are permuted', () => {
    fc.assert(
      fc.property(
        inputArb.chain((input) =>
          fc.tuple(fc.constant(input), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: input.items.length, maxLength: input.items.length })),
        ),
        ([input, weights]) => {
          const order = input.items.map((_, i) => i).sort((a, b) => weights[a]! - weights[b]! || a - b);
          const permuted = { ...input, items: order.map((i) => input.items[i]!) };
          const a = screenPrescription(input).flags.map(key).sort();
          const b = screenPrescription(permuted).flags.map(key).sort();
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 150 },
    );
  });
});

// ── input schema ────────────────────────────────────────────────────────────────────────────

describe('rxScreenInputSchema', () => {
  const good = {
    patient: { sex: 'F', ageYears: 34 },
    decoction: true,
    doses: 7,
    items: [{ herb: ' 人参 ', grams: 9, handling: '另煎' }],
  };
  const issue = (value: unknown) => {
    const result = rxScreenInputSchema.safeParse(value);
    if (result.success) return undefined;
    const first = result.error.issues[0]!;
    // As the CLI and REST read it: a message shared with the web pages is given in English.
    return `${first.path.join('.')}: ${translate(first.message, 'en')}`;
  };

  it('names the milligram precision in Chinese on the web pages', () => {
    const result = rxScreenInputSchema.safeParse({ ...good, items: [{ herb: '人参', grams: 1.2345 }] });
    expect(result.success).toBe(false);
    expect(translateIssue(result.error!.issues[0]!, 'zh')).toEqual({ field: 'items.0.grams', message: '每剂克数最多保留 3 位小数（精确到毫克）。' });
  });

  it('accepts a good input, trims names and defaults pregnant to false', () => {
    const parsed = rxScreenInputSchema.parse(good);
    expect(parsed.patient.pregnant).toBe(false);
    expect(parsed.items[0]).toEqual({ herb: '人参', grams: 9, handling: '另煎' });
    expect(screenPrescription(parsed).flags).toEqual([]);
  });

  it.each([
    [{ ...good, items: undefined }, 'items: is required'],
    [{ ...good, items: [] }, 'items: must list at least 1 item'],
    [{ ...good, items: Array.from({ length: 61 }, () => good.items[0]) }, 'items: must list at most 60 items'],
    [{ ...good, items: [{ herb: '人参', grams: 0 }] }, 'items.0.grams: must be greater than 0 (grams per dose)'],
    [{ ...good, items: [{ herb: '人参', grams: -1 }] }, 'items.0.grams: must be greater than 0 (grams per dose)'],
    [{ ...good, items: [{ herb: '人参', grams: 1.2345 }] }, 'items.0.grams: must have at most 3 decimals (grams per dose, milligram precision)'],
    [{ ...good, items: [{ herb: '人参', grams: 10000.5 }] }, 'items.0.grams: must be at most 10000 (grams per dose)'],
    [{ ...good, items: [{ herb: '人参', grams: '9' }] }, 'items.0.grams: must be a number (grams per dose)'],
    [{ ...good, items: [{ herb: '人参' }] }, 'items.0.grams: is required'],
    [{ ...good, items: [{ herb: '   ', grams: 9 }] }, 'items.0.herb: must not be empty (herb name)'],
    [{ ...good, items: [{ herb: 'x'.repeat(41), grams: 9 }] }, 'items.0.herb: must be at most 40 characters (herb name)'],
    [{ ...good, items: [{ herb: 12, grams: 9 }] }, 'items.0.herb: must be a string (herb name)'],
    [{ ...good, items: [{ herb: '人参', grams: 9, handling: '煎' }] }, 'items.0.handling: must be one of 先煎, 后下, 包煎, 另煎, 烊化, 冲服 (handling)'],
    [{ ...good, items: ['人参'] }, 'items.0: must be an object {herb, grams, handling?}'],
    [{ ...good, doses: 0 }, 'doses: must be from 1 to 365 (doses)'],
    [{ ...good, doses: 1.5 }, 'doses: must be a whole number of doses'],
    [{ ...good, doses: 366 }, 'doses: must be from 1 to 365 (doses)'],
    [{ ...good, decoction: 'yes' }, 'decoction: must be true or false (decoction requested, 代煎)'],
    [{ ...good, patient: { sex: 'X', ageYears: 3 } }, 'patient.sex: must be "M" or "F" (sex)'],
    [{ ...good, patient: { sex: 'F', ageYears: 151 } }, 'patient.ageYears: must be from 0 to 150 (age in years)'],
    [{ ...good, patient: { sex: 'F', ageYears: 3.5 } }, 'patient.ageYears: must be a whole number of years'],
    [{ ...good, patient: { sex: 'F', ageYears: 30, pregnant: 'no' } }, 'patient.pregnant: must be true or false (pregnant)'],
    [{ ...good, patient: { sex: 'M', ageYears: 30, pregnant: true } }, 'patient.pregnant: can only be true for a female patient (sex "F")'],
    [{ ...good, patient: undefined }, 'patient: is required'],
    [[], ': must be a JSON object {patient, decoction, doses, items}'],
    [null, ': must be a JSON object {patient, decoction, doses, items}'],
  ].map(([value, expected]) => [expected, value] as const))('rejects with "%s"', (expected, value) => {
    expect(issue(value)).toBe(expected);
  });

  it('accepts up to 3 decimals and converts grams to integer milligrams', () => {
    expect(issue({ ...good, items: [{ herb: '斑蝥', grams: 0.035 }] })).toBeUndefined();
    expect(issue({ ...good, items: [{ herb: '人参', grams: 10000 }] })).toBeUndefined();
    expect(hasAtMost3Decimals(1.005)).toBe(true);
    expect(hasAtMost3Decimals(0.0001)).toBe(false);
    expect(gramsToMg(0.035)).toBe(35);
    expect(gramsToMg(1.005)).toBe(1005);
    expect(gramsToMg(0.1)).toBe(100);
    expect(mgToGramsText(1500)).toBe('1.5');
    expect(mgToGramsText(50)).toBe('0.05');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (mg) => {
        const grams = mg / 1000;
        expect(hasAtMost3Decimals(grams)).toBe(true);
        expect(gramsToMg(grams)).toBe(mg);
      }),
    );
  });
});
