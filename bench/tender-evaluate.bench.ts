/**
 * Tender evaluation throughput: `evaluateTender` (core) against a naive, straightforward implementation
 * run in the same process on the same generated tenders.
 *
 * Cases:
 * - the first TCM decoction-piece alliance (DOMAIN.md "Scale"): 21 lots (> 5,000 t in total), 100
 *   suppliers each bidding on most lots, some resubmitting; both methods;
 * - a granule-alliance-sized batch: 200 lots × 500 suppliers (about half bid on each lot).
 *
 * Both implementations produce the full CONTRACTS.md output including the SHA-256 of the canonical JSON,
 * and the check rows assert that they agree byte for byte.
 */
import { loadavg } from 'node:os';
import { canonicalJson, sha256Hex } from '../src/lib/canonical-json.ts';
import { evaluateTender } from '../src/server/domains/tenders/evaluation.core.ts';
import { tenderInputSchema, type LotResult, type TenderInput, type TenderResult } from '../src/server/domains/tenders/evaluation.types.ts';
import { percentile, writeReport, type BenchRow } from './lib/report.ts';
import { prng as mulberry32 } from './lib/prng.ts';

// ---------------------------------------------------------------------------------------------------
// Data

interface GenOptions {
  seed: number;
  lots: number;
  suppliers: number;
  participation: number;
  method: 'vbp_price' | 'weighted_score';
}

function generateTender(o: GenOptions): TenderInput {
  const rnd = mulberry32(o.seed);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const base = Date.parse('2026-03-01T00:00:00Z');
  const lots = Array.from({ length: o.lots }, (_, i) => ({
    id: `L${String(i + 1).padStart(3, '0')}`,
    ceilingFenPerKg: int(50, 500) * 100,
    demandG: int(150, 350) * 1_000_000, // 150–350 t per variety
  }));
  const qualified = Array.from({ length: o.suppliers }, () => rnd() < 0.95);
  const quality = Array.from({ length: o.suppliers }, () => int(6000, 10000) / 100);
  const bids: Array<Record<string, unknown>> = [];
  let next = 0;
  for (const lot of lots) {
    for (let s = 0; s < o.suppliers; s++) {
      if (rnd() >= o.participation) continue;
      const at = base + int(0, 14 * 86400) * 1000;
      const price = Math.round(lot.ceilingFenPerKg * (0.35 + rnd() * 0.7)); // ~7 % above the ceiling
      const common = { lotId: lot.id, supplierId: `S${String(s + 1).padStart(4, '0')}`, qualified: qualified[s], qualityScore: quality[s] };
      if (rnd() < 0.1) {
        // An earlier, dearer submission that the later one supersedes.
        bids.push({ id: `B${String(++next).padStart(7, '0')}`, ...common, fenPerKg: Math.round(price * 1.08), submittedAt: new Date(at - int(1, 86400) * 1000).toISOString() });
      }
      bids.push({ id: `B${String(++next).padStart(7, '0')}`, ...common, fenPerKg: price, submittedAt: new Date(at).toISOString() });
    }
  }
  // Arrival order, not grouped by lot.
  for (let i = bids.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [bids[i], bids[j]] = [bids[j]!, bids[i]!];
  }
  const weights = o.method === 'weighted_score' ? { weights: { price: 60, quality: 40 } } : {};
  // Through JSON text, as the CLI and the API receive it (flat strings, not template-literal ropes).
  return tenderInputSchema.parse(JSON.parse(JSON.stringify({ method: o.method, lots, bids, ...weights })));
}

// ---------------------------------------------------------------------------------------------------
// Naive baseline: a direct transcription of the rules — per lot, scan all bids; per bid, scan its
// supplier's other bids; re-parse dates in comparators; float scores; localeCompare for ids.

function naiveEvaluate(input: TenderInput): TenderResult {
  const table = [0, 1, 2, 2, 3, 3, 3, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10];
  const lots: LotResult[] = input.lots.map((lot) => {
    const lotBids = input.bids.filter((b) => b.lotId === lot.id);
    const reasons: Record<string, LotResult['rejected'][number]['reason']> = {};
    const counting = lotBids.filter((b) => {
      const newer = lotBids.find(
        (o) =>
          o !== b &&
          o.supplierId === b.supplierId &&
          (new Date(o.submittedAt).getTime() > new Date(b.submittedAt).getTime() ||
            (new Date(o.submittedAt).getTime() === new Date(b.submittedAt).getTime() && o.id > b.id)),
      );
      if (newer) reasons[b.id] = 'SUPERSEDED';
      return !newer;
    });
    const valid = counting.filter((b) => {
      if (!b.qualified) reasons[b.id] = 'NOT_QUALIFIED';
      else if (b.fenPerKg > lot.ceilingFenPerKg) reasons[b.id] = 'ABOVE_CEILING';
      return reasons[b.id] === undefined;
    });
    const rejected = () =>
      Object.keys(reasons)
        .sort((a, b) => a.localeCompare(b))
        .map((bidId) => ({ bidId, reason: reasons[bidId]! }));
    if (valid.length === 0) {
      return { lotId: lot.id, status: 'failed', validSuppliers: 0, anchorFenPerKg: null, maxWinners: 0, share: 0, agreedG: 0, winners: [], rejected: rejected() };
    }
    const anchor = Math.min(...valid.map((b) => b.fenPerKg));
    const maxWinners = table[Math.min(valid.length, 16)]!;
    const tie = (a: (typeof valid)[number], b: (typeof valid)[number]) =>
      a.fenPerKg - b.fenPerKg || new Date(a.submittedAt).getTime() - new Date(b.submittedAt).getTime() || a.id.localeCompare(b.id);
    let ranked: typeof valid;
    if (input.method === 'vbp_price') {
      ranked = valid.filter((b) => {
        const ok = b.fenPerKg <= 1.8 * anchor || b.fenPerKg <= 0.5 * lot.ceilingFenPerKg;
        if (!ok) reasons[b.id] = 'ABOVE_ANCHOR_LIMIT';
        return ok;
      });
      ranked.sort(tie);
    } else {
      const w = input.weights;
      const score = (b: (typeof valid)[number]) => (w.price * (anchor / b.fenPerKg) * 100 + w.quality * (b.qualityScore ?? 0)) / (w.price + w.quality);
      ranked = [...valid].sort((a, b) => score(b) - score(a) || tie(a, b));
    }
    ranked.slice(maxWinners).forEach((b) => (reasons[b.id] = 'OUT_OF_SHORTLIST'));
    const winners = ranked.slice(0, maxWinners).map((b, i) => ({ rank: i + 1, bidId: b.id, supplierId: b.supplierId, fenPerKg: b.fenPerKg }));
    const share = [0, 0.5, 0.6, 0.7][winners.length] ?? 0.8;
    return {
      lotId: lot.id,
      status: 'awarded',
      validSuppliers: valid.length,
      anchorFenPerKg: anchor,
      maxWinners,
      share,
      agreedG: Math.floor(lot.demandG * share),
      winners,
      rejected: rejected(),
    };
  });
  return { lots, sha256: sha256Hex(canonicalJson(lots)) };
}

// ---------------------------------------------------------------------------------------------------
// Run

interface Case {
  name: string;
  input: TenderInput;
  /** Wall-clock budget for the interleaved core/naive runs of this case, and the warm-up rounds. */
  budgetMs: number;
  warmup: number;
}

interface Samples {
  wall: number[];
  cpu: number[];
}

/** One timed call: wall-clock and process CPU (user + system) milliseconds. */
function timeOnce(fn: () => unknown, into: Samples): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  into.wall.push(wall);
  into.cpu.push((cpu.user + cpu.system) / 1000);
}

/**
 * Alternates core and naive calls (so both see the same machine load) until the budget is spent, with
 * at least `minRounds` timed rounds after `warmup` untimed ones.
 */
function interleave(fns: Array<() => unknown>, budgetMs: number, minRounds: number, warmup: number): Samples[] {
  const samples = fns.map((): Samples => ({ wall: [], cpu: [] }));
  for (let w = 0; w < warmup; w++) for (const fn of fns) fn();
  const started = performance.now();
  for (let round = 0; round < minRounds || performance.now() - started < budgetMs; round++) {
    if (round >= 500) break;
    fns.forEach((fn, i) => timeOnce(fn, samples[i]!));
  }
  return samples;
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function row(name: string, bids: number, impl: string, s: Samples): BenchRow {
  const p50 = median(s.wall);
  return {
    case: name,
    bids,
    impl,
    'ms/eval p50': p50,
    'ms/eval min': Math.min(...s.wall),
    'cpu ms/eval': mean(s.cpu),
    'evals/s (p50)': Number((1000 / p50).toFixed(1)),
    runs: s.wall.length,
  };
}

export default async function tenderEvaluateBench(): Promise<void> {
  const started = performance.now();
  const cases: Case[] = [
    { name: 'alliance 21 lots, vbp_price', input: generateTender({ seed: 21, lots: 21, suppliers: 100, participation: 0.7, method: 'vbp_price' }), budgetMs: 700, warmup: 3 },
    { name: 'alliance 21 lots, weighted_score', input: generateTender({ seed: 22, lots: 21, suppliers: 100, participation: 0.7, method: 'weighted_score' }), budgetMs: 700, warmup: 3 },
    { name: '200 lots × 500 suppliers, vbp_price', input: generateTender({ seed: 200, lots: 200, suppliers: 500, participation: 0.5, method: 'vbp_price' }), budgetMs: 0, warmup: 1 },
  ];

  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  const checks: Record<string, string | number | boolean> = {};
  for (const c of cases) {
    const core = evaluateTender(c.input);
    const naive = naiveEvaluate(c.input);
    checks[`${c.name}: naive output identical to core`] = JSON.stringify(naive) === JSON.stringify(core);
    checks[`${c.name}: lots awarded / failed, winners`] =
      `${core.lots.filter((l) => l.status === 'awarded').length} / ${core.lots.filter((l) => l.status === 'failed').length}, ` +
      `${core.lots.reduce((n, l) => n + l.winners.length, 0)}`;

    const [coreS, naiveS] = interleave([() => evaluateTender(c.input), () => naiveEvaluate(c.input)], c.budgetMs, c.warmup === 1 ? 2 : 3, c.warmup);
    rows.push(row(c.name, c.input.bids.length, 'core', coreS!), row(c.name, c.input.bids.length, 'naive', naiveS!));
    ratios[`core ÷ naive speed (p50 wall), ${c.name}`] = median(naiveS!.wall) / median(coreS!.wall);
    ratios[`core ÷ naive speed (cpu), ${c.name}`] = mean(naiveS!.cpu) / mean(coreS!.cpu);
  }

  // How much of an evaluation is the canonical JSON + SHA-256 of the award (the large case).
  const large = evaluateTender(cases[2]!.input);
  const [hashS] = interleave([() => sha256Hex(canonicalJson(large.lots))], 500, 5, 1);
  rows.push(row('200 × 500: canonical JSON + SHA-256 of lots only', cases[2]!.input.bids.length, 'canonicalJson', hashS!));
  checks['load average (1 min) at the end'] = Number(loadavg()[0]!.toFixed(2));
  checks['total bench time (s)'] = Number(((performance.now() - started) / 1000).toFixed(1));

  writeReport({
    name: 'tender-evaluate',
    description:
      'evaluateTender (exact integer/rational comparisons, one pass per lot) vs a naive transcription of the rules ' +
      '(per-lot scans of all bids, O(k²) supersession, Date parsing in comparators, float scores), same process, same generated ' +
      'tenders, calls interleaved so both see the same load. Both include canonical JSON + SHA-256 of the lots. ' +
      'cpu = process user+system time per call (includes GC threads); compare it with wall time to see contention.',
    rows,
    ratios,
    checks,
  });
}
