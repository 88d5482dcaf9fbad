import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInputProblem, isWellFormedId, MAX_INPUT_DEPTH, textProblem } from './input-guard.core.ts';

describe('input guard', () => {
  it('finds NUL and lone surrogates in values and keys, naming the path', () => {
    expect(findInputProblem({ a: [{ b: 'x\u0000' }] })).toEqual({ field: 'a.0.b', problem: 'nul' });
    expect(findInputProblem({ items: ['ok', '\uD800'] })).toEqual({ field: 'items.1', problem: 'loneSurrogate' });
    expect(findInputProblem({ 'bad\u0000key': 1 })).toEqual({ field: 'bad\u0000key', problem: 'nul' });
    expect(findInputProblem({ '': '\u0000' })).toEqual({ field: '""', problem: 'nul' });
    expect(findInputProblem('\uDC00')).toEqual({ field: '(input)', problem: 'loneSurrogate' });
  });

  it('accepts well-formed text of every script, emoji (surrogate pairs) and control-free structures', () => {
    expect(findInputProblem({ name: '黄芪 🌿 Z̴á \u202E １２', at: new Date(), n: -0, list: [null, true, 1e308] })).toBeNull();
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
      const text = JSON.stringify(v);
      return findInputProblem(v) === null || text.includes('\\u0000') || /\\ud[89a-f]/i.test(text);
    }));
  });

  it('refuses nesting deeper than the limit without recursing (a 100,000-deep input does not exhaust the stack)', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(findInputProblem(deep)).toEqual({ field: '0', problem: 'tooDeep' });
    const nested = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown;
    expect(findInputProblem(nested(MAX_INPUT_DEPTH))).toBeNull();
    expect(findInputProblem(nested(MAX_INPUT_DEPTH + 1))).toEqual({ field: 'a', problem: 'tooDeep' });
  });

  it('route ids: 1–64 characters of storable text', () => {
    expect(isWellFormedId('upl_01m955snmh8s77ft03x1qy1nj5')).toBe(true);
    for (const bad of ['', 'a\u0000', '\uD800', 'x'.repeat(65)]) expect(isWellFormedId(bad)).toBe(false);
    expect(textProblem('🌿')).toBeNull();
  });
});
