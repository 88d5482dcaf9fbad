import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Runs the real CLI (`node bin/bencao.mjs rx-screen`) as integrators do. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function cli(stdin: string, args: string[] = []) {
  const result = spawnSync(process.execPath, ['bin/bencao.mjs', 'rx-screen', ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const patient = { sex: 'F', ageYears: 34, pregnant: false };
const doc = (items: unknown, over: Record<string, unknown> = {}) => JSON.stringify({ patient, decoction: true, doses: 7, items, ...over });

function expectBadInput(stdin: string, field: string, problem?: RegExp, args: string[] = []) {
  const { status, stdout, stderr } = cli(stdin, args);
  expect(status).toBe(2);
  expect(stdout).toBe('');
  const lines = stderr.split('\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith(`${field}: `), lines[0]).toBe(true);
  if (problem) expect(lines[0]).toMatch(problem);
}

describe('bencao rx-screen', () => {
  it('screens a prescription: exit 0, the contract JSON on stdout, nothing on stderr', () => {
    const { status, stdout, stderr } = cli(
      doc([
        { herb: '人参', grams: 9, handling: '另煎' },
        { herb: '炙甘草', grams: 6 },
        { herb: '海藻', grams: 9 },
        { herb: '黄其', grams: 15 },
      ]),
    );
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    const out = JSON.parse(stdout) as { flags: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['flags']);
    expect(out.flags).toEqual([
      { code: 'INCOMPATIBLE_18FAN', severity: 'block', herbs: ['炙甘草', '海藻'], message: '十八反：炙甘草（甘草）与海藻不宜同用。' },
      {
        code: 'UNKNOWN_HERB',
        severity: 'warn',
        herbs: ['黄其'],
        message: expect.stringContaining('未识别的药名“黄其”'),
        suggestions: expect.arrayContaining(['黄芪']),
      },
    ]);
    expect(Object.keys(out.flags[0]!)).toEqual(['code', 'severity', 'herbs', 'message']);
    expect(Object.keys(out.flags[1]!)).toEqual(['code', 'severity', 'herbs', 'message', 'suggestions']);
  });

  it('gives {"flags":[]} for a clean formula', () => {
    const { status, stdout } = cli(
      doc([
        { herb: '人参', grams: 9, handling: '另煎' },
        { herb: '白术', grams: 9 },
        { herb: '茯苓', grams: 12 },
        { herb: '炙甘草', grams: 6 },
      ]),
    );
    expect(status).toBe(0);
    expect(stdout).toBe('{"flags":[]}\n');
  });

  it('writes English messages with --lang en', () => {
    const { status, stdout } = cli(doc([{ herb: '细辛', grams: 5 }]), ['--lang', 'en']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      flags: [
        {
          code: 'DOSE_ABOVE_MAX',
          severity: 'block',
          herbs: ['细辛'],
          message: "细辛 5 g/day is above the maximum of 3 g (1–3 g); needs the physician's signed override.",
        },
      ],
    });
  });

  it.each([
    ['bad JSON', '{"patient":', '(input)', /not valid JSON/],
    ['empty stdin', '', '(input)', /not valid JSON/],
    ['not an object', '[]', '(input)', /must be a JSON object/],
    ['missing items', JSON.stringify({ patient, decoction: true, doses: 7 }), 'items', /is required/],
    ['empty items', doc([]), 'items', /at least 1 item/],
    ['grams 0', doc([{ herb: '人参', grams: 0 }]), 'items.0.grams', /greater than 0/],
    ['grams 1.2345', doc([{ herb: '人参', grams: 1.2345 }]), 'items.0.grams', /at most 3 decimals/],
    ['grams as string', doc([{ herb: '人参', grams: '9' }]), 'items.0.grams', /must be a number/],
    ['herb as number', doc([{ herb: 9, grams: 9 }]), 'items.0.herb', /must be a string/],
    ['second item bad', doc([{ herb: '人参', grams: 9 }, { herb: '', grams: 9 }]), 'items.1.herb', /must not be empty/],
    ['unknown handling', doc([{ herb: '人参', grams: 9, handling: 'boil' }]), 'items.0.handling', /must be one of/],
    ['decoction as string', doc([{ herb: '人参', grams: 9 }], { decoction: 'yes' }), 'decoction', /true or false/],
    ['doses fractional', doc([{ herb: '人参', grams: 9 }], { doses: 2.5 }), 'doses', /whole number/],
    ['sex unknown', doc([{ herb: '人参', grams: 9 }], { patient: { sex: 'X', ageYears: 3 } }), 'patient.sex', /"M" or "F"/],
    ['pregnant male', doc([{ herb: '人参', grams: 9 }], { patient: { sex: 'M', ageYears: 30, pregnant: true } }), 'patient.pregnant', /female/],
  ])('%s: exit 2, one stderr line naming the field, empty stdout', (_case, stdin, field, problem) => {
    expectBadInput(stdin, field, problem);
  });

  it('rejects an unknown language', () => {
    expectBadInput(doc([{ herb: '人参', grams: 9, handling: '另煎' }]), '--lang', /zh or en/, ['--lang', 'fr']);
  });
});
