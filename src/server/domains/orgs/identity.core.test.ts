import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRegionCode, normalizeUscc, regionLabel, regionName, usccCheckChar, usccProblem } from './identity.core.ts';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const charArb = fc.constantFrom(...CHARSET.split(''));
const first17Arb = fc
  .tuple(fc.array(charArb, { minLength: 2, maxLength: 2 }), fc.array(fc.constantFrom(...'0123456789'.split('')), { minLength: 6, maxLength: 6 }), fc.array(charArb, { minLength: 9, maxLength: 9 }))
  .map(([a, b, c]) => [...a, ...b, ...c].join(''));

describe('USCC (GB 32100-2015)', () => {
  it('accepts published valid codes', () => {
    for (const code of ['91350100M000100Y43', '91110000802100433B', '91440300708461136T']) expect(usccProblem(code)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(usccProblem('91350100M000100Y4')).toBe('length');
    expect(usccProblem('91350100M000100Y4I')).toBe('charset');
    expect(usccProblem('91350100M000100Y44')).toBe('check');
    expect(usccProblem('9135010OM000100Y43')).toBe('charset');
  });

  it('normalises full-width characters, spaces and case', () => {
    expect(normalizeUscc(' ９１３５０１００m000100y43 ')).toBe('91350100M000100Y43');
  });

  it('a code with its computed check character is valid', () => {
    fc.assert(fc.property(first17Arb, (first17) => usccProblem(first17 + usccCheckChar(first17)) === null));
  });

  it('changing any single character of a valid code is detected', () => {
    fc.assert(
      fc.property(first17Arb, fc.integer({ min: 0, max: 17 }), charArb, (first17, pos, replacement) => {
        const valid = first17 + usccCheckChar(first17);
        fc.pre(valid[pos] !== replacement);
        const broken = valid.slice(0, pos) + replacement + valid.slice(pos + 1);
        return usccProblem(broken) !== null;
      }),
    );
  });
});

describe('region codes (GB/T 2260)', () => {
  it('knows provinces, cities and counties', () => {
    expect(regionLabel('330000')).toBe('浙江省');
    expect(regionLabel('330100')).toBe('浙江省 杭州市');
    // For display: the names, or the code when it is not a known region.
    expect(regionName('330102')).toBe('浙江省 杭州市 上城区');
    expect(regionName('999999')).toBe('999999');
    expect(regionLabel('330106')).toBe('浙江省 杭州市 西湖区');
    expect(regionLabel('110101')).toBe('北京市 东城区');
    expect(isRegionCode('810000')).toBe(true);
  });

  it('refuses unknown or malformed codes', () => {
    for (const code of ['999999', '33010', '3301066', 'abcdef', '', '330199']) expect(isRegionCode(code)).toBe(false);
  });
});
