import { HERBS, type Handling, type HerbRecord } from '../catalog/herb-master.data.ts';
import { compareCodePoints, HerbIndex, herbIndex, normalizeHerbQuery, type HerbMatch } from '../catalog/herb-names.core.ts';
import { INCOMPATIBILITIES, type IncompatibilityKind, type IncompatibilityRule } from './incompatibility.data.ts';
import { gramsToMg, mgToGramsText } from './screening.types.ts';

/**
 * Automatic safety screening of one TCM prescription before pharmacist review (DOMAIN.md
 * "Prescriptions → Safety screening", CONTRACTS.md `bencao rx-screen`). Pure and deterministic: the
 * knowledge is data (herb master, 十八反/十九畏 table), the checks below are a table of rules over it.
 *
 * - INCOMPATIBLE_18FAN / INCOMPATIBLE_19WEI (block): one flag per incompatible pair of items, matched
 *   across aliases, processed forms, processed herbs' bases and traditional characters.
 * - DOSE_ABOVE_MAX (block) / DOSE_BELOW_MIN (warn): grams per dose (= daily dose) against the range
 *   of the resolved record.
 * - NOT_FOR_DECOCTION: 入丸散 herbs; block when 代煎 is requested, warn otherwise.
 * - PREGNANCY_CONTRAINDICATED (block) / PREGNANCY_CAUTION (warn): only for a pregnant patient.
 * - HANDLING_MISSING: warn when a required handling is missing, info when a different one is given
 *   or when the handling is conditional (大黄 后下 only when used 泻下).
 * - UNKNOWN_HERB (warn): with up to 3 "did you mean" suggestions; unknown items are never dropped.
 * - DUPLICATE_HERB (warn): items resolving to the same herb and processing (甘草 + 国老).
 * Flags are sorted by severity (block, warn, info), code, then `herbs` element by element (code
 * points, shorter first), then message.
 */

export const SEVERITIES = ['block', 'warn', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SCREENING_CODES = [
  'INCOMPATIBLE_18FAN',
  'INCOMPATIBLE_19WEI',
  'DOSE_ABOVE_MAX',
  'DOSE_BELOW_MIN',
  'NOT_FOR_DECOCTION',
  'PREGNANCY_CONTRAINDICATED',
  'PREGNANCY_CAUTION',
  'HANDLING_MISSING',
  'UNKNOWN_HERB',
  'DUPLICATE_HERB',
] as const;
export type ScreeningCode = (typeof SCREENING_CODES)[number];

export interface ScreeningFlag {
  readonly code: ScreeningCode;
  readonly severity: Severity;
  /** The item names as written in the input, in input order. */
  readonly herbs: readonly string[];
  readonly message: string;
  /** Only on UNKNOWN_HERB: standard names of up to 3 similar herbs, best first. */
  readonly suggestions?: readonly string[];
}

export interface ScreeningResult {
  readonly flags: readonly ScreeningFlag[];
}

export interface ScreeningItem {
  readonly herb: string;
  readonly grams: number;
  readonly handling?: Handling | undefined;
}

export interface ScreeningInput {
  readonly patient: { readonly sex: 'M' | 'F'; readonly ageYears: number; readonly pregnant?: boolean | undefined };
  readonly decoction: boolean;
  readonly doses: number;
  readonly items: readonly ScreeningItem[];
}

/** Message language: zh (zh-CN, the default) or en. */
export type ScreeningLocale = 'zh' | 'zh-CN' | 'en';

/** The data screening runs on; defaults to HERBS and INCOMPATIBILITIES. */
export interface ScreeningKnowledge {
  readonly herbs?: readonly HerbRecord[];
  readonly incompatibilities?: readonly IncompatibilityRule[];
}

export interface ScreeningOptions extends ScreeningKnowledge {
  readonly locale?: ScreeningLocale;
}

// ── compiled knowledge ──────────────────────────────────────────────────────────────────────

interface CompiledRule {
  readonly rule: IncompatibilityRule;
  readonly sideA: ReadonlySet<string>;
  readonly sideB: ReadonlySet<string>;
}

export interface CompiledKnowledge {
  readonly index: HerbIndex;
  readonly rules: readonly CompiledRule[];
}

const compiledCache = new WeakMap<readonly HerbRecord[], WeakMap<readonly IncompatibilityRule[], CompiledKnowledge>>();

/**
 * Resolves the names of every incompatibility rule to herb records (官桂 → 肉桂). Throws on a name the
 * herb master does not know: the two data files must agree. Cached per pair of lists.
 */
export function compileKnowledge(
  herbs: readonly HerbRecord[] = HERBS,
  incompatibilities: readonly IncompatibilityRule[] = INCOMPATIBILITIES,
): CompiledKnowledge {
  let byRules = compiledCache.get(herbs);
  if (!byRules) {
    byRules = new WeakMap();
    compiledCache.set(herbs, byRules);
  }
  const cached = byRules.get(incompatibilities);
  if (cached) return cached;
  const index = herbs === HERBS ? herbIndex() : new HerbIndex(herbs);
  const side = (rule: IncompatibilityRule, names: readonly string[]) =>
    new Set(
      names.map((name) => {
        const match = index.resolve(name);
        if (!match) throw new Error(`incompatibility ${rule.id}: herb "${name}" is not in the herb master`);
        return match.herb.name;
      }),
    );
  const compiled: CompiledKnowledge = {
    index,
    rules: incompatibilities.map((rule) => ({ rule, sideA: side(rule, rule.sideA), sideB: side(rule, rule.sideB) })),
  };
  byRules.set(incompatibilities, compiled);
  return compiled;
}

// ── messages ────────────────────────────────────────────────────────────────────────────────

interface Text {
  readonly zh: string;
  readonly en: string;
}

const HANDLING_EN: Record<Handling, string> = {
  先煎: 'decocted first',
  后下: 'added near the end',
  包煎: 'decocted in a cloth bag',
  另煎: 'decocted separately',
  烊化: 'melted into the strained decoction',
  冲服: 'taken mixed into the decoction',
};

const CONDITION_EN: Readonly<Record<string, string>> = { 泻下: 'purging (泻下)' };

const KIND: Record<IncompatibilityKind, { code: ScreeningCode; zh: string; en: string }> = {
  '18fan': { code: 'INCOMPATIBLE_18FAN', zh: '十八反', en: '18 incompatibilities (十八反)' },
  '19wei': { code: 'INCOMPATIBLE_19WEI', zh: '十九畏', en: '19 antagonisms (十九畏)' },
};

function range(herb: HerbRecord): { zh: string; en: string } {
  if (!herb.dose) return { zh: '', en: '' };
  const { minG, maxG } = herb.dose;
  return { zh: `（${minG}–${maxG}g）`, en: `, ${minG}–${maxG} g` };
}

// ── resolved items ──────────────────────────────────────────────────────────────────────────

interface ResolvedItem {
  readonly written: string;
  readonly mg: number;
  readonly handling: Handling | undefined;
  readonly match: HerbMatch;
  /** The record's name and its bases' names (制川乌 → 制川乌, 川乌). */
  readonly family: readonly string[];
  /** Written name, with the standard name when it differs: 炙甘草（甘草）. */
  readonly label: Text;
}

function familyOf(herb: HerbRecord, index: HerbIndex): string[] {
  const names = [herb.name];
  let base = herb.baseHerb;
  while (base !== undefined && !names.includes(base)) {
    names.push(base);
    base = index.get(base)?.baseHerb;
  }
  return names;
}

function labelOf(written: string, herb: HerbRecord): Text {
  if (normalizeHerbQuery(written) === herb.name) return { zh: written, en: written };
  return { zh: `${written}（${herb.name}）`, en: `${written} (${herb.name})` };
}

// ── rules ───────────────────────────────────────────────────────────────────────────────────

interface Finding {
  readonly severity: Severity;
  readonly text: Text;
}

interface ItemRule {
  readonly code: ScreeningCode;
  readonly check: (item: ResolvedItem, rx: ScreeningInput) => Finding | undefined;
}

/** The handling an item's herb needs, and whether it is conditional (大黄: only when 泻下). */
function requiredHandling(match: HerbMatch): { handling: Handling; condition?: string } | undefined {
  if (match.form && match.form.handling !== undefined) {
    return match.form.handling === null ? undefined : { handling: match.form.handling };
  }
  const { handling, handlingNote } = match.herb;
  if (handling === null) return undefined;
  return handlingNote === undefined ? { handling } : { handling, condition: handlingNote };
}

const ITEM_RULES: readonly ItemRule[] = [
  {
    code: 'DOSE_ABOVE_MAX',
    check: ({ match: { herb }, mg, label }) => {
      if (!herb.dose || mg <= gramsToMg(herb.dose.maxG)) return undefined;
      const g = mgToGramsText(mg);
      const { minG, maxG } = herb.dose;
      return {
        severity: 'block',
        text: {
          zh: `${label.zh}：日用量${g}g，超过药典上限${maxG}g（${minG}–${maxG}g），需医师签名确认超剂量（双签）。`,
          en: `${label.en} ${g} g/day is above the maximum of ${maxG} g (${minG}–${maxG} g); needs the physician's signed override.`,
        },
      };
    },
  },
  {
    code: 'DOSE_BELOW_MIN',
    check: ({ match: { herb }, mg, label }) => {
      if (!herb.dose || mg >= gramsToMg(herb.dose.minG)) return undefined;
      const g = mgToGramsText(mg);
      const { minG, maxG } = herb.dose;
      return {
        severity: 'warn',
        text: {
          zh: `${label.zh}：日用量${g}g，低于药典下限${minG}g（${minG}–${maxG}g）。`,
          en: `${label.en} ${g} g/day is below the minimum of ${minG} g (${minG}–${maxG} g).`,
        },
      };
    },
  },
  {
    code: 'NOT_FOR_DECOCTION',
    check: ({ match: { herb }, label }, rx) => {
      if (herb.forDecoction) return undefined;
      const r = range(herb);
      return rx.decoction
        ? {
            severity: 'block',
            text: {
              zh: `${label.zh}：宜入丸散${r.zh}，不宜入煎剂；本处方要求代煎。`,
              en: `${label.en} is for pills or powders only (入丸散${r.en}), not for decoction; this prescription asks for decoction.`,
            },
          }
        : {
            severity: 'warn',
            text: {
              zh: `${label.zh}：宜入丸散${r.zh}，不宜入煎剂，请确认服用方法。`,
              en: `${label.en} is for pills or powders only (入丸散${r.en}), not for decoction; check how it is to be taken.`,
            },
          };
    },
  },
  {
    code: 'PREGNANCY_CONTRAINDICATED',
    check: ({ match: { herb }, label }, rx) =>
      rx.patient.pregnant === true && herb.pregnancy === 'contraindicated'
        ? { severity: 'block', text: { zh: `${label.zh}：孕妇禁用。`, en: `${label.en} is contraindicated in pregnancy (孕妇禁用).` } }
        : undefined,
  },
  {
    code: 'PREGNANCY_CAUTION',
    check: ({ match: { herb }, label }, rx) =>
      rx.patient.pregnant === true && herb.pregnancy === 'caution'
        ? { severity: 'warn', text: { zh: `${label.zh}：孕妇慎用。`, en: `${label.en}: use with caution in pregnancy (孕妇慎用).` } }
        : undefined,
  },
  {
    code: 'HANDLING_MISSING',
    check: ({ match, handling: given, label }) => {
      const needed = requiredHandling(match);
      if (!needed || given === needed.handling) return undefined;
      const h = needed.handling;
      const when =
        needed.condition === undefined
          ? { zh: '', en: '' }
          : { zh: `用于${needed.condition}时`, en: ` when used for ${CONDITION_EN[needed.condition] ?? needed.condition}` };
      if (given === undefined) {
        return {
          severity: needed.condition === undefined ? 'warn' : 'info',
          text: {
            zh: `${label.zh}：${when.zh}应${h}，处方未注明。`,
            en: `${label.en} should be ${h} (${HANDLING_EN[h]})${when.en}; the prescription does not say so.`,
          },
        };
      }
      return {
        severity: 'info',
        text: {
          zh: `${label.zh}：${when.zh}应${h}，处方注明为${given}，请核对。`,
          en: `${label.en} should be ${h} (${HANDLING_EN[h]})${when.en}, not ${given} (${HANDLING_EN[given]}); please check.`,
        },
      };
    },
  },
];

interface PairFinding {
  readonly code: ScreeningCode;
  readonly items: readonly ResolvedItem[];
  readonly severity: Severity;
  readonly text: Text;
}

/** 十八反 / 十九畏: one flag per incompatible pair of items and kind (the first matching rule). */
function incompatibilityFindings(items: readonly ResolvedItem[], rules: readonly CompiledRule[]): PairFinding[] {
  const out: PairFinding[] = [];
  const inSide = (item: ResolvedItem, side: ReadonlySet<string>) => item.family.some((name) => side.has(name));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      const seen = new Set<IncompatibilityKind>();
      for (const { rule, sideA, sideB } of rules) {
        if (seen.has(rule.kind)) continue;
        const hit = (inSide(a, sideA) && inSide(b, sideB)) || (inSide(a, sideB) && inSide(b, sideA));
        if (!hit) continue;
        seen.add(rule.kind);
        const kind = KIND[rule.kind];
        out.push({
          code: kind.code,
          items: [a, b],
          severity: 'block',
          text: {
            zh: `${kind.zh}：${a.label.zh}与${b.label.zh}不宜同用。`,
            en: `${kind.en}: ${a.label.en} and ${b.label.en} must not be used together.`,
          },
        });
      }
    }
  }
  return out;
}

/** Items resolving to the same herb and the same processing: one flag per group. */
function duplicateFindings(items: readonly ResolvedItem[]): PairFinding[] {
  const groups = new Map<string, ResolvedItem[]>();
  for (const item of items) {
    const key = `${item.match.herb.name}\u0000${item.match.processing ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const out: PairFinding[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const { herb, processing } = group[0]!.match;
    const target = processing === undefined ? { zh: herb.name, en: herb.name } : { zh: `${herb.name}（${processing}）`, en: `${herb.name} (${processing})` };
    const names = group.map((item) => item.written);
    out.push({
      code: 'DUPLICATE_HERB',
      items: group,
      severity: 'warn',
      text: {
        zh: `重复药味：${names.join('、')}均为${target.zh}。`,
        en: `Duplicate herb: ${names.join(', ')} are all ${target.en}.`,
      },
    });
  }
  return out;
}

function unknownText(written: string, suggestions: readonly string[]): Text {
  return suggestions.length > 0
    ? {
        zh: `未识别的药名“${written}”，是否为：${suggestions.join('、')}？`,
        en: `Unknown herb "${written}"; did you mean ${suggestions.join(', ')}?`,
      }
    : { zh: `未识别的药名“${written}”，请核对。`, en: `Unknown herb "${written}"; please check the name.` };
}

// ── screening ───────────────────────────────────────────────────────────────────────────────

const SEVERITY_RANK: Record<Severity, number> = { block: 0, warn: 1, info: 2 };

/** Contract order: severity (block, warn, info), code, herbs element by element, then message. */
export function compareFlags(a: ScreeningFlag, b: ScreeningFlag): number {
  const bySeverity = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (bySeverity !== 0) return bySeverity;
  const byCode = compareCodePoints(a.code, b.code);
  if (byCode !== 0) return byCode;
  const n = Math.min(a.herbs.length, b.herbs.length);
  for (let i = 0; i < n; i++) {
    const c = compareCodePoints(a.herbs[i]!, b.herbs[i]!);
    if (c !== 0) return c;
  }
  if (a.herbs.length !== b.herbs.length) return a.herbs.length - b.herbs.length;
  return compareCodePoints(a.message, b.message);
}

/** Screens one prescription. `options.locale` 'en' gives English messages (default zh-CN). */
export function screenPrescription(input: ScreeningInput, options: ScreeningOptions = {}): ScreeningResult {
  const lang: keyof Text = options.locale === 'en' ? 'en' : 'zh';
  const { index, rules } = compileKnowledge(options.herbs ?? HERBS, options.incompatibilities ?? INCOMPATIBILITIES);
  const flags: ScreeningFlag[] = [];
  const resolved: ResolvedItem[] = [];

  for (const item of input.items) {
    const match = index.resolve(item.herb);
    if (!match) {
      const suggestions = index.suggest(item.herb, 3).map((herb) => herb.name);
      flags.push({
        code: 'UNKNOWN_HERB',
        severity: 'warn',
        herbs: [item.herb],
        message: unknownText(item.herb, suggestions)[lang],
        suggestions,
      });
      continue;
    }
    resolved.push({
      written: item.herb,
      mg: gramsToMg(item.grams),
      handling: item.handling,
      match,
      family: familyOf(match.herb, index),
      label: labelOf(item.herb, match.herb),
    });
  }

  for (const item of resolved) {
    for (const rule of ITEM_RULES) {
      const finding = rule.check(item, input);
      if (finding) flags.push({ code: rule.code, severity: finding.severity, herbs: [item.written], message: finding.text[lang] });
    }
  }

  for (const finding of [...incompatibilityFindings(resolved, rules), ...duplicateFindings(resolved)]) {
    flags.push({
      code: finding.code,
      severity: finding.severity,
      herbs: finding.items.map((item) => item.written),
      message: finding.text[lang],
    });
  }

  return { flags: flags.sort(compareFlags) };
}
