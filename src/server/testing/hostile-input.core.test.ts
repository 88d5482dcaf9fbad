import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEEP_NESTING,
  HOSTILE_VALUES,
  HUGE_VALUES,
  formatPath,
  inputJsonSchema,
  mutatedInputArb,
  nearValidArb,
  nodePaths,
  renderWith,
  verdictFor,
  wrongShapeArb,
} from './hostile-input.core.ts';

/** A schema shaped like the API's: nested objects, arrays, enums, bounds, formats, optionals, dates. */
const order = z.object({
  id: z.string().min(1).max(64),
  kind: z.enum(['raw', 'decoction_piece']),
  grams: z.number().int().positive().max(1_000_000),
  ratio: z.number().min(0).max(1),
  email: z.email().optional(),
  due: z.coerce.date(),
  code: z.string().regex(/^\d{6}$/),
  note: z.string().max(500).nullable().optional(),
  items: z.array(z.object({ herb: z.string().min(1).max(20), grams: z.number().int().min(1).max(500) })).min(1).max(5),
  flags: z.record(z.string(), z.boolean()).optional(),
});
const orderJson = inputJsonSchema(order);

describe('hostile input from zod schemas', () => {
  it('near-valid values of a schema without unexpressed refinements are valid', () => {
    fc.assert(fc.property(nearValidArb(orderJson), (v) => order.safeParse(v).success), { numRuns: 200 });
  });

  it('hints supply strings for named properties (real ids), and only for those', () => {
    const hints = { stringFor: (key: string) => (key === 'id' ? fc.constant('lot_real') : undefined) };
    fc.assert(
      fc.property(nearValidArb(orderJson, hints), (v) => {
        const value = v as { id: string; items: { herb: string }[] };
        return value.id === 'lot_real' && value.items.every((i) => i.herb !== 'lot_real');
      }),
      { numRuns: 50 },
    );
  });

  it('a mutation changes exactly the one field it names and leaves the rest as generated', () => {
    fc.assert(
      fc.property(mutatedInputArb(orderJson), (input) => {
        const m = input.mutation!;
        expect(m).not.toBeNull();
        if ('hostile' in m && HUGE_VALUES.some((h) => h.label === m.hostile)) return true; // checked by the next test
        const parsed = JSON.parse(input.json) as Record<string, unknown>;
        if (m.kind === 'remove') {
          expect(nodePaths(parsed).map(formatPath)).not.toContain(formatPath(m.path));
        } else if (m.kind === 'extraKey') {
          let node: unknown = parsed;
          for (const k of m.path) node = (node as Record<string | number, unknown>)[k];
          expect(Object.keys(node as object)).toContain(m.key);
        } else {
          const hostile = HOSTILE_VALUES.find((h) => h.label === m.hostile)!;
          let node: unknown = parsed;
          for (const k of m.path) node = (node as Record<string | number, unknown>)[k];
          expect(JSON.stringify(node)).toBe(JSON.stringify(JSON.parse(hostile.json)));
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('renders huge values as JSON text no serialiser could produce, and the verdict names the field', () => {
    const base = { id: 'x', items: [{ herb: '黄芪', grams: 9 }] };
    for (const h of HUGE_VALUES) {
      const json = renderWith(base, ['items', 0, 'herb'], h.json);
      expect(json.length).toBeGreaterThan(DEEP_NESTING);
      const verdict = verdictFor(order, json);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.fields.some((f) => f.startsWith('items'))).toBe(true);
    }
  });

  it('wrong shapes are refused by the schema (or are not JSON), and the verdict says why', () => {
    fc.assert(
      fc.property(wrongShapeArb(orderJson), (input) => {
        const verdict = verdictFor(order, input.json);
        return !verdict.ok && (verdict.reason === 'json' ? verdict.fields.length === 0 : verdict.fields.length > 0);
      }),
      { numRuns: 200 },
    );
  });

  it('the verdict refuses NUL and lone surrogates before the schema, naming the field', () => {
    const loose = z.object({ note: z.string(), items: z.array(z.string()) });
    expect(verdictFor(loose, JSON.stringify({ note: 'a\u0000b', items: [] }))).toEqual({ ok: false, reason: 'guard', fields: ['note'] });
    expect(verdictFor(loose, JSON.stringify({ note: 'ok', items: ['x', '\uD800'] }))).toEqual({ ok: false, reason: 'guard', fields: ['items.1'] });
    expect(verdictFor(loose, '{"note":"ok","items":[]}')).toMatchObject({ ok: true });
    expect(verdictFor(loose, '{"note":')).toEqual({ ok: false, reason: 'json', fields: [] });
  });
});
