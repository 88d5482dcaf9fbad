import { describe, expect, it } from 'vitest';
import { oneParam, pickParam } from './search-params.ts';

describe('search params', () => {
  it('reads a parameter given once, trimmed; absent or repeated reads as empty', () => {
    expect(oneParam(' bid ')).toBe('bid');
    expect(oneParam(undefined)).toBe('');
    expect(oneParam(['bid', 'register'])).toBe('');
  });

  it('keeps only allowed values', () => {
    expect(pickParam(['a', 'b'] as const, 'b')).toBe('b');
    expect(pickParam(['a', 'b'] as const, 'B')).toBeUndefined();
    expect(pickParam(['a', 'b'] as const, '')).toBeUndefined();
  });
});
