/**
 * Herb master data (药材): names for search and the clinical facts used by prescription screening.
 *
 * Values named in DOMAIN.md ("Catalog", "Prescriptions → Safety screening") are encoded exactly as
 * written there (dose ranges, 入丸散 list, handling list, pregnancy lists, 十八反/十九畏 herbs). For
 * everything else the values follow 中国药典 2020 一部 (《中华人民共和国药典》2020年版一部); herbs the
 * pharmacopoeia does not carry (犀角, 水银, 砒霜, 密陀僧, 藜芦, 五灵脂, 龙骨, 六神曲) name their source.
 * Where unsure, `dose` is null rather than invented.
 *
 * Conventions:
 * - `name` is the 药典 standard name in simplified characters; `pinyin` toneless, lowercase, one
 *   syllable per space, the pharmacopoeia reading (大黄 da huang, 薄荷 bo he, 枳壳 zhi qiao); ü is kept.
 * - A processed form with its own dose range (制川乌, 制草乌, 制天南星, 熟地黄, 巴豆霜, 玄明粉 …) is its
 *   own record linked to its base via `baseHerb`; other processed forms (炙甘草, 法半夏, 黑顺片 …) are
 *   `processedForms` of their base and share its facts. A form may override the base's `handling`
 *   (酒大黄 is not 后下).
 * - `dose` is the daily decoction range in grams (per dose of a 每日1剂 prescription).
 * - `handlingNote` is a condition on `handling` (大黄: 后下 only when used 泻下).
 */

export const HANDLINGS = ['先煎', '后下', '包煎', '另煎', '烊化', '冲服'] as const;
export type Handling = (typeof HANDLINGS)[number];

export const TOXICITIES = ['none', 'low', 'toxic', 'high'] as const;
/** none 无毒 · low 小毒 · toxic 有毒 · high 大毒 */
export type Toxicity = (typeof TOXICITIES)[number];

export const PREGNANCY_CLASSES = ['contraindicated', 'caution', 'none'] as const;
/** contraindicated 孕妇禁用 · caution 孕妇慎用 · none */
export type PregnancyClass = (typeof PREGNANCY_CLASSES)[number];

export const HERB_CATEGORIES = [
  '解表药',
  '清热药',
  '泻下药',
  '祛风湿药',
  '化湿药',
  '利水渗湿药',
  '温里药',
  '理气药',
  '消食药',
  '驱虫药',
  '止血药',
  '活血化瘀药',
  '化痰止咳平喘药',
  '安神药',
  '平肝息风药',
  '开窍药',
  '补虚药',
  '收涩药',
  '涌吐药',
  '攻毒杀虫止痒药',
  '拔毒化腐生肌药',
] as const;
/** 功效分类 (《中药学》 chapters). */
export type HerbCategory = (typeof HERB_CATEGORIES)[number];

export interface DoseRange {
  readonly minG: number;
  readonly maxG: number;
}

export interface ProcessedForm {
  readonly name: string;
  /** How the form is made, e.g. 蜜炙, 姜矾制. */
  readonly processing: string;
  /** Overrides the base herb's handling when present (null: none needed). */
  readonly handling?: Handling | null;
}

export interface HerbRecord {
  readonly name: string;
  readonly pinyin: string;
  readonly latin: string;
  readonly aliases: readonly string[];
  readonly processedForms: readonly ProcessedForm[];
  readonly category: HerbCategory;
  readonly toxicity: Toxicity;
  readonly dose: DoseRange | null;
  /** False for herbs taken only in pills and powders (入丸散), never decocted. */
  readonly forDecoction: boolean;
  readonly handling: Handling | null;
  /** A condition on `handling` (大黄: 泻下); the handling is then advisory. */
  readonly handlingNote?: string;
  readonly pregnancy: PregnancyClass;
  /** For a processed herb with its own record (制川乌 → 川乌). */
  readonly baseHerb?: string;
  readonly source: string;
}

export const SOURCE_CP2020 = '中国药典2020一部';
const SRC_TEXTBOOK = '中药学（全国中医药行业高等教育教材）；中国药典2020未收载';

interface Extra {
  aliases?: readonly string[];
  forms?: readonly (readonly [name: string, processing: string] | readonly [name: string, processing: string, handling: Handling | null])[];
  tox?: Toxicity;
  handling?: Handling;
  handlingNote?: string;
  preg?: PregnancyClass;
  /** false: 入丸散, not for decoction. */
  decoct?: boolean;
  base?: string;
  source?: string;
}

function h(
  name: string,
  pinyin: string,
  latin: string,
  category: HerbCategory,
  dose: readonly [number, number] | null,
  extra: Extra = {},
): HerbRecord {
  const record: HerbRecord = {
    name,
    pinyin,
    latin,
    aliases: extra.aliases ?? [],
    processedForms: (extra.forms ?? []).map(([formName, processing, handling]) =>
      handling === undefined ? { name: formName, processing } : { name: formName, processing, handling },
    ),
    category,
    toxicity: extra.tox ?? 'none',
    dose: dose ? { minG: dose[0], maxG: dose[1] } : null,
    forDecoction: extra.decoct ?? true,
    handling: extra.handling ?? null,
    pregnancy: extra.preg ?? 'none',
    source: extra.source ?? SOURCE_CP2020,
  };
  return {
    ...record,
    ...(extra.handlingNote === undefined ? {} : { handlingNote: extra.handlingNote }),
    ...(extra.base === undefined ? {} : { baseHerb: extra.base }),
  };
}

const C = 'contraindicated';
const W = 'caution';

export const HERBS: readonly HerbRecord[] = [
  // ── 解表药 ─────────────────────────────────────────────────────────────────────────────
  h('麻黄', 'ma huang', 'Ephedrae Herba', '解表药', [2, 10], { forms: [['蜜麻黄', '蜜炙']] }),
  h('桂枝', 'gui zhi', 'Cinnamomi Ramulus', '解表药', [3, 10]),
  h('紫苏叶', 'zi su ye', 'Perillae Folium', '解表药', [5, 10], { aliases: ['苏叶'] }),
  h('紫苏梗', 'zi su geng', 'Perillae Caulis', '理气药', [5, 10], { aliases: ['苏梗'] }),
  h('生姜', 'sheng jiang', 'Zingiberis Rhizoma Recens', '解表药', [3, 10], { aliases: ['鲜姜'] }),
  h('香薷', 'xiang ru', 'Moslae Herba', '解表药', [3, 10]),
  h('荆芥', 'jing jie', 'Schizonepetae Herba', '解表药', [5, 10], { forms: [['荆芥炭', '炒炭']] }),
  h('荆芥穗', 'jing jie sui', 'Schizonepetae Spica', '解表药', [5, 10], { forms: [['荆芥穗炭', '炒炭']] }),
  h('防风', 'fang feng', 'Saposhnikoviae Radix', '解表药', [5, 10], { aliases: ['关防风'] }),
  h('羌活', 'qiang huo', 'Notopterygii Rhizoma et Radix', '解表药', [3, 10]),
  h('白芷', 'bai zhi', 'Angelicae Dahuricae Radix', '解表药', [3, 10], { aliases: ['香白芷'] }),
  h('细辛', 'xi xin', 'Asari Radix et Rhizoma', '解表药', [1, 3], { tox: 'low', aliases: ['北细辛', '辽细辛'] }),
  h('藁本', 'gao ben', 'Ligustici Rhizoma et Radix', '解表药', [3, 10]),
  h('苍耳子', 'cang er zi', 'Xanthii Fructus', '解表药', [3, 10], { tox: 'toxic', forms: [['炒苍耳子', '清炒']] }),
  h('辛夷', 'xin yi', 'Magnoliae Flos', '解表药', [3, 10], { handling: '包煎', aliases: ['辛夷花'] }),
  h('鹅不食草', 'e bu shi cao', 'Centipedae Herba', '解表药', [6, 9]),
  h('西河柳', 'xi he liu', 'Tamaricis Cacumen', '解表药', [3, 6], { aliases: ['柽柳'] }),
  h('薄荷', 'bo he', 'Menthae Haplocalycis Herba', '解表药', [3, 6], { handling: '后下', aliases: ['苏薄荷'] }),
  h('牛蒡子', 'niu bang zi', 'Arctii Fructus', '解表药', [6, 12], { aliases: ['大力子', '鼠粘子'], forms: [['炒牛蒡子', '清炒']] }),
  h('蝉蜕', 'chan tui', 'Cicadae Periostracum', '解表药', [3, 6], { aliases: ['蝉衣', '蝉退'] }),
  h('桑叶', 'sang ye', 'Mori Folium', '解表药', [5, 10], { aliases: ['霜桑叶', '冬桑叶'], forms: [['蜜桑叶', '蜜炙']] }),
  h('菊花', 'ju hua', 'Chrysanthemi Flos', '解表药', [5, 10], { aliases: ['杭菊花', '滁菊', '亳菊', '贡菊'] }),
  h('蔓荆子', 'man jing zi', 'Viticis Fructus', '解表药', [5, 10], { forms: [['炒蔓荆子', '清炒']] }),
  h('柴胡', 'chai hu', 'Bupleuri Radix', '解表药', [3, 10], { aliases: ['北柴胡', '南柴胡'], forms: [['醋柴胡', '醋炙']] }),
  h('升麻', 'sheng ma', 'Cimicifugae Rhizoma', '解表药', [3, 10], { forms: [['蜜升麻', '蜜炙']] }),
  h('葛根', 'ge gen', 'Puerariae Lobatae Radix', '解表药', [10, 15], { aliases: ['野葛'], forms: [['煨葛根', '煨制']] }),
  h('粉葛', 'fen ge', 'Puerariae Thomsonii Radix', '解表药', [10, 15]),
  h('淡豆豉', 'dan dou chi', 'Sojae Semen Praeparatum', '解表药', [6, 12], { aliases: ['豆豉'] }),
  h('木贼', 'mu zei', 'Equiseti Hiemalis Herba', '解表药', [3, 9]),
  h('浮萍', 'fu ping', 'Spirodelae Herba', '解表药', [3, 9]),
  h('谷精草', 'gu jing cao', 'Eriocauli Flos', '解表药', [5, 10]),

  // ── 清热药 ─────────────────────────────────────────────────────────────────────────────
  h('石膏', 'shi gao', 'Gypsum Fibrosum', '清热药', [15, 60], { handling: '先煎', aliases: ['生石膏'] }),
  h('煅石膏', 'duan shi gao', 'Gypsum Ustum', '清热药', null, { base: '石膏' }),
  h('知母', 'zhi mu', 'Anemarrhenae Rhizoma', '清热药', [6, 12], { forms: [['盐知母', '盐炙']] }),
  h('芦根', 'lu gen', 'Phragmitis Rhizoma', '清热药', [15, 30], { aliases: ['苇根'] }),
  h('天花粉', 'tian hua fen', 'Trichosanthis Radix', '清热药', [10, 15], { preg: W, aliases: ['花粉', '栝楼根', '瓜蒌根'] }),
  h('淡竹叶', 'dan zhu ye', 'Lophatheri Herba', '清热药', [6, 10]),
  h('栀子', 'zhi zi', 'Gardeniae Fructus', '清热药', [6, 10], { aliases: ['山栀', '山栀子', '黄栀子'], forms: [['炒栀子', '清炒'], ['焦栀子', '炒焦']] }),
  h('夏枯草', 'xia ku cao', 'Prunellae Spica', '清热药', [9, 15]),
  h('决明子', 'jue ming zi', 'Cassiae Semen', '清热药', [9, 15], { aliases: ['草决明'], forms: [['炒决明子', '清炒']] }),
  h('密蒙花', 'mi meng hua', 'Buddlejae Flos', '清热药', [3, 9]),
  h('青葙子', 'qing xiang zi', 'Celosiae Semen', '清热药', [9, 15]),
  h('黄芩', 'huang qin', 'Scutellariae Radix', '清热药', [3, 10], { aliases: ['条芩', '枯芩'], forms: [['酒黄芩', '酒炙'], ['黄芩炭', '炒炭']] }),
  h('黄连', 'huang lian', 'Coptidis Rhizoma', '清热药', [2, 5], { aliases: ['川连', '味连', '雅连', '云连'], forms: [['酒黄连', '酒炙'], ['姜黄连', '姜汁炙'], ['萸黄连', '吴茱萸汁炙']] }),
  h('黄柏', 'huang bo', 'Phellodendri Chinensis Cortex', '清热药', [3, 12], { aliases: ['川黄柏', '黄檗'], forms: [['盐黄柏', '盐炙'], ['黄柏炭', '炒炭']] }),
  h('关黄柏', 'guan huang bo', 'Phellodendri Amurensis Cortex', '清热药', [3, 12], { forms: [['盐关黄柏', '盐炙']] }),
  h('龙胆', 'long dan', 'Gentianae Radix et Rhizoma', '清热药', [3, 6], { aliases: ['龙胆草'] }),
  h('秦皮', 'qin pi', 'Fraxini Cortex', '清热药', [6, 12]),
  h('苦参', 'ku shen', 'Sophorae Flavescentis Radix', '清热药', [4.5, 9]),
  h('白鲜皮', 'bai xian pi', 'Dictamni Cortex', '清热药', [5, 10]),
  h('金银花', 'jin yin hua', 'Lonicerae Japonicae Flos', '清热药', [6, 15], { aliases: ['银花', '双花', '二花', '忍冬花'] }),
  h('忍冬藤', 'ren dong teng', 'Lonicerae Japonicae Caulis', '清热药', [9, 30], { aliases: ['银花藤'] }),
  h('山银花', 'shan yin hua', 'Lonicerae Flos', '清热药', [6, 15]),
  h('连翘', 'lian qiao', 'Forsythiae Fructus', '清热药', [6, 15], { aliases: ['连翘壳', '青翘', '老翘'] }),
  h('穿心莲', 'chuan xin lian', 'Andrographis Herba', '清热药', [6, 9], { aliases: ['一见喜'] }),
  h('大青叶', 'da qing ye', 'Isatidis Folium', '清热药', [9, 15]),
  h('板蓝根', 'ban lan gen', 'Isatidis Radix', '清热药', [9, 15]),
  h('青黛', 'qing dai', 'Indigo Naturalis', '清热药', [1, 3], { decoct: false }),
  h('绵马贯众', 'mian ma guan zhong', 'Dryopteridis Crassirhizomatis Rhizoma', '清热药', [4.5, 9], { tox: 'low', aliases: ['贯众'], forms: [['绵马贯众炭', '炒炭']] }),
  h('蒲公英', 'pu gong ying', 'Taraxaci Herba', '清热药', [10, 15], { aliases: ['公英', '黄花地丁'] }),
  h('紫花地丁', 'zi hua di ding', 'Violae Herba', '清热药', [15, 30], { aliases: ['地丁'] }),
  h('苦地丁', 'ku di ding', 'Corydalis Bungeanae Herba', '清热药', [9, 15]),
  h('野菊花', 'ye ju hua', 'Chrysanthemi Indici Flos', '清热药', [9, 15]),
  h('重楼', 'chong lou', 'Paridis Rhizoma', '清热药', [3, 9], { tox: 'low', aliases: ['蚤休', '七叶一枝花'] }),
  h('拳参', 'quan shen', 'Bistortae Rhizoma', '清热药', [5, 10]),
  h('漏芦', 'lou lu', 'Rhapontici Radix', '清热药', [5, 9], { preg: W }),
  h('土茯苓', 'tu fu ling', 'Smilacis Glabrae Rhizoma', '清热药', [15, 60]),
  h('鱼腥草', 'yu xing cao', 'Houttuyniae Herba', '清热药', [15, 25], { aliases: ['蕺菜'] }),
  h('金荞麦', 'jin qiao mai', 'Fagopyri Dibotryis Rhizoma', '清热药', [15, 45]),
  h('大血藤', 'da xue teng', 'Sargentodoxae Caulis', '清热药', [9, 15], { aliases: ['红藤'] }),
  h('射干', 'she gan', 'Belamcandae Rhizoma', '清热药', [3, 10]),
  h('山豆根', 'shan dou gen', 'Sophorae Tonkinensis Radix et Rhizoma', '清热药', [3, 6], { tox: 'toxic', aliases: ['广豆根'] }),
  h('北豆根', 'bei dou gen', 'Menispermi Rhizoma', '清热药', [3, 9], { tox: 'low' }),
  h('马勃', 'ma bo', 'Lasiosphaera Calvatia', '清热药', [2, 6]),
  h('青果', 'qing guo', 'Canarii Fructus', '清热药', [5, 10], { aliases: ['橄榄'] }),
  h('西青果', 'xi qing guo', 'Chebulae Fructus Immaturus', '清热药', [1.5, 3], { aliases: ['藏青果'] }),
  h('锦灯笼', 'jin deng long', 'Physalis Calyx seu Fructus', '清热药', [5, 9]),
  h('金果榄', 'jin guo lan', 'Tinosporae Radix', '清热药', [3, 9]),
  h('木蝴蝶', 'mu hu die', 'Oroxyli Semen', '清热药', [1, 3], { aliases: ['玉蝴蝶', '千张纸'] }),
  h('白头翁', 'bai tou weng', 'Pulsatillae Radix', '清热药', [9, 15]),
  h('马齿苋', 'ma chi xian', 'Portulacae Herba', '清热药', [9, 15]),
  h('鸦胆子', 'ya dan zi', 'Bruceae Fructus', '清热药', [0.5, 2], { tox: 'low', decoct: false }),
  h('半边莲', 'ban bian lian', 'Lobeliae Chinensis Herba', '清热药', [9, 15]),
  h('半枝莲', 'ban zhi lian', 'Scutellariae Barbatae Herba', '清热药', [15, 30]),
  h('山慈菇', 'shan ci gu', 'Cremastrae Pseudobulbus Pleiones Pseudobulbus', '清热药', [3, 9]),
  h('千里光', 'qian li guang', 'Senecionis Scandentis Herba', '清热药', [15, 30]),
  h('四季青', 'si ji qing', 'Ilicis Chinensis Folium', '清热药', [15, 60]),
  h('地锦草', 'di jin cao', 'Euphorbiae Humifusae Herba', '清热药', [9, 20]),
  h('委陵菜', 'wei ling cai', 'Potentillae Chinensis Herba', '清热药', [9, 15]),
  h('翻白草', 'fan bai cao', 'Potentillae Discoloris Herba', '清热药', [9, 15]),
  h('功劳木', 'gong lao mu', 'Mahoniae Caulis', '清热药', [9, 15], { aliases: ['十大功劳'] }),
  h('三颗针', 'san ke zhen', 'Berberidis Radix', '清热药', [9, 15]),
  h('肿节风', 'zhong jie feng', 'Sarcandrae Herba', '清热药', [9, 30], { aliases: ['草珊瑚'] }),
  h('白蔹', 'bai lian', 'Ampelopsis Radix', '清热药', [5, 10]),
  h('天葵子', 'tian kui zi', 'Semiaquilegiae Radix', '清热药', [9, 15]),
  h('地黄', 'di huang', 'Rehmanniae Radix', '清热药', [10, 15], { aliases: ['生地黄', '生地', '干地黄', '怀地黄'] }),
  h('熟地黄', 'shu di huang', 'Rehmanniae Radix Praeparata', '补虚药', [9, 15], { base: '地黄', aliases: ['熟地'] }),
  h('玄参', 'xuan shen', 'Scrophulariae Radix', '清热药', [9, 15], { aliases: ['元参', '黑参'] }),
  h('牡丹皮', 'mu dan pi', 'Moutan Cortex', '清热药', [6, 12], { preg: W, aliases: ['丹皮', '粉丹皮'], forms: [['牡丹皮炭', '炒炭']] }),
  h('赤芍', 'chi shao', 'Paeoniae Radix Rubra', '清热药', [6, 12], { aliases: ['赤芍药'], forms: [['炒赤芍', '清炒']] }),
  h('紫草', 'zi cao', 'Arnebiae Radix', '清热药', [5, 10], { aliases: ['软紫草'] }),
  h('水牛角', 'shui niu jiao', 'Bubali Cornu', '清热药', [15, 30], { handling: '先煎' }),
  h('犀角', 'xi jiao', 'Rhinocerotis Cornu', '清热药', null, {
    source: '国务院国发〔1993〕39号（禁止犀牛角入药，药典已删除）；十九畏见中药学',
  }),
  h('青蒿', 'qing hao', 'Artemisiae Annuae Herba', '清热药', [6, 12], { handling: '后下' }),
  h('白薇', 'bai wei', 'Cynanchi Atrati Radix et Rhizoma', '清热药', [5, 10]),
  h('地骨皮', 'di gu pi', 'Lycii Cortex', '清热药', [9, 15]),
  h('银柴胡', 'yin chai hu', 'Stellariae Radix', '清热药', [3, 10]),
  h('胡黄连', 'hu huang lian', 'Picrorhizae Rhizoma', '清热药', [3, 10]),

  // ── 泻下药 ─────────────────────────────────────────────────────────────────────────────
  h('大黄', 'da huang', 'Rhei Radix et Rhizoma', '泻下药', [3, 15], {
    handling: '后下',
    handlingNote: '泻下',
    preg: W,
    aliases: ['生大黄', '川军', '锦纹', '将军'],
    forms: [
      ['酒大黄', '酒炙', null],
      ['熟大黄', '酒炖或酒蒸', null],
      ['大黄炭', '炒炭', null],
      ['醋大黄', '醋炙', null],
    ],
  }),
  h('芒硝', 'mang xiao', 'Natrii Sulfas', '泻下药', [6, 12], { handling: '冲服', preg: W, aliases: ['朴硝', '皮硝'] }),
  h('玄明粉', 'xuan ming fen', 'Natrii Sulfas Exsiccatus', '泻下药', [3, 9], { handling: '冲服', preg: W, base: '芒硝', aliases: ['元明粉'] }),
  h('番泻叶', 'fan xie ye', 'Sennae Folium', '泻下药', [2, 6], { handling: '后下', preg: W }),
  h('芦荟', 'lu hui', 'Aloe', '泻下药', [2, 5], { preg: W, decoct: false }),
  h('火麻仁', 'huo ma ren', 'Cannabis Fructus', '泻下药', [10, 15], { aliases: ['麻子仁', '大麻仁'], forms: [['炒火麻仁', '清炒']] }),
  h('郁李仁', 'yu li ren', 'Pruni Semen', '泻下药', [6, 10], { preg: W }),
  h('甘遂', 'gan sui', 'Kansui Radix', '泻下药', [0.5, 1.5], { tox: 'toxic', preg: C, decoct: false, forms: [['醋甘遂', '醋炙']] }),
  h('京大戟', 'jing da ji', 'Euphorbiae Pekinensis Radix', '泻下药', [1.5, 3], { tox: 'toxic', preg: C, forms: [['醋京大戟', '醋炙']] }),
  h('红大戟', 'hong da ji', 'Knoxiae Radix', '泻下药', [1.5, 3], { tox: 'low', preg: C }),
  h('芫花', 'yuan hua', 'Genkwa Flos', '泻下药', [1.5, 3], { tox: 'toxic', preg: C, forms: [['醋芫花', '醋炙']] }),
  h('商陆', 'shang lu', 'Phytolaccae Radix', '泻下药', [3, 9], { tox: 'toxic', preg: C, forms: [['醋商陆', '醋炙']] }),
  h('牵牛子', 'qian niu zi', 'Pharbitidis Semen', '泻下药', [3, 6], { tox: 'toxic', preg: C, aliases: ['黑丑', '白丑', '二丑', '黑白丑'], forms: [['炒牵牛子', '清炒']] }),
  h('巴豆', 'ba dou', 'Crotonis Fructus', '泻下药', null, { tox: 'high', preg: C, decoct: false, aliases: ['生巴豆'] }),
  h('巴豆霜', 'ba dou shuang', 'Crotonis Semen Pulveratum', '泻下药', [0.1, 0.3], { tox: 'high', preg: C, decoct: false, base: '巴豆' }),
  h('千金子', 'qian jin zi', 'Euphorbiae Semen', '泻下药', [1, 2], { tox: 'toxic', preg: C, decoct: false, aliases: ['续随子'] }),
  h('千金子霜', 'qian jin zi shuang', 'Euphorbiae Semen Pulveratum', '泻下药', [0.5, 1], { tox: 'toxic', preg: C, decoct: false, base: '千金子' }),
  h('狼毒', 'lang du', 'Euphorbiae Ebracteolatae Radix', '攻毒杀虫止痒药', null, { tox: 'toxic', decoct: false, forms: [['醋狼毒', '醋炙']] }),

  // ── 祛风湿药 ───────────────────────────────────────────────────────────────────────────
  h('独活', 'du huo', 'Angelicae Pubescentis Radix', '祛风湿药', [3, 10], { aliases: ['川独活'] }),
  h('威灵仙', 'wei ling xian', 'Clematidis Radix et Rhizoma', '祛风湿药', [6, 10]),
  h('川乌', 'chuan wu', 'Aconiti Radix', '祛风湿药', null, { tox: 'high', preg: C, aliases: ['生川乌', '川乌头', '乌头'] }),
  h('制川乌', 'zhi chuan wu', 'Aconiti Radix Cocta', '祛风湿药', [1.5, 3], { tox: 'toxic', handling: '先煎', preg: W, base: '川乌' }),
  h('草乌', 'cao wu', 'Aconiti Kusnezoffii Radix', '祛风湿药', null, { tox: 'high', preg: C, aliases: ['生草乌', '草乌头'] }),
  h('制草乌', 'zhi cao wu', 'Aconiti Kusnezoffii Radix Cocta', '祛风湿药', [1.5, 3], { tox: 'toxic', handling: '先煎', preg: W, base: '草乌' }),
  h('蕲蛇', 'qi she', 'Agkistrodon', '祛风湿药', [3, 9], { tox: 'toxic', aliases: ['白花蛇', '五步蛇'] }),
  h('金钱白花蛇', 'jin qian bai hua she', 'Bungarus Parvus', '祛风湿药', [2, 5], { tox: 'toxic' }),
  h('乌梢蛇', 'wu shao she', 'Zaocys', '祛风湿药', [6, 12]),
  h('木瓜', 'mu gua', 'Chaenomelis Fructus', '祛风湿药', [6, 9], { aliases: ['宣木瓜'] }),
  h('伸筋草', 'shen jin cao', 'Lycopodii Herba', '祛风湿药', [3, 12]),
  h('海风藤', 'hai feng teng', 'Piperis Kadsurae Caulis', '祛风湿药', [6, 12]),
  h('青风藤', 'qing feng teng', 'Sinomenii Caulis', '祛风湿药', [6, 12]),
  h('路路通', 'lu lu tong', 'Liquidambaris Fructus', '祛风湿药', [5, 10]),
  h('秦艽', 'qin jiao', 'Gentianae Macrophyllae Radix', '祛风湿药', [3, 10]),
  h('防己', 'fang ji', 'Stephaniae Tetrandrae Radix', '祛风湿药', [5, 10], { aliases: ['粉防己', '汉防己'] }),
  h('桑枝', 'sang zhi', 'Mori Ramulus', '祛风湿药', [9, 15]),
  h('豨莶草', 'xi xian cao', 'Siegesbeckiae Herba', '祛风湿药', [9, 12], { forms: [['酒豨莶草', '酒蒸']] }),
  h('络石藤', 'luo shi teng', 'Trachelospermi Caulis', '祛风湿药', [6, 12]),
  h('老鹳草', 'lao guan cao', 'Erodii Herba Geranii Herba', '祛风湿药', [9, 15]),
  h('丝瓜络', 'si gua luo', 'Luffae Fructus Retinervus', '祛风湿药', [5, 12]),
  h('五加皮', 'wu jia pi', 'Acanthopanacis Cortex', '祛风湿药', [5, 10], { aliases: ['南五加皮'] }),
  h('香加皮', 'xiang jia pi', 'Periplocae Cortex', '祛风湿药', [3, 6], { tox: 'toxic', aliases: ['北五加皮'] }),
  h('桑寄生', 'sang ji sheng', 'Taxilli Herba', '祛风湿药', [9, 15]),
  h('槲寄生', 'hu ji sheng', 'Visci Herba', '祛风湿药', [9, 15]),
  h('狗脊', 'gou ji', 'Cibotii Rhizoma', '祛风湿药', [6, 12], { aliases: ['金毛狗脊'], forms: [['烫狗脊', '砂烫']] }),
  h('千年健', 'qian nian jian', 'Homalomenae Rhizoma', '祛风湿药', [5, 10]),
  h('徐长卿', 'xu chang qing', 'Cynanchi Paniculati Radix et Rhizoma', '祛风湿药', [3, 12], { handling: '后下' }),
  h('穿山龙', 'chuan shan long', 'Dioscoreae Nipponicae Rhizoma', '祛风湿药', [9, 15]),
  h('两头尖', 'liang tou jian', 'Anemones Raddeanae Rhizoma', '祛风湿药', [1, 3], { tox: 'toxic', preg: C }),
  h('丁公藤', 'ding gong teng', 'Erycibes Caulis', '祛风湿药', [3, 6], { tox: 'toxic', preg: C }),
  h('两面针', 'liang mian zhen', 'Zanthoxyli Radix', '活血化瘀药', [5, 10], { tox: 'low' }),

  // ── 化湿药 ─────────────────────────────────────────────────────────────────────────────
  h('广藿香', 'guang huo xiang', 'Pogostemonis Herba', '化湿药', [3, 10], { aliases: ['藿香'] }),
  h('佩兰', 'pei lan', 'Eupatorii Herba', '化湿药', [3, 10]),
  h('苍术', 'cang zhu', 'Atractylodis Rhizoma', '化湿药', [3, 9], { aliases: ['茅苍术', '北苍术'], forms: [['麸炒苍术', '麸炒']] }),
  h('厚朴', 'hou po', 'Magnoliae Officinalis Cortex', '化湿药', [3, 10], { aliases: ['川朴', '紫油厚朴'], forms: [['姜厚朴', '姜汁炙']] }),
  h('厚朴花', 'hou po hua', 'Magnoliae Officinalis Flos', '化湿药', [3, 9]),
  h('砂仁', 'sha ren', 'Amomi Fructus', '化湿药', [3, 6], { handling: '后下', aliases: ['阳春砂', '春砂仁', '缩砂仁'] }),
  h('豆蔻', 'dou kou', 'Amomi Fructus Rotundus', '化湿药', [3, 6], { handling: '后下', aliases: ['白豆蔻', '白蔻仁', '白蔻'] }),
  h('草豆蔻', 'cao dou kou', 'Alpiniae Katsumadai Semen', '化湿药', [3, 6]),
  h('草果', 'cao guo', 'Tsaoko Fructus', '化湿药', [3, 6], { forms: [['姜草果仁', '姜汁炒']] }),

  // ── 利水渗湿药 ─────────────────────────────────────────────────────────────────────────
  h('茯苓', 'fu ling', 'Poria', '利水渗湿药', [10, 15], { aliases: ['云苓', '白茯苓', '茯苓块'] }),
  h('茯苓皮', 'fu ling pi', 'Poriae Cutis', '利水渗湿药', [15, 30]),
  h('猪苓', 'zhu ling', 'Polyporus', '利水渗湿药', [6, 12]),
  h('泽泻', 'ze xie', 'Alismatis Rhizoma', '利水渗湿药', [6, 10], { aliases: ['建泽泻'], forms: [['盐泽泻', '盐炙']] }),
  h('薏苡仁', 'yi yi ren', 'Coicis Semen', '利水渗湿药', [9, 30], { preg: W, aliases: ['薏米', '苡仁', '米仁', '生薏苡仁'], forms: [['麸炒薏苡仁', '麸炒'], ['炒薏苡仁', '清炒']] }),
  h('冬瓜皮', 'dong gua pi', 'Benincasae Exocarpium', '利水渗湿药', [9, 30]),
  h('车前子', 'che qian zi', 'Plantaginis Semen', '利水渗湿药', [9, 15], { handling: '包煎', forms: [['盐车前子', '盐炙']] }),
  h('车前草', 'che qian cao', 'Plantaginis Herba', '利水渗湿药', [9, 30]),
  h('滑石', 'hua shi', 'Talcum', '利水渗湿药', [10, 20], { handling: '先煎' }),
  h('滑石粉', 'hua shi fen', 'Talci Pulvis', '利水渗湿药', [10, 20], { handling: '包煎', base: '滑石' }),
  h('木通', 'mu tong', 'Akebiae Caulis', '利水渗湿药', [3, 6]),
  h('川木通', 'chuan mu tong', 'Clematidis Armandii Caulis', '利水渗湿药', [3, 6]),
  h('通草', 'tong cao', 'Tetrapanacis Medulla', '利水渗湿药', [3, 5], { preg: W }),
  h('瞿麦', 'qu mai', 'Dianthi Herba', '利水渗湿药', [9, 15], { preg: W }),
  h('萹蓄', 'bian xu', 'Polygoni Avicularis Herba', '利水渗湿药', [9, 15]),
  h('地肤子', 'di fu zi', 'Kochiae Fructus', '利水渗湿药', [9, 15]),
  h('海金沙', 'hai jin sha', 'Lygodii Spora', '利水渗湿药', [6, 15], { handling: '包煎' }),
  h('石韦', 'shi wei', 'Pyrrosiae Folium', '利水渗湿药', [6, 12]),
  h('粉萆薢', 'fen bi xie', 'Dioscoreae Hypoglaucae Rhizoma', '利水渗湿药', [9, 15]),
  h('绵萆薢', 'mian bi xie', 'Dioscoreae Spongiosae Rhizoma', '利水渗湿药', [9, 15]),
  h('茵陈', 'yin chen', 'Artemisiae Scopariae Herba', '利水渗湿药', [6, 15], { aliases: ['绵茵陈', '茵陈蒿'] }),
  h('金钱草', 'jin qian cao', 'Lysimachiae Herba', '利水渗湿药', [15, 60], { aliases: ['大金钱草'] }),
  h('广金钱草', 'guang jin qian cao', 'Desmodii Styracifolii Herba', '利水渗湿药', [15, 30]),
  h('连钱草', 'lian qian cao', 'Glechomae Herba', '利水渗湿药', [15, 30]),
  h('积雪草', 'ji xue cao', 'Centellae Herba', '清热药', [15, 30]),
  h('鸡骨草', 'ji gu cao', 'Abri Herba', '利水渗湿药', [15, 30]),
  h('垂盆草', 'chui pen cao', 'Sedi Herba', '利水渗湿药', [15, 30]),
  h('虎杖', 'hu zhang', 'Polygoni Cuspidati Rhizoma et Radix', '利水渗湿药', [9, 15], { preg: W }),
  h('灯心草', 'deng xin cao', 'Junci Medulla', '利水渗湿药', [1, 3], { aliases: ['灯芯草'], forms: [['灯心炭', '煅炭']] }),
  h('赤小豆', 'chi xiao dou', 'Vignae Semen', '利水渗湿药', [9, 30]),

  // ── 温里药 ─────────────────────────────────────────────────────────────────────────────
  h('附子', 'fu zi', 'Aconiti Lateralis Radix Praeparata', '温里药', [3, 15], {
    tox: 'toxic',
    handling: '先煎',
    preg: W,
    aliases: ['制附子', '熟附子', '川附子', '附片'],
    forms: [
      ['黑顺片', '胆巴水浸煮、切片、调色蒸制'],
      ['白附片', '胆巴水浸煮、去皮切片、蒸晒'],
      ['淡附片', '盐附子甘草黑豆煮制'],
      ['炮附片', '砂烫'],
      ['盐附子', '胆巴盐渍'],
    ],
  }),
  h('干姜', 'gan jiang', 'Zingiberis Rhizoma', '温里药', [3, 10], { aliases: ['白姜', '均姜'] }),
  h('炮姜', 'pao jiang', 'Zingiberis Rhizoma Praeparatum', '止血药', [3, 9], { base: '干姜', forms: [['姜炭', '炒炭']] }),
  h('肉桂', 'rou gui', 'Cinnamomi Cortex', '温里药', [1, 5], { preg: W, aliases: ['官桂', '玉桂', '桂心', '企边桂'] }),
  h('吴茱萸', 'wu zhu yu', 'Euodiae Fructus', '温里药', [2, 5], { tox: 'low', aliases: ['吴萸'], forms: [['制吴茱萸', '甘草汁制']] }),
  h('小茴香', 'xiao hui xiang', 'Foeniculi Fructus', '温里药', [3, 6], { aliases: ['茴香'], forms: [['盐小茴香', '盐炙']] }),
  h('八角茴香', 'ba jiao hui xiang', 'Anisi Stellati Fructus', '温里药', [3, 6], { aliases: ['大茴香', '八角'] }),
  h('丁香', 'ding xiang', 'Caryophylli Flos', '温里药', [1, 3], { aliases: ['公丁香'] }),
  h('母丁香', 'mu ding xiang', 'Caryophylli Fructus', '温里药', [1, 3]),
  h('高良姜', 'gao liang jiang', 'Alpiniae Officinarum Rhizoma', '温里药', [3, 6], { aliases: ['良姜'] }),
  h('红豆蔻', 'hong dou kou', 'Galangae Fructus', '温里药', [3, 6]),
  h('花椒', 'hua jiao', 'Zanthoxyli Pericarpium', '温里药', [3, 6], { aliases: ['川椒', '蜀椒'] }),
  h('荜茇', 'bi bo', 'Piperis Longi Fructus', '温里药', [1, 3]),
  h('荜澄茄', 'bi cheng qie', 'Litseae Fructus', '温里药', [1, 3]),
  h('胡椒', 'hu jiao', 'Piperis Fructus', '温里药', [0.6, 1.5]),

  // ── 理气药 ─────────────────────────────────────────────────────────────────────────────
  h('陈皮', 'chen pi', 'Citri Reticulatae Pericarpium', '理气药', [3, 10], { aliases: ['橘皮', '广陈皮', '新会皮'] }),
  h('青皮', 'qing pi', 'Citri Reticulatae Pericarpium Viride', '理气药', [3, 10], { forms: [['醋青皮', '醋炙']] }),
  h('橘红', 'ju hong', 'Citri Exocarpium Rubrum', '理气药', [3, 10]),
  h('化橘红', 'hua ju hong', 'Citri Grandis Exocarpium', '理气药', [3, 6]),
  h('橘核', 'ju he', 'Citri Reticulatae Semen', '理气药', [3, 9], { forms: [['盐橘核', '盐炙']] }),
  h('枳实', 'zhi shi', 'Aurantii Fructus Immaturus', '理气药', [3, 10], { preg: W, forms: [['麸炒枳实', '麸炒']] }),
  h('枳壳', 'zhi qiao', 'Aurantii Fructus', '理气药', [3, 10], { preg: W, forms: [['麸炒枳壳', '麸炒']] }),
  h('木香', 'mu xiang', 'Aucklandiae Radix', '理气药', [3, 6], { aliases: ['广木香', '云木香'], forms: [['煨木香', '煨制']] }),
  h('川木香', 'chuan mu xiang', 'Vladimiriae Radix', '理气药', [3, 9]),
  h('沉香', 'chen xiang', 'Aquilariae Lignum Resinatum', '理气药', [1, 5], { handling: '后下' }),
  h('檀香', 'tan xiang', 'Santali Albi Lignum', '理气药', [2, 5]),
  h('川楝子', 'chuan lian zi', 'Toosendan Fructus', '理气药', [5, 10], { tox: 'low', aliases: ['金铃子'], forms: [['炒川楝子', '清炒']] }),
  h('乌药', 'wu yao', 'Linderae Radix', '理气药', [6, 10], { aliases: ['台乌药'] }),
  h('荔枝核', 'li zhi he', 'Litchi Semen', '理气药', [5, 10], { forms: [['盐荔枝核', '盐炙']] }),
  h('香附', 'xiang fu', 'Cyperi Rhizoma', '理气药', [6, 10], { aliases: ['香附子'], forms: [['醋香附', '醋炙']] }),
  h('佛手', 'fo shou', 'Citri Sarcodactylis Fructus', '理气药', [3, 10]),
  h('香橼', 'xiang yuan', 'Citri Fructus', '理气药', [3, 10]),
  h('玫瑰花', 'mei gui hua', 'Rosae Rugosae Flos', '理气药', [3, 6]),
  h('梅花', 'mei hua', 'Mume Flos', '理气药', [3, 5], { aliases: ['绿萼梅'] }),
  h('薤白', 'xie bai', 'Allii Macrostemonis Bulbus', '理气药', [5, 10]),
  h('大腹皮', 'da fu pi', 'Arecae Pericarpium', '理气药', [5, 10]),
  h('柿蒂', 'shi di', 'Kaki Calyx', '理气药', [5, 10]),
  h('刀豆', 'dao dou', 'Canavaliae Semen', '理气药', [6, 9]),
  h('甘松', 'gan song', 'Nardostachyos Radix et Rhizoma', '理气药', [3, 6]),
  h('九香虫', 'jiu xiang chong', 'Aspongopus', '理气药', [3, 9]),
  h('娑罗子', 'suo luo zi', 'Aesculi Semen', '理气药', [3, 9]),

  // ── 消食药 ─────────────────────────────────────────────────────────────────────────────
  h('山楂', 'shan zha', 'Crataegi Fructus', '消食药', [9, 12], { aliases: ['北山楂'], forms: [['炒山楂', '清炒'], ['焦山楂', '炒焦'], ['山楂炭', '炒炭']] }),
  h('六神曲', 'liu shen qu', 'Massa Medicata Fermentata', '消食药', null, { aliases: ['神曲'], forms: [['炒神曲', '麸炒'], ['焦神曲', '炒焦']], source: SRC_TEXTBOOK }),
  h('麦芽', 'mai ya', 'Hordei Fructus Germinatus', '消食药', [10, 15], { aliases: ['生麦芽'], forms: [['炒麦芽', '清炒'], ['焦麦芽', '炒焦']] }),
  h('稻芽', 'dao ya', 'Oryzae Fructus Germinatus', '消食药', [9, 15], { forms: [['炒稻芽', '清炒'], ['焦稻芽', '炒焦']] }),
  h('谷芽', 'gu ya', 'Setariae Fructus Germinatus', '消食药', [9, 15], { forms: [['炒谷芽', '清炒'], ['焦谷芽', '炒焦']] }),
  h('莱菔子', 'lai fu zi', 'Raphani Semen', '消食药', [5, 12], { aliases: ['萝卜子'], forms: [['炒莱菔子', '清炒']] }),
  h('鸡内金', 'ji nei jin', 'Galli Gigerii Endothelium Corneum', '消食药', [3, 10], { forms: [['炒鸡内金', '清炒或砂烫'], ['醋鸡内金', '醋炙']] }),

  // ── 驱虫药 ─────────────────────────────────────────────────────────────────────────────
  h('使君子', 'shi jun zi', 'Quisqualis Fructus', '驱虫药', [9, 12], { forms: [['使君子仁', '去壳取仁'], ['炒使君子仁', '清炒']] }),
  h('苦楝皮', 'ku lian pi', 'Meliae Cortex', '驱虫药', [3, 6], { tox: 'toxic' }),
  h('槟榔', 'bin lang', 'Arecae Semen', '驱虫药', [3, 10], { aliases: ['大腹子'], forms: [['炒槟榔', '清炒'], ['焦槟榔', '炒焦']] }),
  h('鹤虱', 'he shi', 'Carpesii Fructus', '驱虫药', [3, 9], { tox: 'low', aliases: ['北鹤虱'] }),
  h('南鹤虱', 'nan he shi', 'Carotae Fructus', '驱虫药', [3, 9], { tox: 'low' }),
  h('雷丸', 'lei wan', 'Omphalia', '驱虫药', [15, 21], { decoct: false }),
  h('榧子', 'fei zi', 'Torreyae Semen', '驱虫药', [9, 15]),

  // ── 止血药 ─────────────────────────────────────────────────────────────────────────────
  h('小蓟', 'xiao ji', 'Cirsii Herba', '止血药', [5, 12], { forms: [['小蓟炭', '炒炭']] }),
  h('大蓟', 'da ji', 'Cirsii Japonici Herba', '止血药', [9, 15], { forms: [['大蓟炭', '炒炭']] }),
  h('地榆', 'di yu', 'Sanguisorbae Radix', '止血药', [9, 15], { forms: [['地榆炭', '炒炭']] }),
  h('槐花', 'huai hua', 'Sophorae Flos', '止血药', [5, 10], { aliases: ['槐米'], forms: [['炒槐花', '清炒'], ['槐花炭', '炒炭']] }),
  h('槐角', 'huai jiao', 'Sophorae Fructus', '止血药', [6, 9], { forms: [['蜜槐角', '蜜炙']] }),
  h('侧柏叶', 'ce bai ye', 'Platycladi Cacumen', '止血药', [6, 12], { forms: [['侧柏炭', '炒炭']] }),
  h('白茅根', 'bai mao gen', 'Imperatae Rhizoma', '止血药', [9, 30], { aliases: ['茅根'], forms: [['茅根炭', '炒炭']] }),
  h('三七', 'san qi', 'Notoginseng Radix et Rhizoma', '止血药', [3, 9], { preg: W, aliases: ['田七', '参三七', '三七粉'] }),
  h('茜草', 'qian cao', 'Rubiae Radix et Rhizoma', '止血药', [6, 10], { forms: [['茜草炭', '炒炭']] }),
  h('蒲黄', 'pu huang', 'Typhae Pollen', '止血药', [5, 10], { handling: '包煎', preg: W, aliases: ['生蒲黄'], forms: [['蒲黄炭', '炒炭']] }),
  h('白及', 'bai ji', 'Bletillae Rhizoma', '止血药', [6, 15], { aliases: ['白芨'] }),
  h('仙鹤草', 'xian he cao', 'Agrimoniae Herba', '止血药', [6, 12]),
  h('紫珠叶', 'zi zhu ye', 'Callicarpae Formosanae Folium', '止血药', [3, 15]),
  h('血余炭', 'xue yu tan', 'Crinis Carbonisatus', '止血药', [5, 10]),
  h('艾叶', 'ai ye', 'Artemisiae Argyi Folium', '止血药', [3, 9], { tox: 'low', aliases: ['蕲艾'], forms: [['醋艾炭', '醋炙炒炭']] }),
  h('藕节', 'ou jie', 'Nelumbinis Rhizomatis Nodus', '止血药', [9, 15], { forms: [['藕节炭', '炒炭']] }),
  h('卷柏', 'juan bai', 'Selaginellae Herba', '止血药', [5, 10], { preg: W, forms: [['卷柏炭', '炒炭']] }),
  h('鸡冠花', 'ji guan hua', 'Celosiae Cristatae Flos', '收涩药', [6, 12], { forms: [['鸡冠花炭', '炒炭']] }),

  // ── 活血化瘀药 ─────────────────────────────────────────────────────────────────────────
  h('川芎', 'chuan xiong', 'Chuanxiong Rhizoma', '活血化瘀药', [3, 10], { aliases: ['芎䓖'] }),
  h('延胡索', 'yan hu suo', 'Corydalis Rhizoma', '活血化瘀药', [3, 10], { aliases: ['元胡', '玄胡', '延胡'], forms: [['醋延胡索', '醋炙']] }),
  h('郁金', 'yu jin', 'Curcumae Radix', '活血化瘀药', [3, 10], { aliases: ['广郁金', '川郁金', '温郁金'] }),
  h('姜黄', 'jiang huang', 'Curcumae Longae Rhizoma', '活血化瘀药', [3, 10], { preg: W }),
  h('片姜黄', 'pian jiang huang', 'Wenyujin Rhizoma Concisum', '活血化瘀药', [3, 9], { preg: W }),
  h('乳香', 'ru xiang', 'Olibanum', '活血化瘀药', [3, 5], { preg: W, forms: [['醋乳香', '醋炙']] }),
  h('没药', 'mo yao', 'Myrrha', '活血化瘀药', [3, 5], { preg: W, forms: [['醋没药', '醋炙']] }),
  h('五灵脂', 'wu ling zhi', 'Trogopterori Faeces', '活血化瘀药', [3, 10], { handling: '包煎', forms: [['醋五灵脂', '醋炙']], source: SRC_TEXTBOOK }),
  h('丹参', 'dan shen', 'Salviae Miltiorrhizae Radix et Rhizoma', '活血化瘀药', [10, 15], { aliases: ['紫丹参'], forms: [['酒丹参', '酒炙']] }),
  h('红花', 'hong hua', 'Carthami Flos', '活血化瘀药', [3, 10], { preg: W, aliases: ['草红花', '红蓝花'] }),
  h('西红花', 'xi hong hua', 'Croci Stigma', '活血化瘀药', [1, 3], { preg: W, aliases: ['番红花', '藏红花'] }),
  h('桃仁', 'tao ren', 'Persicae Semen', '活血化瘀药', [5, 10], { preg: W, forms: [['焯桃仁', '焯去皮'], ['炒桃仁', '清炒']] }),
  h('益母草', 'yi mu cao', 'Leonuri Herba', '活血化瘀药', [9, 30], { preg: W, aliases: ['坤草'] }),
  h('茺蔚子', 'chong wei zi', 'Leonuri Fructus', '活血化瘀药', [5, 10]),
  h('泽兰', 'ze lan', 'Lycopi Herba', '活血化瘀药', [6, 12]),
  h('牛膝', 'niu xi', 'Achyranthis Bidentatae Radix', '活血化瘀药', [5, 12], { preg: W, aliases: ['怀牛膝', '淮牛膝'], forms: [['酒牛膝', '酒炙'], ['盐牛膝', '盐炙']] }),
  h('川牛膝', 'chuan niu xi', 'Cyathulae Radix', '活血化瘀药', [5, 10], { preg: W, forms: [['酒川牛膝', '酒炙']] }),
  h('鸡血藤', 'ji xue teng', 'Spatholobi Caulis', '活血化瘀药', [9, 15]),
  h('王不留行', 'wang bu liu xing', 'Vaccariae Semen', '活血化瘀药', [5, 10], { preg: W, aliases: ['王不留'], forms: [['炒王不留行', '清炒']] }),
  h('月季花', 'yue ji hua', 'Rosae Chinensis Flos', '活血化瘀药', [3, 6]),
  h('凌霄花', 'ling xiao hua', 'Campsis Flos', '活血化瘀药', [5, 9], { preg: W }),
  h('土鳖虫', 'tu bie chong', 'Eupolyphaga Steleophaga', '活血化瘀药', [3, 10], { tox: 'low', preg: C, aliases: ['䗪虫', '地鳖虫', '土元'] }),
  h('自然铜', 'zi ran tong', 'Pyritum', '活血化瘀药', [3, 9], { forms: [['煅自然铜', '煅淬']] }),
  h('苏木', 'su mu', 'Sappan Lignum', '活血化瘀药', [3, 9], { preg: W }),
  h('骨碎补', 'gu sui bu', 'Drynariae Rhizoma', '活血化瘀药', [3, 9], { aliases: ['申姜'], forms: [['烫骨碎补', '砂烫']] }),
  h('血竭', 'xue jie', 'Draconis Sanguis', '活血化瘀药', [1, 2], { decoct: false, aliases: ['麒麟竭'] }),
  h('儿茶', 'er cha', 'Catechu', '活血化瘀药', [1, 3], { handling: '包煎', aliases: ['孩儿茶'] }),
  h('北刘寄奴', 'bei liu ji nu', 'Siphonostegiae Herba', '活血化瘀药', [6, 9], { aliases: ['刘寄奴'] }),
  h('莪术', 'e zhu', 'Curcumae Rhizoma', '活血化瘀药', [6, 9], { preg: C, aliases: ['蓬莪术', '文术'], forms: [['醋莪术', '醋炙']] }),
  h('三棱', 'san leng', 'Sparganii Rhizoma', '活血化瘀药', [5, 10], { preg: C, aliases: ['京三棱'], forms: [['醋三棱', '醋炙']] }),
  h('水蛭', 'shui zhi', 'Hirudo', '活血化瘀药', [1, 3], { tox: 'low', preg: C, aliases: ['蚂蟥'], forms: [['烫水蛭', '滑石粉烫']] }),
  h('干漆', 'gan qi', 'Toxicodendri Resina', '活血化瘀药', [2, 5], { tox: 'toxic', preg: C }),
  h('急性子', 'ji xing zi', 'Impatientis Semen', '活血化瘀药', [3, 5], { tox: 'low', preg: W }),
  h('马鞭草', 'ma bian cao', 'Verbenae Herba', '活血化瘀药', [5, 10], { preg: W }),
  h('降香', 'jiang xiang', 'Dalbergiae Odoriferae Lignum', '活血化瘀药', [9, 15], { handling: '后下', aliases: ['降真香'] }),
  h('马钱子', 'ma qian zi', 'Strychni Semen', '活血化瘀药', [0.3, 0.6], {
    tox: 'high',
    preg: C,
    decoct: false,
    aliases: ['番木鳖'],
    forms: [['制马钱子', '砂烫'], ['马钱子粉', '砂烫后粉碎']],
  }),

  // ── 化痰止咳平喘药 ─────────────────────────────────────────────────────────────────────
  h('半夏', 'ban xia', 'Pinelliae Rhizoma', '化痰止咳平喘药', [3, 9], {
    tox: 'toxic',
    forms: [
      ['法半夏', '甘草石灰液制'],
      ['姜半夏', '生姜白矾制'],
      ['清半夏', '白矾液制'],
      ['生半夏', '生用'],
    ],
  }),
  h('天南星', 'tian nan xing', 'Arisaematis Rhizoma', '化痰止咳平喘药', null, { tox: 'toxic', preg: W, aliases: ['生天南星', '生南星'] }),
  h('制天南星', 'zhi tian nan xing', 'Arisaematis Rhizoma Preparatum', '化痰止咳平喘药', [3, 9], { tox: 'toxic', preg: W, base: '天南星', aliases: ['制南星'] }),
  h('胆南星', 'dan nan xing', 'Arisaema cum Bile', '化痰止咳平喘药', [3, 6], { base: '天南星', aliases: ['胆星'] }),
  h('白附子', 'bai fu zi', 'Typhonii Rhizoma', '化痰止咳平喘药', [3, 6], { tox: 'toxic', preg: W, aliases: ['禹白附'], forms: [['制白附子', '生姜白矾制']] }),
  h('芥子', 'jie zi', 'Sinapis Semen', '化痰止咳平喘药', [3, 9], { aliases: ['白芥子'], forms: [['炒芥子', '清炒']] }),
  h('皂荚', 'zao jia', 'Gleditsiae Sinensis Fructus', '化痰止咳平喘药', [1, 1.5], { tox: 'low', preg: C, aliases: ['大皂角', '皂角'] }),
  h('猪牙皂', 'zhu ya zao', 'Gleditsiae Fructus Abnormalis', '化痰止咳平喘药', [1, 1.5], { tox: 'low', preg: C, aliases: ['小皂荚'] }),
  h('皂角刺', 'zao jiao ci', 'Gleditsiae Spina', '活血化瘀药', [3, 10], { aliases: ['皂刺', '天丁'] }),
  h('旋覆花', 'xuan fu hua', 'Inulae Flos', '化痰止咳平喘药', [3, 9], { handling: '包煎', aliases: ['金沸花'], forms: [['蜜旋覆花', '蜜炙']] }),
  h('金沸草', 'jin fei cao', 'Inulae Herba', '化痰止咳平喘药', [5, 10]),
  h('白前', 'bai qian', 'Cynanchi Stauntonii Rhizoma et Radix', '化痰止咳平喘药', [3, 10], { forms: [['蜜白前', '蜜炙']] }),
  h('川贝母', 'chuan bei mu', 'Fritillariae Cirrhosae Bulbus', '化痰止咳平喘药', [3, 10], { aliases: ['川贝', '松贝', '青贝', '炉贝'] }),
  h('浙贝母', 'zhe bei mu', 'Fritillariae Thunbergii Bulbus', '化痰止咳平喘药', [5, 10], { aliases: ['浙贝', '象贝', '象贝母', '大贝', '珠贝'] }),
  h('平贝母', 'ping bei mu', 'Fritillariae Ussuriensis Bulbus', '化痰止咳平喘药', [3, 9], { aliases: ['平贝'] }),
  h('伊贝母', 'yi bei mu', 'Fritillariae Pallidiflorae Bulbus', '化痰止咳平喘药', [3, 9], { aliases: ['伊贝'] }),
  h('湖北贝母', 'hu bei bei mu', 'Fritillariae Hupehensis Bulbus', '化痰止咳平喘药', [3, 9]),
  h('土贝母', 'tu bei mu', 'Bolbostemmatis Rhizoma', '清热药', [5, 10]),
  h('瓜蒌', 'gua lou', 'Trichosanthis Fructus', '化痰止咳平喘药', [9, 15], { aliases: ['全瓜蒌', '栝楼', '栝蒌', '全栝楼'] }),
  h('瓜蒌子', 'gua lou zi', 'Trichosanthis Semen', '化痰止咳平喘药', [9, 15], { aliases: ['栝楼子', '瓜蒌仁', '栝楼仁'], forms: [['炒瓜蒌子', '清炒'], ['蜜瓜蒌子', '蜜炙']] }),
  h('瓜蒌皮', 'gua lou pi', 'Trichosanthis Pericarpium', '化痰止咳平喘药', [6, 10], { aliases: ['栝楼皮', '瓜蒌壳'] }),
  h('竹茹', 'zhu ru', 'Bambusae Caulis in Taenias', '化痰止咳平喘药', [5, 10], { forms: [['姜竹茹', '姜汁炙']] }),
  h('天竺黄', 'tian zhu huang', 'Bambusae Concretio Silicea', '化痰止咳平喘药', [3, 9], { aliases: ['竹黄'] }),
  h('前胡', 'qian hu', 'Peucedani Radix', '化痰止咳平喘药', [3, 10], { forms: [['蜜前胡', '蜜炙']] }),
  h('紫花前胡', 'zi hua qian hu', 'Peucedani Decursivi Radix', '化痰止咳平喘药', [3, 9]),
  h('桔梗', 'jie geng', 'Platycodonis Radix', '化痰止咳平喘药', [3, 10], { aliases: ['苦桔梗'] }),
  h('胖大海', 'pang da hai', 'Sterculiae Lychnophorae Semen', '化痰止咳平喘药', [2, 3]),
  h('海藻', 'hai zao', 'Sargassum', '化痰止咳平喘药', [6, 12]),
  h('昆布', 'kun bu', 'Laminariae Thallus Eckloniae Thallus', '化痰止咳平喘药', [6, 12]),
  h('蛤壳', 'ge qiao', 'Meretricis Concha Cyclinae Concha', '化痰止咳平喘药', [6, 15], { handling: '先煎', aliases: ['海蛤壳'], forms: [['煅蛤壳', '明煅']] }),
  h('瓦楞子', 'wa leng zi', 'Arcae Concha', '化痰止咳平喘药', [9, 15], { handling: '先煎', forms: [['煅瓦楞子', '明煅']] }),
  h('猫爪草', 'mao zhua cao', 'Ranunculi Ternati Radix', '化痰止咳平喘药', [15, 30]),
  h('苦杏仁', 'ku xing ren', 'Armeniacae Semen Amarum', '化痰止咳平喘药', [5, 10], { tox: 'low', aliases: ['杏仁', '北杏仁'], forms: [['焯苦杏仁', '焯去皮'], ['炒苦杏仁', '清炒']] }),
  h('紫苏子', 'zi su zi', 'Perillae Fructus', '化痰止咳平喘药', [3, 10], { aliases: ['苏子'], forms: [['炒紫苏子', '清炒']] }),
  h('百部', 'bai bu', 'Stemonae Radix', '化痰止咳平喘药', [3, 9], { forms: [['蜜百部', '蜜炙']] }),
  h('紫菀', 'zi wan', 'Asteris Radix et Rhizoma', '化痰止咳平喘药', [5, 10], { forms: [['蜜紫菀', '蜜炙']] }),
  h('款冬花', 'kuan dong hua', 'Farfarae Flos', '化痰止咳平喘药', [5, 10], { aliases: ['冬花'], forms: [['蜜款冬花', '蜜炙']] }),
  h('枇杷叶', 'pi pa ye', 'Eriobotryae Folium', '化痰止咳平喘药', [6, 10], { forms: [['蜜枇杷叶', '蜜炙']] }),
  h('桑白皮', 'sang bai pi', 'Mori Cortex', '化痰止咳平喘药', [6, 12], { aliases: ['桑根白皮'], forms: [['蜜桑白皮', '蜜炙']] }),
  h('葶苈子', 'ting li zi', 'Descurainiae Semen Lepidii Semen', '化痰止咳平喘药', [3, 10], { handling: '包煎', aliases: ['甜葶苈', '苦葶苈'], forms: [['炒葶苈子', '清炒']] }),
  h('白果', 'bai guo', 'Ginkgo Semen', '化痰止咳平喘药', [5, 10], { tox: 'toxic', aliases: ['银杏'], forms: [['炒白果仁', '清炒']] }),
  h('银杏叶', 'yin xing ye', 'Ginkgo Folium', '活血化瘀药', [9, 12]),
  h('矮地茶', 'ai di cha', 'Ardisiae Japonicae Herba', '化痰止咳平喘药', [15, 30], { aliases: ['紫金牛'] }),
  h('罗汉果', 'luo han guo', 'Siraitiae Fructus', '化痰止咳平喘药', [9, 15]),
  h('洋金花', 'yang jin hua', 'Daturae Flos', '化痰止咳平喘药', [0.3, 0.6], { tox: 'toxic', preg: C, decoct: false, aliases: ['曼陀罗花'] }),

  // ── 安神药 ─────────────────────────────────────────────────────────────────────────────
  h('朱砂', 'zhu sha', 'Cinnabaris', '安神药', [0.1, 0.5], { tox: 'toxic', preg: C, decoct: false, aliases: ['辰砂', '丹砂', '朱砂粉'] }),
  h('磁石', 'ci shi', 'Magnetitum', '安神药', [9, 30], { handling: '先煎', aliases: ['灵磁石'], forms: [['煅磁石', '煅淬']] }),
  h('龙骨', 'long gu', 'Draconis Os', '安神药', [15, 30], { handling: '先煎', aliases: ['生龙骨'], forms: [['煅龙骨', '明煅']], source: SRC_TEXTBOOK }),
  h('酸枣仁', 'suan zao ren', 'Ziziphi Spinosae Semen', '安神药', [10, 15], { aliases: ['枣仁'], forms: [['炒酸枣仁', '清炒']] }),
  h('柏子仁', 'bai zi ren', 'Platycladi Semen', '安神药', [3, 10], { forms: [['柏子仁霜', '去油制霜']] }),
  h('灵芝', 'ling zhi', 'Ganoderma', '安神药', [6, 12]),
  h('首乌藤', 'shou wu teng', 'Polygoni Multiflori Caulis', '安神药', [9, 15], { aliases: ['夜交藤'] }),
  h('合欢皮', 'he huan pi', 'Albiziae Cortex', '安神药', [6, 12]),
  h('合欢花', 'he huan hua', 'Albiziae Flos', '安神药', [5, 10]),
  h('远志', 'yuan zhi', 'Polygalae Radix', '安神药', [3, 10], { forms: [['制远志', '甘草汁制'], ['蜜远志', '蜜炙']] }),

  // ── 平肝息风药 ─────────────────────────────────────────────────────────────────────────
  h('石决明', 'shi jue ming', 'Haliotidis Concha', '平肝息风药', [6, 20], { handling: '先煎', forms: [['煅石决明', '明煅']] }),
  h('珍珠母', 'zhen zhu mu', 'Margaritifera Concha', '平肝息风药', [10, 25], { handling: '先煎', forms: [['煅珍珠母', '明煅']] }),
  h('牡蛎', 'mu li', 'Ostreae Concha', '平肝息风药', [9, 30], { handling: '先煎', aliases: ['生牡蛎'], forms: [['煅牡蛎', '明煅']] }),
  h('赭石', 'zhe shi', 'Haematitum', '平肝息风药', [9, 30], { handling: '先煎', preg: W, aliases: ['代赭石', '生赭石'], forms: [['煅赭石', '煅淬']] }),
  h('蒺藜', 'ji li', 'Tribuli Fructus', '平肝息风药', [6, 10], { aliases: ['刺蒺藜', '白蒺藜'], forms: [['炒蒺藜', '清炒']] }),
  h('罗布麻叶', 'luo bu ma ye', 'Apocyni Veneti Folium', '平肝息风药', [6, 12]),
  h('羚羊角', 'ling yang jiao', 'Saigae Tataricae Cornu', '平肝息风药', [1, 3], { handling: '另煎', aliases: ['羚羊角粉'] }),
  h('牛黄', 'niu huang', 'Bovis Calculus', '平肝息风药', [0.15, 0.35], { preg: W, decoct: false, aliases: ['天然牛黄'] }),
  h('人工牛黄', 'ren gong niu huang', 'Bovis Calculus Artifactus', '平肝息风药', [0.15, 0.35], { preg: W, decoct: false }),
  h('体外培育牛黄', 'ti wai pei yu niu huang', 'Bovis Calculus Sativus', '平肝息风药', [0.15, 0.35], { preg: W, decoct: false }),
  h('珍珠', 'zhen zhu', 'Margarita', '平肝息风药', [0.1, 0.3], { decoct: false, aliases: ['珍珠粉'] }),
  h('钩藤', 'gou teng', 'Uncariae Ramulus cum Uncis', '平肝息风药', [3, 12], { handling: '后下', aliases: ['双钩藤', '嫩钩藤'] }),
  h('天麻', 'tian ma', 'Gastrodiae Rhizoma', '平肝息风药', [3, 10], { aliases: ['明天麻', '赤箭'] }),
  h('地龙', 'di long', 'Pheretima', '平肝息风药', [5, 10], { aliases: ['广地龙', '蚯蚓'] }),
  h('全蝎', 'quan xie', 'Scorpio', '平肝息风药', [3, 6], { tox: 'toxic', preg: C, aliases: ['全虫', '蝎子'] }),
  h('蜈蚣', 'wu gong', 'Scolopendra', '平肝息风药', [3, 5], { tox: 'toxic', preg: C, aliases: ['天龙'] }),
  h('僵蚕', 'jiang can', 'Bombyx Batryticatus', '平肝息风药', [5, 10], { aliases: ['白僵蚕', '天虫'], forms: [['炒僵蚕', '麸炒']] }),

  // ── 开窍药 ─────────────────────────────────────────────────────────────────────────────
  h('麝香', 'she xiang', 'Moschus', '开窍药', [0.03, 0.1], { preg: C, decoct: false, aliases: ['当门子', '元寸'] }),
  h('冰片', 'bing pian', 'Borneolum Syntheticum', '开窍药', [0.15, 0.3], { preg: W, decoct: false, aliases: ['合成龙脑', '梅片'] }),
  h('天然冰片', 'tian ran bing pian', 'Borneolum', '开窍药', [0.3, 0.9], { preg: W, decoct: false, aliases: ['右旋龙脑'] }),
  h('苏合香', 'su he xiang', 'Styrax', '开窍药', [0.3, 1], { decoct: false }),
  h('安息香', 'an xi xiang', 'Benzoinum', '开窍药', [0.6, 1.5], { decoct: false }),
  h('石菖蒲', 'shi chang pu', 'Acori Tatarinowii Rhizoma', '开窍药', [3, 10], { aliases: ['菖蒲', '九节菖蒲'] }),
  h('蟾酥', 'chan su', 'Bufonis Venenum', '开窍药', [0.015, 0.03], { tox: 'toxic', preg: W, decoct: false }),

  // ── 补虚药 ─────────────────────────────────────────────────────────────────────────────
  h('人参', 'ren shen', 'Ginseng Radix et Rhizoma', '补虚药', [3, 9], { handling: '另煎', aliases: ['生晒参', '园参'], forms: [['红参', '蒸制']] }),
  h('西洋参', 'xi yang shen', 'Panacis Quinquefolii Radix', '补虚药', [3, 6], { handling: '另煎', aliases: ['花旗参', '洋参'] }),
  h('党参', 'dang shen', 'Codonopsis Radix', '补虚药', [9, 30], { aliases: ['潞党参', '台党参', '纹党'], forms: [['米炒党参', '米炒']] }),
  h('太子参', 'tai zi shen', 'Pseudostellariae Radix', '补虚药', [9, 30], { aliases: ['孩儿参'] }),
  h('黄芪', 'huang qi', 'Astragali Radix', '补虚药', [9, 30], { aliases: ['黄耆', '北芪', '绵芪', '生黄芪'], forms: [['炙黄芪', '蜜炙']] }),
  h('红芪', 'hong qi', 'Hedysari Radix', '补虚药', [9, 30], { forms: [['炙红芪', '蜜炙']] }),
  h('白术', 'bai zhu', 'Atractylodis Macrocephalae Rhizoma', '补虚药', [6, 12], { aliases: ['於术', '冬术', '生白术'], forms: [['麸炒白术', '麸炒'], ['土炒白术', '土炒']] }),
  h('山药', 'shan yao', 'Dioscoreae Rhizoma', '补虚药', [15, 30], { aliases: ['淮山', '淮山药', '怀山药', '薯蓣'], forms: [['麸炒山药', '麸炒'], ['土炒山药', '土炒']] }),
  h('白扁豆', 'bai bian dou', 'Lablab Semen Album', '补虚药', [9, 15], { aliases: ['扁豆'], forms: [['炒白扁豆', '清炒']] }),
  h('甘草', 'gan cao', 'Glycyrrhizae Radix et Rhizoma', '补虚药', [2, 10], { aliases: ['国老', '生甘草', '粉甘草', '甜草'], forms: [['炙甘草', '蜜炙']] }),
  h('大枣', 'da zao', 'Jujubae Fructus', '补虚药', [6, 15], { aliases: ['红枣'] }),
  h('刺五加', 'ci wu jia', 'Acanthopanacis Senticosi Radix et Rhizoma seu Caulis', '补虚药', [9, 27]),
  h('红景天', 'hong jing tian', 'Rhodiolae Crenulatae Radix et Rhizoma', '补虚药', [3, 6]),
  h('沙棘', 'sha ji', 'Hippophae Fructus', '补虚药', [3, 10]),
  h('蜂蜜', 'feng mi', 'Mel', '补虚药', [15, 30], { aliases: ['白蜜', '石蜜'] }),
  h('鹿茸', 'lu rong', 'Cervi Cornu Pantotrichum', '补虚药', [1, 2], { handling: '冲服', aliases: ['鹿茸片', '鹿茸粉'] }),
  h('鹿角', 'lu jiao', 'Cervi Cornu', '补虚药', [6, 15]),
  h('鹿角胶', 'lu jiao jiao', 'Cervi Cornus Colla', '补虚药', [3, 6], { handling: '烊化' }),
  h('鹿角霜', 'lu jiao shuang', 'Cervi Cornu Degelatinatum', '补虚药', [9, 15], { handling: '先煎' }),
  h('淫羊藿', 'yin yang huo', 'Epimedii Folium', '补虚药', [6, 10], { aliases: ['仙灵脾'], forms: [['炙淫羊藿', '羊脂油炙']] }),
  h('巴戟天', 'ba ji tian', 'Morindae Officinalis Radix', '补虚药', [3, 10], { aliases: ['巴戟'], forms: [['巴戟肉', '去心'], ['盐巴戟天', '盐炙'], ['制巴戟天', '甘草汁制']] }),
  h('仙茅', 'xian mao', 'Curculiginis Rhizoma', '补虚药', [3, 10], { tox: 'toxic' }),
  h('杜仲', 'du zhong', 'Eucommiae Cortex', '补虚药', [6, 10], { aliases: ['川杜仲'], forms: [['盐杜仲', '盐炙']] }),
  h('续断', 'xu duan', 'Dipsaci Radix', '补虚药', [9, 15], { aliases: ['川续断', '川断'], forms: [['酒续断', '酒炙'], ['盐续断', '盐炙']] }),
  h('肉苁蓉', 'rou cong rong', 'Cistanches Herba', '补虚药', [6, 10], { aliases: ['大芸', '苁蓉'], forms: [['酒苁蓉', '酒炖或酒蒸']] }),
  h('锁阳', 'suo yang', 'Cynomorii Herba', '补虚药', [5, 10]),
  h('补骨脂', 'bu gu zhi', 'Psoraleae Fructus', '补虚药', [6, 10], { aliases: ['破故纸'], forms: [['盐补骨脂', '盐炙']] }),
  h('益智', 'yi zhi', 'Alpiniae Oxyphyllae Fructus', '补虚药', [3, 10], { aliases: ['益智仁'], forms: [['盐益智仁', '盐炙']] }),
  h('菟丝子', 'tu si zi', 'Cuscutae Semen', '补虚药', [6, 12], { forms: [['盐菟丝子', '盐炙']] }),
  h('沙苑子', 'sha yuan zi', 'Astragali Complanati Semen', '补虚药', [9, 15], { aliases: ['潼蒺藜'], forms: [['盐沙苑子', '盐炙']] }),
  h('蛤蚧', 'ge jie', 'Gecko', '补虚药', [3, 6]),
  h('核桃仁', 'he tao ren', 'Juglandis Semen', '补虚药', [6, 9], { aliases: ['胡桃仁', '胡桃肉'] }),
  h('冬虫夏草', 'dong chong xia cao', 'Cordyceps', '补虚药', [3, 9], { aliases: ['虫草'] }),
  h('胡芦巴', 'hu lu ba', 'Trigonellae Semen', '补虚药', [5, 10], { aliases: ['葫芦巴'], forms: [['盐胡芦巴', '盐炙']] }),
  h('韭菜子', 'jiu cai zi', 'Allii Tuberosi Semen', '补虚药', [3, 9], { aliases: ['韭子'] }),
  h('当归', 'dang gui', 'Angelicae Sinensis Radix', '补虚药', [6, 12], { aliases: ['全当归', '秦归', '云归'], forms: [['酒当归', '酒炙']] }),
  h('白芍', 'bai shao', 'Paeoniae Radix Alba', '补虚药', [6, 15], { aliases: ['白芍药', '杭白芍'], forms: [['炒白芍', '清炒'], ['酒白芍', '酒炙']] }),
  h('阿胶', 'e jiao', 'Asini Corii Colla', '补虚药', [3, 9], { handling: '烊化', aliases: ['驴皮胶'], forms: [['阿胶珠', '蛤粉烫', null]] }),
  h('何首乌', 'he shou wu', 'Polygoni Multiflori Radix', '补虚药', [3, 6], { aliases: ['生首乌', '生何首乌'] }),
  h('制何首乌', 'zhi he shou wu', 'Polygoni Multiflori Radix Praeparata', '补虚药', [6, 12], { base: '何首乌', aliases: ['制首乌'] }),
  h('龙眼肉', 'long yan rou', 'Longan Arillus', '补虚药', [9, 15], { aliases: ['桂圆肉', '桂圆'] }),
  h('北沙参', 'bei sha shen', 'Glehniae Radix', '补虚药', [5, 12], { aliases: ['辽沙参'] }),
  h('南沙参', 'nan sha shen', 'Adenophorae Radix', '补虚药', [9, 15], { aliases: ['泡沙参'] }),
  h('百合', 'bai he', 'Lilii Bulbus', '补虚药', [6, 12], { forms: [['蜜百合', '蜜炙']] }),
  h('麦冬', 'mai dong', 'Ophiopogonis Radix', '补虚药', [6, 12], { aliases: ['麦门冬', '寸冬'] }),
  h('天冬', 'tian dong', 'Asparagi Radix', '补虚药', [6, 12], { aliases: ['天门冬'] }),
  h('石斛', 'shi hu', 'Dendrobii Caulis', '补虚药', [6, 12], { aliases: ['金钗石斛'] }),
  h('铁皮石斛', 'tie pi shi hu', 'Dendrobii Officinalis Caulis', '补虚药', [6, 12], { aliases: ['铁皮枫斗'] }),
  h('玉竹', 'yu zhu', 'Polygonati Odorati Rhizoma', '补虚药', [6, 12], { aliases: ['葳蕤'] }),
  h('黄精', 'huang jing', 'Polygonati Rhizoma', '补虚药', [9, 15], { forms: [['酒黄精', '酒炖或酒蒸']] }),
  h('明党参', 'ming dang shen', 'Changii Radix', '补虚药', [6, 12]),
  h('枸杞子', 'gou qi zi', 'Lycii Fructus', '补虚药', [6, 12], { aliases: ['枸杞', '宁夏枸杞', '杞子'] }),
  h('墨旱莲', 'mo han lian', 'Ecliptae Herba', '补虚药', [6, 12], { aliases: ['旱莲草', '旱莲'] }),
  h('女贞子', 'nü zhen zi', 'Ligustri Lucidi Fructus', '补虚药', [6, 12], { forms: [['酒女贞子', '酒炖或酒蒸']] }),
  h('桑椹', 'sang shen', 'Mori Fructus', '补虚药', [9, 15], { aliases: ['桑葚'] }),
  h('黑芝麻', 'hei zhi ma', 'Sesami Semen Nigrum', '补虚药', [9, 15], { aliases: ['胡麻仁'] }),
  h('龟甲', 'gui jia', 'Testudinis Carapax et Plastrum', '补虚药', [9, 24], { handling: '先煎', aliases: ['龟板'], forms: [['醋龟甲', '砂烫醋淬']] }),
  h('龟甲胶', 'gui jia jiao', 'Testudinis Carapacis et Plastri Colla', '补虚药', [3, 9], { handling: '烊化', aliases: ['龟板胶'] }),
  h('鳖甲', 'bie jia', 'Trionycis Carapax', '补虚药', [9, 24], { handling: '先煎', forms: [['醋鳖甲', '砂烫醋淬']] }),

  // ── 收涩药 ─────────────────────────────────────────────────────────────────────────────
  h('麻黄根', 'ma huang gen', 'Ephedrae Radix et Rhizoma', '收涩药', [3, 9]),
  h('五味子', 'wu wei zi', 'Schisandrae Chinensis Fructus', '收涩药', [2, 6], { aliases: ['北五味子', '辽五味子'], forms: [['醋五味子', '醋蒸']] }),
  h('南五味子', 'nan wu wei zi', 'Schisandrae Sphenantherae Fructus', '收涩药', [2, 6], { forms: [['醋南五味子', '醋蒸']] }),
  h('乌梅', 'wu mei', 'Mume Fructus', '收涩药', [6, 12], { forms: [['乌梅肉', '去核'], ['乌梅炭', '炒炭']] }),
  h('五倍子', 'wu bei zi', 'Galla Chinensis', '收涩药', [3, 6]),
  h('罂粟壳', 'ying su qiao', 'Papaveris Pericarpium', '收涩药', [3, 6], { tox: 'toxic', preg: C, aliases: ['米壳'], forms: [['蜜罂粟壳', '蜜炙']] }),
  h('诃子', 'he zi', 'Chebulae Fructus', '收涩药', [3, 10], { aliases: ['诃黎勒'], forms: [['诃子肉', '去核']] }),
  h('石榴皮', 'shi liu pi', 'Granati Pericarpium', '收涩药', [3, 9], { forms: [['石榴皮炭', '炒炭']] }),
  h('肉豆蔻', 'rou dou kou', 'Myristicae Semen', '收涩药', [3, 10], { aliases: ['肉果', '玉果'], forms: [['麸煨肉豆蔻', '麸煨']] }),
  h('赤石脂', 'chi shi zhi', 'Halloysitum Rubrum', '收涩药', [9, 12], { handling: '先煎', preg: W, forms: [['煅赤石脂', '明煅']] }),
  h('禹余粮', 'yu yu liang', 'Limonitum', '收涩药', [9, 15], { handling: '先煎', preg: W, forms: [['煅禹余粮', '煅淬']] }),
  h('山茱萸', 'shan zhu yu', 'Corni Fructus', '收涩药', [6, 12], { aliases: ['山萸肉', '萸肉', '枣皮'], forms: [['酒萸肉', '酒炖或酒蒸']] }),
  h('覆盆子', 'fu pen zi', 'Rubi Fructus', '收涩药', [6, 12]),
  h('桑螵蛸', 'sang piao xiao', 'Mantidis Oötheca', '收涩药', [5, 10]),
  h('金樱子', 'jin ying zi', 'Rosae Laevigatae Fructus', '收涩药', [6, 12], { forms: [['金樱子肉', '去毛核']] }),
  h('海螵蛸', 'hai piao xiao', 'Sepiae Endoconcha', '收涩药', [5, 10], { aliases: ['乌贼骨'] }),
  h('莲子', 'lian zi', 'Nelumbinis Semen', '收涩药', [6, 15], { aliases: ['莲子肉', '莲肉', '建莲'] }),
  h('莲须', 'lian xu', 'Nelumbinis Stamen', '收涩药', [3, 5]),
  h('莲子心', 'lian zi xin', 'Nelumbinis Plumula', '清热药', [2, 5], { aliases: ['莲心'] }),
  h('荷叶', 'he ye', 'Nelumbinis Folium', '清热药', [3, 10], { forms: [['荷叶炭', '煅炭']] }),
  h('芡实', 'qian shi', 'Euryales Semen', '收涩药', [9, 15], { aliases: ['鸡头米'], forms: [['麸炒芡实', '麸炒']] }),
  h('椿皮', 'chun pi', 'Ailanthi Cortex', '收涩药', [6, 9], { aliases: ['椿根皮', '樗白皮'], forms: [['麸炒椿皮', '麸炒']] }),

  // ── 涌吐药 ─────────────────────────────────────────────────────────────────────────────
  h('常山', 'chang shan', 'Dichroae Radix', '涌吐药', [5, 9], { tox: 'toxic', preg: W, forms: [['炒常山', '清炒']] }),
  h('藜芦', 'li lu', 'Veratri Nigri Radix et Rhizoma', '涌吐药', null, { tox: 'toxic', preg: C, source: SRC_TEXTBOOK }),

  // ── 攻毒杀虫止痒药 / 拔毒化腐生肌药 ────────────────────────────────────────────────────
  h('雄黄', 'xiong huang', 'Realgar', '攻毒杀虫止痒药', [0.05, 0.1], { tox: 'toxic', preg: C, decoct: false, aliases: ['明雄黄', '雄黄粉'] }),
  h('硫黄', 'liu huang', 'Sulfur', '攻毒杀虫止痒药', [1.5, 3], { tox: 'toxic', preg: W, decoct: false, aliases: ['石硫黄'], forms: [['制硫黄', '豆腐煮制']] }),
  h('白矾', 'bai fan', 'Alumen', '攻毒杀虫止痒药', [0.6, 1.5], { aliases: ['明矾'], forms: [['枯矾', '明煅']] }),
  h('蛇床子', 'she chuang zi', 'Cnidii Fructus', '攻毒杀虫止痒药', [3, 10], { tox: 'low' }),
  h('蜂房', 'feng fang', 'Vespae Nidus', '攻毒杀虫止痒药', [3, 5], { aliases: ['露蜂房'] }),
  h('大蒜', 'da suan', 'Allii Sativi Bulbus', '攻毒杀虫止痒药', [9, 15]),
  h('木鳖子', 'mu bie zi', 'Momordicae Semen', '攻毒杀虫止痒药', [0.9, 1.2], { tox: 'toxic', preg: W, forms: [['木鳖子霜', '去油制霜']] }),
  h('斑蝥', 'ban mao', 'Mylabris', '攻毒杀虫止痒药', [0.03, 0.06], { tox: 'high', preg: C, decoct: false, forms: [['米斑蝥', '米炒']] }),
  h('蓖麻子', 'bi ma zi', 'Ricini Semen', '攻毒杀虫止痒药', [2, 5], { tox: 'toxic' }),
  h('闹羊花', 'nao yang hua', 'Rhododendri Mollis Flos', '祛风湿药', [0.6, 1.5], { tox: 'high', preg: C, decoct: false, aliases: ['羊踯躅'] }),
  h('天仙子', 'tian xian zi', 'Hyoscyami Semen', '化痰止咳平喘药', [0.06, 0.6], { tox: 'high', preg: C, aliases: ['莨菪子'] }),
  h('轻粉', 'qing fen', 'Calomelas', '拔毒化腐生肌药', [0.1, 0.2], { tox: 'toxic', preg: C, decoct: false, aliases: ['汞粉', '腻粉'] }),
  h('水银', 'shui yin', 'Hydrargyrum', '拔毒化腐生肌药', null, {
    tox: 'high',
    preg: C,
    decoct: false,
    aliases: ['汞'],
    source: '中药学（十九畏）；中国药典2020未收载，外用',
  }),
  h('砒霜', 'pi shuang', 'Arsenicum Sublimatum', '拔毒化腐生肌药', null, {
    tox: 'high',
    preg: C,
    decoct: false,
    aliases: ['砒石', '信石', '白砒', '红砒'],
    source: '中药学（十九畏）；中国药典2020未收载',
  }),
  h('密陀僧', 'mi tuo seng', 'Lithargyrum', '拔毒化腐生肌药', null, {
    tox: 'toxic',
    preg: C,
    decoct: false,
    source: '中药学（十九畏）；中国药典2020未收载，外用',
  }),
];
