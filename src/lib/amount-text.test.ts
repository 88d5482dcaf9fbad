import { describe, expect, it } from 'vitest';
import { kgText, yuanText } from './amount-text.ts';

describe('amounts in messages', () => {
  it('shows grams as grouped kilograms, up to 3 decimals', () => {
    expect(kgText(780_000)).toBe('780');
    expect(kgText(1_234_500)).toBe('1,234.5');
    expect(kgText(1)).toBe('0.001');
    expect(kgText(1_000_000_000)).toBe('1,000,000');
  });

  it('shows fen as grouped yuan with 2 decimals', () => {
    expect(yuanText(99_999_999)).toBe('999,999.99');
    expect(yuanText(125_000_000)).toBe('1,250,000.00');
    expect(yuanText(5)).toBe('0.05');
  });
});
