import { describe, expect, it } from 'vitest';
import { kg, shanghai, yuan, yuanPerKg } from './display-format.ts';

describe('display formats', () => {
  it('shows money, prices and weights with their units', () => {
    expect(yuan(125_000)).toBe('¥1,250.00');
    expect(yuanPerKg(6250)).toBe('¥62.50/kg');
    expect(kg(1_234_500)).toBe('1,234.5 kg');
    expect(kg(1)).toBe('0.001 kg');
  });

  it('shows instants in China time, the same way in every language', () => {
    expect(shanghai('2026-12-07T04:33:00Z')).toBe('2026-12-07 12:33');
    // Past midnight in Shanghai while still the day before in UTC.
    expect(shanghai(new Date('2026-12-06T16:05:00Z'))).toBe('2026-12-07 00:05');
  });
});
