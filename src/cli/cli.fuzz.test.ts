import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { main } from './main.ts';
import { rxScreenInputSchema } from '../server/domains/prescriptions/screening.types.ts';
import { rxRouteInputSchema } from '../server/domains/routing/routing.types.ts';
import { tenderInputSchema } from '../server/domains/tenders/evaluation.types.ts';
import { failureReport, fuzzRuns, fuzzSeed } from '../server/testing/fuzz-harness.ts';
import { DEEP_NESTING, deepArrayJson, formatPath, fuzzInput, fuzzInputArb, HOSTILE_STRINGS, HUGE_VALUES, inputJsonSchema, MALFORMED_JSON, mutationArb, preview, renderWith, type FuzzInput, type JsonPath } from '../server/testing/hostile-input.core.ts';

/**
 * Every CLI command of CONTRACTS.md (rx-screen, tender-evaluate, rx-route, match-replay) is fed hostile
 * stdin: near-valid documents (derived from the command's zod schema, and the contract's own examples)
 * with one field made hostile, wholly wrong shapes, malformed JSON, the 1 MB string and 10,000-deep
 * nestings. `main()` runs in-process; a few runs spawn the real `bencao` binary to prove the process
 * survives. Bad input: exit 2, nothing on stdout, one stderr line `field: problem` naming the field the
 * schema names, no stack trace. Good input: exit 0 and JSON on stdout. Never exit 1, never a throw.
 */

const RUNS_PER_COMMAND = fuzzRuns(200);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const seed = fuzzSeed();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `main(argv)` in-process with `stdin`, capturing what it writes. */
async function runMain(argv: string[], stdin: string): Promise<Run> {
  const stdinDescriptor = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  const writes = { stdout: [] as string[], stderr: [] as string[] };
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  Object.defineProperty(process, 'stdin', { configurable: true, get: () => Readable.from([Buffer.from(stdin)]) });
  process.stdout.write = ((chunk: string | Uint8Array) => writes.stdout.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => writes.stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: writes.stdout.join(''), stderr: writes.stderr.join('') };
  } catch (error) {
    return { code: null, stdout: writes.stdout.join(''), stderr: `main() threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    Object.defineProperty(process, 'stdin', stdinDescriptor);
  }
}

const STACK_TRACE = /\n\s+at |\.tsx?:\d+|node_modules/;

/** Problems of a run that must be refused: exit 2, empty stdout, one stderr line naming one of `fields`. */
function refusalProblems(run: Run, fields: string[] | null): string[] {
  const problems: string[] = [];
  if (run.code !== 2) problems.push(`exit ${run.code}, expected 2 (stderr: ${preview(run.stderr, 200)})`);
  if (run.stdout !== '') problems.push(`wrote to stdout: ${preview(run.stdout, 120)}`);
  const lines = run.stderr.split('\n').filter(Boolean);
  if (lines.length !== 1) problems.push(`${lines.length} stderr lines, expected 1: ${preview(run.stderr, 200)}`);
  if (STACK_TRACE.test(run.stderr)) problems.push(`stderr leaks a stack trace: ${preview(run.stderr, 200)}`);
  if (fields && lines[0] && !fields.some((f) => lines[0]!.startsWith(`${f}: `))) problems.push(`stderr names ${JSON.stringify(lines[0]!.split(': ')[0])}, expected one of ${fields.join(', ')}`);
  return problems;
}

function successProblems(run: Run): string[] {
  if (run.code !== 0) return [`a valid document: exit ${run.code} (stderr: ${preview(run.stderr, 200)})`];
  if (run.stderr !== '') return [`a valid document wrote to stderr: ${preview(run.stderr, 120)}`];
  try {
    for (const line of run.stdout.split('\n').filter(Boolean)) JSON.parse(line);
    return [];
  } catch {
    return [`stdout is not JSON: ${preview(run.stdout, 120)}`];
  }
}

/** The fields a refusal of `json` may name (the schema's first issue; `(input)` for malformed JSON), or [] when the schema accepts it. */
function expectedFields(schema: z.ZodType, json: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return ['(input)'];
  }
  const result = schema.safeParse(value);
  return result.success ? [] : [formatPath(result.error.issues[0]!.path as JsonPath)];
}

// The contract's examples (CONTRACTS.md), the valid bases of one family of mutations.
const EXAMPLES: Record<string, unknown> = {
  'rx-screen': { patient: { sex: 'F', ageYears: 34, pregnant: false }, decoction: true, doses: 7, items: [{ herb: '人参', grams: 9, handling: '另煎' }, { herb: '藜芦', grams: 3 }] },
  'tender-evaluate': {
    method: 'vbp_price',
    lots: [{ id: 'L1', ceilingFenPerKg: 12000, demandG: 5000000 }],
    bids: [
      { id: 'B1', lotId: 'L1', supplierId: 'S1', fenPerKg: 8000, submittedAt: '2026-01-01T08:00:00Z', qualified: true },
      { id: 'B2', lotId: 'L1', supplierId: 'S2', fenPerKg: 9000, submittedAt: '2026-01-01T09:00:00Z', qualified: true },
    ],
  },
  'rx-route': {
    rx: { items: [{ herb: '黄芪', grams: 30 }], doses: 7, decoction: true, patient: { lat: 30.25, lng: 120.16 } },
    maxKm: 50,
    limit: 5,
    pharmacies: [{ id: 'p1', lat: 30.26, lng: 120.17, open: true, decoction: true, capacityLeft: 12, stockG: { 黄芪: 5000 } }],
  },
};

const DOCUMENT_COMMANDS: [string, z.ZodType][] = [
  ['rx-screen', rxScreenInputSchema],
  ['tender-evaluate', tenderInputSchema],
  ['rx-route', rxRouteInputSchema],
];

describe('CLI fuzzing', () => {
  it('the JSON commands answer hostile documents with exit 2 and one stderr line naming the field, never a crash', async () => {
    const started = performance.now();
    const failures: string[] = [];
    let runs = 0;
    for (const [index, [command, schema]] of DOCUMENT_COMMANDS.entries()) {
      const arb = fc.oneof(fuzzInputArb(inputJsonSchema(schema)), mutationArb(EXAMPLES[command]));
      const examples = [...HUGE_VALUES, ...MALFORMED_JSON].map((h) => [fuzzInput(h.json, `stdin := ${h.label}`, null)] as [FuzzInput]);
      examples.push([fuzzInput(JSON.stringify(EXAMPLES[command]), 'the contract example', null)]);
      await fc.assert(
        fc.asyncProperty(arb, async (input) => {
          runs += 1;
          const run = await runMain([command], input.json);
          const fields = expectedFields(schema, input.json);
          const problems = fields.length ? refusalProblems(run, fields) : successProblems(run);
          for (const problem of problems) failures.push(`bencao ${command} [${input.label}] ${preview(input.json, 120)}: ${problem}`);
        }),
        { numRuns: RUNS_PER_COMMAND + examples.length, seed: seed + index, examples },
      );
    }
    console.log(`CLI fuzz (JSON commands): ${DOCUMENT_COMMANDS.length} commands, ${runs} runs in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${seed})`);
    expect(failures, failureReport('CLI fuzz', seed, failures)).toEqual([]);
  }, 120_000);

  it('match-replay answers hostile JSON Lines with exit 2 naming the line and field, or replays them; never a crash', async () => {
    const failures: string[] = [];
    const lines = [
      { type: 'limit', id: 'o1', instrument: 'huangqi-tonghuo', side: 'sell', qtyG: 100000, fenPerKg: 3500, tif: 'GTC' },
      { type: 'limit', id: 'o2', instrument: 'huangqi-tonghuo', side: 'buy', qtyG: 50000, fenPerKg: 3600, tif: 'IOC' },
      { type: 'cancel', id: 'o1' },
    ];
    const streamArb = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: lines.length - 1 }), fc.integer({ min: 0, max: lines.length - 1 }).chain((i) => mutationArb(lines[i]))).map(([at, line]) => ({
        label: `line ${at + 1}: ${line.label}`,
        text: lines.map((l, i) => (i === at ? line.json : JSON.stringify(l))).join('\n'),
      })),
      fc.constantFrom(...HUGE_VALUES, ...MALFORMED_JSON, ...HOSTILE_STRINGS.slice(0, 10)).map((h) => ({ label: `line 2 := ${h.label}`, text: [JSON.stringify(lines[0]), h.json, JSON.stringify(lines[2])].join('\n') })),
    );
    // Every field of the limit line once with each huge value.
    const examples = Object.keys(lines[0]!).flatMap((field) =>
      HUGE_VALUES.map((h) => [{ label: `line 1: ${field} := ${h.label}`, text: [renderWith(lines[0], [field], h.json), JSON.stringify(lines[1])].join('\n') }] as [{ label: string; text: string }]),
    );
    await fc.assert(
      fc.asyncProperty(streamArb, async (stream) => {
        const run = await runMain(['match-replay'], stream.text);
        const problems = run.code === 0 ? successProblems(run) : refusalProblems(run, null);
        if (run.code === 2 && !/^line \d+(: [\w.]+)?: /.test(run.stderr)) problems.push(`stderr does not name the line: ${preview(run.stderr, 120)}`);
        const where = `bencao match-replay [${stream.label}] ${preview(stream.text, 120)}`;
        for (const problem of problems) failures.push(`${where}: ${problem}`);
      }),
      { numRuns: RUNS_PER_COMMAND + examples.length, seed, examples },
    );
    expect(failures, failureReport('CLI match-replay fuzz', seed, failures)).toEqual([]);
  }, 120_000);

  it('bad command names and options exit 2 with one stderr line', async () => {
    const failures: string[] = [];
    const cases: [string[], string][] = [
      [['../../etc/passwd'], ''],
      [['rx-screen/../../x'], ''],
      [['RX-SCREEN'], ''],
      [['rx-screen\u0000'], ''],
      [['x'.repeat(10_000)], ''],
      [['rx-screen', '--lang', 'fr'], JSON.stringify(EXAMPLES['rx-screen'])],
      [['rx-screen', '--lang'], JSON.stringify(EXAMPLES['rx-screen'])],
      [['rx-screen', '--lang=<script>'], JSON.stringify(EXAMPLES['rx-screen'])],
      [['rx-screen', "'; DROP TABLE x; --"], JSON.stringify(EXAMPLES['rx-screen'])],
      [[], ''],
    ];
    for (const [argv, stdin] of cases) {
      const run = await runMain(argv, stdin);
      const problems = argv.length === 0 ? (run.code === 2 ? [] : [`exit ${run.code}, expected 2`]) : refusalProblems(run, null);
      for (const problem of problems) failures.push(`bencao ${preview(argv.join(' '), 60)}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it('the real binary survives the worst inputs: exit 2 and one line on stderr, no stack trace', () => {
    const failures: string[] = [];
    const cases: [string, string | Buffer, string][] = [
      ['rx-screen', deepArrayJson(), `stdin nested ${DEEP_NESTING} deep`],
      ['tender-evaluate', `{"method":"vbp_price","lots":[],"bids":[{"id":"${'A'.repeat(1_000_000)}"}]}`, 'a 1 MB bid id'],
      ['rx-route', Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]), 'invalid UTF-8'],
      ['match-replay', `${'{"a":'.repeat(DEEP_NESTING)}1${'}'.repeat(DEEP_NESTING)}`, `a line nested ${DEEP_NESTING} deep`],
    ];
    for (const [command, input, label] of cases) {
      const result = spawnSync(process.execPath, ['bin/bencao.mjs', command], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
      const problems = refusalProblems({ code: result.status, stdout: result.stdout, stderr: result.stderr }, null);
      for (const problem of problems) failures.push(`bencao ${command} [${label}]: ${problem}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
