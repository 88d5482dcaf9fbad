import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliInputError } from '../io.ts';
import { run as runCommand, summary } from './match-replay.ts';

/** The command is synchronous; `CliCommand` allows a promise, so narrow it for the tests. */
function run(stdin: string, args: string[]): string {
  const out = runCommand(stdin, args);
  if (typeof out !== 'string') throw new Error('match-replay should answer synchronously');
  return out;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function cli(input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['bin/bencao.mjs', 'match-replay'], { cwd: ROOT, input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const line = (o: Record<string, unknown>): string => JSON.stringify(o);
const L = (id: string, side: string, qtyG: unknown, fenPerKg: unknown, tif = 'GTC', instrument = 'huangqi-tonghuo'): string =>
  line({ type: 'limit', id, instrument, side, qtyG, fenPerKg, tif });

const GOOD = [
  L('s1', 'sell', 100000, 3500),
  L('s2', 'sell', 50000, 3400),
  L('s3', 'sell', 30000, 3500),
  '',
  L('b1', 'buy', 120000, 3600, 'IOC'),
  line({ type: 'cancel', id: 's2' }),
  line({ type: 'cancel', id: 's3' }),
  L('b2', 'buy', 0, 3600, 'GTC', 'dangshen'),
  L('b3', 'buy', 1000, 3.5, 'GTC', 'dangshen'),
  L('b4', 'buy', 1000, 3300, 'GTC', 'dangshen'),
  L('b4', 'buy', 1000, 3300, 'GTC', 'dangshen'),
  L('b5', 'buy', 500, 3300, 'GTC', 'dangshen'),
  L('b6', 'buy', 700, 3200, 'GTC', 'dangshen'),
  L('x1', 'sell', 10, 1, 'IOC', 'baizhu'),
].join('\n');

const GOOD_OUT = [
  '{"type":"trade","instrument":"huangqi-tonghuo","buyId":"b1","sellId":"s2","qtyG":50000,"fenPerKg":3400}',
  '{"type":"trade","instrument":"huangqi-tonghuo","buyId":"b1","sellId":"s1","qtyG":70000,"fenPerKg":3500}',
  '{"type":"rejected","id":"s2","reason":"not_resting"}',
  '{"type":"rejected","id":"b2","reason":"invalid_quantity"}',
  '{"type":"rejected","id":"b3","reason":"invalid_price"}',
  '{"type":"rejected","id":"b4","reason":"duplicate_id"}',
  '{"type":"book","instrument":"baizhu","bids":[],"asks":[]}',
  '{"type":"book","instrument":"dangshen","bids":[[3300,1500],[3200,700]],"asks":[]}',
  '{"type":"book","instrument":"huangqi-tonghuo","bids":[],"asks":[[3500,30000]]}',
];

describe('bencao match-replay (spawned CLI)', () => {
  it('replays a good stream: events in order, then one book per instrument, sorted', () => {
    const r = cli(`${GOOD}\n`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${GOOD_OUT.join('\n')}\n`);
  });

  it('exits 2 on a structurally bad line: one stderr line naming line and field, nothing on stdout', () => {
    const r = cli([L('s1', 'sell', 100, 3500), '', L('b1', 'bid', 100, 3500)].join('\n'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('line 3: side: must be "buy" or "sell", got "bid"\n');
  });
});

describe('match-replay command (in process)', () => {
  it('has a summary and accepts CRLF line endings and blank lines', () => {
    expect(summary).toMatch(/matching engine/);
    const input = `${L('s1', 'sell', 10, 100)}\r\n\r\n   \r\n${L('b1', 'buy', 4, 120)}\r\n`;
    expect(run(input, [])).toBe(
      [
        '{"type":"trade","instrument":"huangqi-tonghuo","buyId":"b1","sellId":"s1","qtyG":4,"fenPerKg":100}',
        '{"type":"book","instrument":"huangqi-tonghuo","bids":[],"asks":[[100,6]]}',
      ].join('\n'),
    );
  });

  it('ignores a leading byte-order mark', () => {
    expect(run(`\uFEFF${L('s1', 'sell', 1, 1)}`, [])).toBe('{"type":"book","instrument":"huangqi-tonghuo","bids":[],"asks":[[1,1]]}');
  });

  it('gives empty output for empty input', () => {
    expect(run('', [])).toBe('');
    expect(run('\n\n', [])).toBe('');
  });

  it('rejects non-integer, missing or non-number quantities and prices as events, not bad input', () => {
    const input = [
      line({ type: 'limit', id: 'a', instrument: 'i', side: 'buy', fenPerKg: 10, tif: 'GTC' }),
      line({ type: 'limit', id: 'b', instrument: 'i', side: 'buy', qtyG: '100', fenPerKg: 10, tif: 'GTC' }),
      line({ type: 'limit', id: 'c', instrument: 'i', side: 'buy', qtyG: -1, fenPerKg: 10, tif: 'GTC' }),
      line({ type: 'limit', id: 'd', instrument: 'i', side: 'buy', qtyG: 1, fenPerKg: null, tif: 'GTC' }),
      line({ type: 'limit', id: 'e', instrument: 'i', side: 'buy', qtyG: 1e300, fenPerKg: 1, tif: 'GTC' }),
    ].join('\n');
    expect(run(input, []).split('\n')).toEqual([
      '{"type":"rejected","id":"a","reason":"invalid_quantity"}',
      '{"type":"rejected","id":"b","reason":"invalid_quantity"}',
      '{"type":"rejected","id":"c","reason":"invalid_quantity"}',
      '{"type":"rejected","id":"d","reason":"invalid_price"}',
      '{"type":"rejected","id":"e","reason":"invalid_quantity"}',
    ]);
  });

  it.each([
    ['{"type":"limit",', 'line 1', /^not valid JSON/],
    ['[1,2]', 'line 1', /JSON object/],
    ['null', 'line 1', /JSON object/],
    [line({ type: 'market', id: 'a' }), 'line 1: type', /"limit" or "cancel", got "market"/],
    [line({ type: 'amend', id: 'a', qtyG: 1 }), 'line 1: type', /got "amend"/],
    [line({ id: 'a' }), 'line 1: type', /got nothing/],
    [line({ type: 'cancel' }), 'line 1: id', /non-empty string, got nothing/],
    [line({ type: 'cancel', id: 7 }), 'line 1: id', /got 7/],
    [line({ type: 'limit', id: '', instrument: 'i', side: 'buy', qtyG: 1, fenPerKg: 1, tif: 'GTC' }), 'line 1: id', /non-empty/],
    [line({ type: 'limit', id: 'a', side: 'buy', qtyG: 1, fenPerKg: 1, tif: 'GTC' }), 'line 1: instrument', /got nothing/],
    [line({ type: 'limit', id: 'a', instrument: 'i', qtyG: 1, fenPerKg: 1, tif: 'GTC' }), 'line 1: side', /got nothing/],
    [line({ type: 'limit', id: 'a', instrument: 'i', side: 'BUY', qtyG: 1, fenPerKg: 1, tif: 'GTC' }), 'line 1: side', /got "BUY"/],
    [line({ type: 'limit', id: 'a', instrument: 'i', side: 'buy', qtyG: 1, fenPerKg: 1 }), 'line 1: tif', /got nothing/],
    [line({ type: 'limit', id: 'a', instrument: 'i', side: 'buy', qtyG: 1, fenPerKg: 1, tif: 'FOK' }), 'line 1: tif', /got "FOK"/],
  ])('bad input %s → %s', (input, field, problem) => {
    let error: unknown;
    try {
      run(input, []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliInputError);
    expect((error as CliInputError).field).toBe(field);
    expect((error as CliInputError).problem).toMatch(problem);
  });

  it('counts every physical line, blank ones included, and checks all lines before running any', () => {
    const input = [L('s1', 'sell', 1, 1), '', '', line({ type: 'cancel', id: 's1' }), '{"type":"cancel"}'].join('\n');
    expect(() => run(input, [])).toThrow(expect.objectContaining({ field: 'line 5: id' }));
  });
});
