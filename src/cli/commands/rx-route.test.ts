import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliInputError } from '../io.ts';
import { run, summary } from './rx-route.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function cli(input: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('node', ['bin/bencao.mjs', 'rx-route'], { cwd: ROOT, input, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const pharmacy = (over: Record<string, unknown> = {}) => ({
  id: 'p1',
  lat: 30.27,
  lng: 120.19,
  open: true,
  decoction: true,
  capacityLeft: 12,
  stockG: { 黄芪: 5000 },
  ...over,
});

const input = (over: Record<string, unknown> = {}) => ({
  rx: { items: [{ herb: '黄芪', grams: 30 }], doses: 7, decoction: true, patient: { lat: 30.25, lng: 120.16 } },
  maxKm: 50,
  limit: 5,
  pharmacies: [pharmacy()],
  ...over,
});

/** The `field` of the CliInputError `run` throws for `doc` (what the CLI prints before the colon). */
function fieldOf(doc: unknown): string {
  try {
    run(JSON.stringify(doc), []);
  } catch (error) {
    if (error instanceof CliInputError) return error.field;
    throw error;
  }
  throw new Error('input was accepted');
}

describe('bencao rx-route (spawned CLI)', () => {
  it('prints the ranked candidates and exits 0', () => {
    const doc = input({
      pharmacies: [
        pharmacy({ id: 'p2', lat: 30.27, lng: 120.19 }),
        pharmacy({ id: 'p1', lat: 30.27, lng: 120.19 }),
        pharmacy({ id: 'closed', lat: 30.25, lng: 120.16, open: false }),
        pharmacy({ id: 'no-decoction', lat: 30.25, lng: 120.16, decoction: false }),
        pharmacy({ id: 'short', lat: 30.25, lng: 120.16, stockG: { 黄芪: 209.999 } }),
        pharmacy({ id: 'far', lat: 31.2304, lng: 121.4737 }),
      ],
    });
    const { status, stdout, stderr } = cli(JSON.stringify(doc));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe('{"candidates":[{"id":"p1","km":3.64},{"id":"p2","km":3.64}]}\n');
  });

  it.each([
    ['a bad pharmacy latitude', JSON.stringify(input({ pharmacies: [pharmacy(), pharmacy({ id: 'p2' }), pharmacy({ id: 'p3', lat: 91 })] })), /^pharmacies\.2\.lat: .+\n$/],
    ['a duplicate pharmacy id', JSON.stringify(input({ pharmacies: [pharmacy(), pharmacy({ id: 'p2' }), pharmacy()] })), /^pharmacies\.2\.id: duplicate pharmacy id "p1" \(also pharmacies\.0\.id\)\n$/],
    ['grams with 4 decimals', JSON.stringify(input({ rx: { ...input().rx, items: [{ herb: '黄芪', grams: 0.0001 }] } })), /^rx\.items\.0\.grams: must have at most 3 decimals.*\n$/],
    ['invalid JSON', '{"rx":', /^\(input\): not valid JSON .*\n$/],
    ['an empty document', '', /^\(input\): not valid JSON .*\n$/],
  ])('exits 2 with one stderr line naming the field for %s, printing nothing', (_name, text, line) => {
    const { status, stdout, stderr } = cli(text);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(line);
    expect(stderr.split('\n')).toHaveLength(2);
  });
});

describe('rx-route input validation (in process)', () => {
  it('has a one-line summary', () => {
    expect(summary).toMatch(/^[^\n]+$/);
  });

  it('accepts the contract example and ranks it', () => {
    expect(JSON.parse(run(JSON.stringify(input()), []) as string)).toEqual({ candidates: [{ id: 'p1', km: 3.64 }] });
  });

  it('accepts grams with 3 decimals, an omitted maxKm/limit and extra fields', () => {
    const doc = {
      rx: { items: [{ herb: '细辛', grams: 0.1, handling: '后下' }], doses: 3, decoction: false, patient: { lat: 30.25, lng: 120.16 }, usage: '每日1剂' },
      pharmacies: [pharmacy({ stockG: { 细辛: 0.3 }, name: '胡庆余堂' }), pharmacy({ id: 'p0', stockG: { 细辛: 0.299 } })],
    };
    expect(JSON.parse(run(JSON.stringify(doc), []) as string)).toEqual({ candidates: [{ id: 'p1', km: 3.64 }] });
  });

  it('applies the defaults maxKm 50 and limit 5', () => {
    const pharmacies = Array.from({ length: 8 }, (_, i) => pharmacy({ id: `p${i}`, lat: 30.25 + i * 0.06, lng: 120.16 }));
    const { candidates } = JSON.parse(run(JSON.stringify({ rx: input().rx, pharmacies }), []) as string) as {
      candidates: Array<{ id: string; km: number }>;
    };
    expect(candidates.map((c) => c.id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(candidates.every((c) => c.km <= 50)).toBe(true);
  });

  it('prints an empty list when nothing qualifies', () => {
    expect(run(JSON.stringify(input({ pharmacies: [] })), [])).toBe('{"candidates":[]}');
  });

  const rx = input().rx;
  it.each<[string, unknown, string]>([
    ['rx missing', { pharmacies: [] }, 'rx'],
    ['no items', input({ rx: { ...rx, items: [] } }), 'rx.items'],
    ['61 items', input({ rx: { ...rx, items: Array.from({ length: 61 }, (_, i) => ({ herb: `h${i}`, grams: 1 })) } }), 'rx.items'],
    ['empty herb', input({ rx: { ...rx, items: [{ herb: '', grams: 1 }] } }), 'rx.items.0.herb'],
    ['zero grams', input({ rx: { ...rx, items: [{ herb: 'a', grams: 0 }] } }), 'rx.items.0.grams'],
    ['negative grams', input({ rx: { ...rx, items: [{ herb: 'a', grams: -1 }] } }), 'rx.items.0.grams'],
    ['grams 1.0005', input({ rx: { ...rx, items: [{ herb: 'a', grams: 1 }, { herb: 'b', grams: 1.0005 }] } }), 'rx.items.1.grams'],
    ['grams as text', input({ rx: { ...rx, items: [{ herb: 'a', grams: '30' }] } }), 'rx.items.0.grams'],
    ['grams × doses overflow', input({ rx: { ...rx, items: [{ herb: 'a', grams: 1e9 }], doses: 1e7 } }), 'rx.items.0.grams'],
    ['fractional doses', input({ rx: { ...rx, doses: 1.5 } }), 'rx.doses'],
    ['zero doses', input({ rx: { ...rx, doses: 0 } }), 'rx.doses'],
    ['decoction as text', input({ rx: { ...rx, decoction: 'yes' } }), 'rx.decoction'],
    ['patient lat 90.5', input({ rx: { ...rx, patient: { lat: 90.5, lng: 0 } } }), 'rx.patient.lat'],
    ['patient lng -181', input({ rx: { ...rx, patient: { lat: 0, lng: -181 } } }), 'rx.patient.lng'],
    ['maxKm 0', input({ maxKm: 0 }), 'maxKm'],
    ['maxKm 5001', input({ maxKm: 5001 }), 'maxKm'],
    ['limit 0', input({ limit: 0 }), 'limit'],
    ['limit 101', input({ limit: 101 }), 'limit'],
    ['limit 2.5', input({ limit: 2.5 }), 'limit'],
    ['pharmacies missing', { rx }, 'pharmacies'],
    ['pharmacy id empty', input({ pharmacies: [pharmacy({ id: '' })] }), 'pharmacies.0.id'],
    ['pharmacy id number', input({ pharmacies: [pharmacy({ id: 7 })] }), 'pharmacies.0.id'],
    ['pharmacy lng 180.1', input({ pharmacies: [pharmacy({ lng: 180.1 })] }), 'pharmacies.0.lng'],
    ['pharmacy open missing', input({ pharmacies: [pharmacy({ open: undefined })] }), 'pharmacies.0.open'],
    ['pharmacy decoction as 1', input({ pharmacies: [pharmacy({ decoction: 1 })] }), 'pharmacies.0.decoction'],
    ['capacity -1', input({ pharmacies: [pharmacy({ capacityLeft: -1 })] }), 'pharmacies.0.capacityLeft'],
    ['capacity 0.5', input({ pharmacies: [pharmacy({ capacityLeft: 0.5 })] }), 'pharmacies.0.capacityLeft'],
    ['negative stock', input({ pharmacies: [pharmacy({ stockG: { 黄芪: -1 } })] }), 'pharmacies.0.stockG.黄芪'],
    ['stock as array', input({ pharmacies: [pharmacy({ stockG: [1] })] }), 'pharmacies.0.stockG'],
    ['duplicate id', input({ pharmacies: [pharmacy({ id: 'a' }), pharmacy({ id: 'b' }), pharmacy({ id: 'a' })] }), 'pharmacies.2.id'],
    ['not an object', [1, 2], '(input)'],
  ])('refuses %s naming %s', (_name, doc, field) => {
    expect(fieldOf(doc)).toBe(field);
  });

  it('accepts the boundary values', () => {
    const doc = input({
      maxKm: 5000,
      limit: 100,
      rx: { ...rx, items: Array.from({ length: 60 }, (_, i) => ({ herb: `h${i}`, grams: 0.001 })), patient: { lat: -90, lng: 180 } },
      pharmacies: [pharmacy({ lat: 90, lng: -180, capacityLeft: 0, stockG: {} })],
    });
    expect(JSON.parse(run(JSON.stringify(doc), []) as string)).toEqual({ candidates: [] });
  });
});
