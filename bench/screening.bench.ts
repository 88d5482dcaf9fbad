/**
 * Prescription safety screening throughput (`bencao rx-screen`, `POST /api/v1/prescriptions/screen`):
 * `screenPrescription` with its compiled knowledge (herb-name index and 十八反/十九畏 rules, built once
 * and cached) against the same core recompiling the knowledge for every prescription — what a
 * straightforward implementation that loads its tables per request would pay — on the same generated
 * prescriptions in this process, plus the bare input validation (zod) the endpoint does first.
 *
 * Prescriptions (seeded, reproducible): 4–20 items drawn from the herb master, written as the standard
 * name, an alias, a processed form or in traditional characters; 1 % unknown names (typos, so the
 * "did you mean" path runs); 5 % with an incompatible pair; 10 % for pregnant patients; 40 % 代煎; doses
 * within the reference ranges, 3 % of items above.
 */
import { loadavg } from 'node:os';
import { HERBS } from '../src/server/domains/catalog/herb-master.data.ts';
import { INCOMPATIBILITIES } from '../src/server/domains/prescriptions/incompatibility.data.ts';
import { screenPrescription, type ScreeningInput, type ScreeningResult } from '../src/server/domains/prescriptions/screening.core.ts';
import { rxScreenInputSchema } from '../src/server/domains/prescriptions/screening.types.ts';
import { percentile, writeReport, type BenchRow } from './lib/report.ts';
import { prng } from './lib/prng.ts';

const PRESCRIPTIONS = 20_000;
const NAIVE_SAMPLE = 500;
const WARMUP = 300;

/** A few simplified → traditional swaps seen in hospital systems that still emit 繁體. */
const TRADITIONAL: Record<string, string> = { 黄: '黃', 芪: '芪', 归: '歸', 参: '參', 术: '朮', 苓: '苓', 药: '藥', 乌: '烏', 龙: '龍', 连: '連' };
const toTraditional = (name: string): string => [...name].map((c) => TRADITIONAL[c] ?? c).join('');

function generate(seed: number): ScreeningInput[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const decoctable = HERBS.filter((h) => h.forDecoction && h.dose);
  const out: ScreeningInput[] = [];
  for (let n = 0; n < PRESCRIPTIONS; n++) {
    const count = 4 + Math.floor(random() * 17);
    const items: { herb: string; grams: number }[] = [];
    for (let i = 0; i < count; i++) {
      const herb = pick(decoctable);
      const r = random();
      let name = herb.name;
      if (r < 0.15 && herb.aliases.length) name = pick(herb.aliases);
      else if (r < 0.25 && herb.processedForms.length) name = pick(herb.processedForms).name;
      else if (r < 0.32) name = toTraditional(herb.name);
      else if (r < 0.33) name = `${herb.name.slice(0, 1)}㐅${herb.name.slice(1)}`; // a typo nobody knows
      const dose = herb.dose!;
      const over = random() < 0.03 ? 1.5 : 1; // 3 % of items above the reference maximum
      const grams = Math.max(0.5, Math.round((dose.minG + random() * (dose.maxG - dose.minG)) * over * 2) / 2);
      items.push({ herb: name, grams });
    }
    if (random() < 0.05) {
      const rule = pick(INCOMPATIBILITIES);
      items.push({ herb: rule.sideA[0]!, grams: 6 }, { herb: rule.sideB[0]!, grams: 9 });
    }
    const pregnant = random() < 0.1;
    out.push({
      patient: { sex: pregnant || random() < 0.5 ? 'F' : 'M', ageYears: 18 + Math.floor(random() * 70), pregnant },
      decoction: random() < 0.4,
      doses: 3 + Math.floor(random() * 12),
      items,
    });
  }
  return out;
}

interface Timing {
  micros: Float64Array;
  wallMs: number;
  results: unknown[];
}

function time<T>(inputs: readonly ScreeningInput[], run: (input: ScreeningInput) => T): Timing {
  for (let i = 0; i < Math.min(WARMUP, inputs.length); i++) run(inputs[i]!);
  const micros = new Float64Array(inputs.length);
  const results: unknown[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < inputs.length; i++) {
    const t0 = process.hrtime.bigint();
    results.push(run(inputs[i]!));
    micros[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  micros.sort();
  return { micros, wallMs, results };
}

export default async function screeningBench(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const inputs = generate(20_261_206);
  const sample = inputs.slice(0, NAIVE_SAMPLE);

  const validate = time(inputs, (input) => rxScreenInputSchema.parse(input));
  const compiled = time(inputs, (input) => screenPrescription(input));
  // Fresh copies of the tables defeat the compiled-knowledge cache: the knowledge is rebuilt every time.
  const naive = time(sample, (input) => screenPrescription(input, { herbs: [...HERBS], incompatibilities: [...INCOMPATIBILITIES] }));

  const results = compiled.results as ScreeningResult[];
  let agree = 0;
  for (let i = 0; i < sample.length; i++) if (JSON.stringify(naive.results[i]) === JSON.stringify(results[i])) agree++;
  const flagged = (code: string): number => results.filter((r) => r.flags.some((f) => f.code === code)).length;
  const blocked = results.filter((r) => r.flags.some((f) => f.severity === 'block')).length;

  const row = (variant: string, t: Timing): BenchRow => ({
    variant,
    prescriptions: t.micros.length,
    'p50 (µs)': Number(percentile(t.micros, 50).toFixed(1)),
    'p99 (µs)': Number(percentile(t.micros, 99).toFixed(1)),
    'prescriptions/s': Math.round((t.micros.length / t.wallMs) * 1000),
  });
  const rate = (t: Timing): number => t.micros.length / t.wallMs;
  writeReport({
    name: 'screening',
    description:
      `rx-screen: ${PRESCRIPTIONS.toLocaleString('en-US')} generated prescriptions (4–20 items; aliases, processed forms, ` +
      `traditional characters, 1 % unknown names, 5 % incompatible pairs, 10 % pregnant) through screenPrescription with ` +
      `its compiled knowledge, the same core recompiling the knowledge per prescription (${NAIVE_SAMPLE} of them), and the ` +
      `bare zod validation of the same input, in one process.`,
    rows: [row('zod input validation only', validate), row('screenPrescription (compiled knowledge)', compiled), row('screenPrescription, knowledge rebuilt per call', naive)],
    ratios: {
      'compiled ÷ rebuilt per call (prescriptions/s)': rate(compiled) / rate(naive),
      'screening ÷ validation alone (prescriptions/s)': rate(compiled) / rate(validate),
    },
    checks: {
      'identical flags, compiled vs rebuilt': `${agree}/${sample.length}`,
      'prescriptions with a blocking flag': blocked,
      'with UNKNOWN_HERB': flagged('UNKNOWN_HERB'),
      'with 十八反': flagged('INCOMPATIBLE_18FAN'),
      'load average (1 min) before / after': `${loadBefore.toFixed(2)} / ${(loadavg()[0] ?? 0).toFixed(2)}`,
    },
  });
  if (agree !== sample.length) throw new Error(`screening bench: compiled and rebuilt knowledge disagree on ${sample.length - agree} prescriptions`);
}
