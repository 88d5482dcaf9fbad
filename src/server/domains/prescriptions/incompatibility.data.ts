/**
 * 十八反 and 十九畏 (药典 "不宜同用"), exactly as listed in DOMAIN.md "Safety screening". Each rule pairs
 * two groups of herb names: any herb of `sideA` with any herb of `sideB` is incompatible. Names are
 * written as DOMAIN.md writes them (朴硝, 官桂 are aliases; 巴豆霜, 玄明粉, 制川乌 are processed herbs
 * with their own records); screening resolves them through the herb index and matches across aliases,
 * processed forms (炙甘草 → 甘草), processed herbs' bases (制川乌 → 川乌) and traditional characters.
 */

export type IncompatibilityKind = '18fan' | '19wei';

export interface IncompatibilityRule {
  readonly id: string;
  readonly kind: IncompatibilityKind;
  /** Short statement of the rule, zh-CN (e.g. 甘草反甘遂、京大戟、红大戟、海藻、芫花). */
  readonly label: string;
  readonly sideA: readonly string[];
  readonly sideB: readonly string[];
  readonly source: string;
}

const SRC_18FAN = '中国药典2020一部（各品种【注意】“不宜与…同用”）；十八反';
const SRC_19WEI = '中国药典2020一部（各品种【注意】“不宜与…同用”）；十九畏';
const SRC_19WEI_TEXTBOOK = '中药学（十九畏歌诀）；所涉药味中国药典2020未收载';

export const INCOMPATIBILITIES: readonly IncompatibilityRule[] = [
  // ── 十八反 ──
  {
    id: '18fan-gancao',
    kind: '18fan',
    label: '甘草反甘遂、京大戟、红大戟、海藻、芫花',
    sideA: ['甘草'],
    sideB: ['甘遂', '京大戟', '红大戟', '海藻', '芫花'],
    source: SRC_18FAN,
  },
  {
    id: '18fan-wutou',
    kind: '18fan',
    label: '乌头类（川乌、制川乌、草乌、制草乌、附子）反贝母类、瓜蒌类、天花粉、半夏、白蔹、白及',
    sideA: ['川乌', '制川乌', '草乌', '制草乌', '附子'],
    sideB: ['川贝母', '浙贝母', '平贝母', '伊贝母', '湖北贝母', '瓜蒌', '瓜蒌子', '瓜蒌皮', '天花粉', '半夏', '白蔹', '白及'],
    source: SRC_18FAN,
  },
  {
    id: '18fan-lilu',
    kind: '18fan',
    label: '藜芦反人参、西洋参、党参、北沙参、南沙参、丹参、玄参、苦参、细辛、白芍、赤芍',
    sideA: ['藜芦'],
    sideB: ['人参', '西洋参', '党参', '北沙参', '南沙参', '丹参', '玄参', '苦参', '细辛', '白芍', '赤芍'],
    source: SRC_18FAN,
  },
  // ── 十九畏 ──
  { id: '19wei-liuhuang', kind: '19wei', label: '硫黄畏芒硝（朴硝、玄明粉）', sideA: ['硫黄'], sideB: ['芒硝', '朴硝', '玄明粉'], source: SRC_19WEI },
  { id: '19wei-shuiyin', kind: '19wei', label: '水银畏砒霜', sideA: ['水银'], sideB: ['砒霜'], source: SRC_19WEI_TEXTBOOK },
  { id: '19wei-langdu', kind: '19wei', label: '狼毒畏密陀僧', sideA: ['狼毒'], sideB: ['密陀僧'], source: SRC_19WEI_TEXTBOOK },
  { id: '19wei-badou', kind: '19wei', label: '巴豆（巴豆霜）畏牵牛子', sideA: ['巴豆', '巴豆霜'], sideB: ['牵牛子'], source: SRC_19WEI },
  { id: '19wei-dingxiang', kind: '19wei', label: '丁香畏郁金', sideA: ['丁香'], sideB: ['郁金'], source: SRC_19WEI },
  { id: '19wei-wutou', kind: '19wei', label: '川乌、草乌畏犀角', sideA: ['川乌', '草乌'], sideB: ['犀角'], source: SRC_19WEI_TEXTBOOK },
  { id: '19wei-mangxiao', kind: '19wei', label: '芒硝畏三棱', sideA: ['芒硝'], sideB: ['三棱'], source: SRC_19WEI },
  { id: '19wei-rougui', kind: '19wei', label: '肉桂（官桂）畏赤石脂', sideA: ['肉桂', '官桂'], sideB: ['赤石脂'], source: SRC_19WEI },
  { id: '19wei-renshen', kind: '19wei', label: '人参畏五灵脂', sideA: ['人参'], sideB: ['五灵脂'], source: SRC_19WEI_TEXTBOOK },
];
