import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isId, newId } from './ids.ts';

describe('newId', () => {
  it('is prefixed, 26 Crockford base32 characters, and sorts by its time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 40 }), (t, dt) => {
        const a = newId('organization', t);
        const b = newId('organization', t + dt);
        expect(isId(a, 'organization')).toBe(true);
        expect(a.startsWith('org_')).toBe(true);
        expect(a < b).toBe(true);
      }),
    );
  });

  it('takes an unlisted kind as its prefix', () => {
    expect(isId(newId('mor'))).toBe(true);
    expect(newId('mor').startsWith('mor_')).toBe(true);
  });

  it('never repeats its random part, across many refills of the random pool', () => {
    const at = Date.UTC(2026, 11, 6);
    const seen = new Set<string>();
    // 20,000 ids use 320,000 random bytes: the 4 KiB pool is refilled ~78 times.
    for (let i = 0; i < 20_000; i += 1) seen.add(newId('mcm', at));
    expect(seen.size).toBe(20_000);
  });

  it('spreads its random characters evenly over the alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i += 1) for (const ch of newId('x', 0).slice(12)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    // 64,000 characters over 32 symbols: 2,000 each expected; a stuck or biased pool would leave some far off.
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 2_000)).toBeLessThan(300);
  });
});
