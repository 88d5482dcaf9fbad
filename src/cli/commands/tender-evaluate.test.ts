import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json.ts';

/** Runs the real CLI (`bin/bencao.mjs tender-evaluate`) from the repository root with `input` on stdin. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
function cli(input: string) {
  const r = spawnSync('node', ['bin/bencao.mjs', 'tender-evaluate'], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lots = [
  { id: 'L1', ceilingFenPerKg: 12000, demandG: 5000000 },
  { id: '黄芪-统货', ceilingFenPerKg: 3000, demandG: 90 },
];
const bids = [
  { id: 'B1', lotId: 'L1', supplierId: 'S1', fenPerKg: 8000, submittedAt: '2026-01-01T08:00:00Z', qualified: true, qualityScore: 70 },
  { id: 'B2', lotId: 'L1', supplierId: 'S2', fenPerKg: 9000, submittedAt: '2026-01-01T09:00:00+08:00', qualified: true, qualityScore: 95 },
  { id: 'B3', lotId: 'L1', supplierId: 'S2', fenPerKg: 7000, submittedAt: '2025-12-31T08:00:00Z', qualified: true, qualityScore: 99 },
  { id: 'B4', lotId: 'L1', supplierId: 'S3', fenPerKg: 12001, submittedAt: '2026-01-01T08:00:00Z', qualified: true, qualityScore: 99 },
  { id: 'B5', lotId: 'L1', supplierId: 'S4', fenPerKg: 8500, submittedAt: '2026-01-01T08:00:00Z', qualified: false, qualityScore: 99 },
];
const vbpInput = { method: 'vbp_price', lots, bids };
const weightedInput = { method: 'weighted_score', weights: { price: 60, quality: 40 }, lots, bids };

function expectBadInput(input: string, field: string) {
  const r = cli(input);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith(`${field}: `)).toBe(true);
  return lines[0]!;
}

describe('bencao tender-evaluate (spawned CLI)', () => {
  it('awards a vbp_price tender: exit 0, one JSON line, sha over the canonical lots', () => {
    const r = cli(JSON.stringify(vbpInput));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().includes('\n')).toBe(false);
    const out = JSON.parse(r.stdout) as { lots: unknown[]; sha256: string };
    expect(Object.keys(out)).toEqual(['lots', 'sha256']);
    expect(out.lots).toEqual([
      {
        lotId: 'L1',
        status: 'awarded',
        validSuppliers: 2,
        anchorFenPerKg: 8000,
        maxWinners: 2,
        share: 0.6,
        agreedG: 3000000,
        winners: [
          { rank: 1, bidId: 'B1', supplierId: 'S1', fenPerKg: 8000 },
          { rank: 2, bidId: 'B2', supplierId: 'S2', fenPerKg: 9000 },
        ],
        rejected: [
          { bidId: 'B3', reason: 'SUPERSEDED' },
          { bidId: 'B4', reason: 'ABOVE_CEILING' },
          { bidId: 'B5', reason: 'NOT_QUALIFIED' },
        ],
      },
      { lotId: '黄芪-统货', status: 'failed', validSuppliers: 0, anchorFenPerKg: null, maxWinners: 0, share: 0, agreedG: 0, winners: [], rejected: [] },
    ]);
    expect(out.sha256).toBe(sha256Hex(canonicalJson(out.lots)));
    expect(r.stdout).toContain('"share":0.6,');
    expect(r.stdout).toContain('黄芪-统货'); // non-ASCII as is
    // Same input, same bytes.
    expect(cli(JSON.stringify({ ...vbpInput, bids: [...bids].reverse() })).stdout).toBe(r.stdout);
  });

  it('awards a weighted_score tender', () => {
    const r = cli(JSON.stringify(weightedInput));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { lots: Array<{ winners: Array<{ bidId: string }> }>; sha256: string };
    // B1: 0.6 × 100 + 0.4 × 70 = 88; B2: 0.6 × 88.9 + 0.4 × 95 = 91.3 → B2 first.
    expect(out.lots[0]!.winners.map((w) => w.bidId)).toEqual(['B2', 'B1']);
    expect(out.sha256).toBe(sha256Hex(canonicalJson(out.lots)));
  });

  it('bad JSON → exit 2, "(input)" named, nothing on stdout', () => {
    expect(expectBadInput('{"method":"vbp_price",', '(input)')).toContain('not valid JSON');
  });

  it('non-integer fen → exit 2 naming bids.1.fenPerKg', () => {
    const input = { ...vbpInput, bids: bids.map((b, i) => (i === 1 ? { ...b, fenPerKg: 8000.5 } : b)) };
    expect(expectBadInput(JSON.stringify(input), 'bids.1.fenPerKg')).toMatch(/whole number/);
  });

  it('unknown lotId → exit 2 naming bids.3.lotId', () => {
    const input = { ...vbpInput, bids: bids.map((b, i) => (i === 3 ? { ...b, lotId: 'L9' } : b)) };
    expect(expectBadInput(JSON.stringify(input), 'bids.3.lotId')).toMatch(/unknown lot "L9"/);
  });

  it('weighted_score without weights → exit 2 naming weights', () => {
    expect(expectBadInput(JSON.stringify({ ...weightedInput, weights: undefined }), 'weights')).toMatch(/required/);
  });

  it('weighted_score without a quality score → exit 2 naming bids.0.qualityScore', () => {
    const { qualityScore: _dropped, ...first } = bids[0]!;
    expectBadInput(JSON.stringify({ ...weightedInput, bids: [first, ...bids.slice(1)] }), 'bids.0.qualityScore');
  });

  it('duplicate bid id → exit 2 naming the later occurrence', () => {
    expect(expectBadInput(JSON.stringify({ ...vbpInput, bids: [...bids, bids[0]] }), 'bids.5.id')).toMatch(/duplicate bid id "B1"/);
  });

  it('unknown method → exit 2 naming method', () => {
    expect(expectBadInput(JSON.stringify({ ...vbpInput, method: 'lowest' }), 'method')).toMatch(/vbp_price, weighted_score/);
  });

  it('submittedAt without an offset → exit 2 naming bids.2.submittedAt', () => {
    const input = { ...vbpInput, bids: bids.map((b, i) => (i === 2 ? { ...b, submittedAt: '2026-01-01T08:00:00' } : b)) };
    expectBadInput(JSON.stringify(input), 'bids.2.submittedAt');
  });
});
