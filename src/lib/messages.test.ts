import { describe, expect, it } from 'vitest';
import { kgParam, msg, translate } from './messages.ts';

describe('quantities in messages', () => {
  it('are kilograms with thousands grouping, to the gram', () => {
    expect(kgParam(1000)).toBe('1');
    expect(kgParam(500)).toBe('0.5');
    expect(kgParam(1)).toBe('0.001');
    expect(kgParam(1_234_500)).toBe('1,234.5');
  });

  it('read as kilograms in both languages', () => {
    expect(translate(msg('catalog.belowMinOrder', { min: kgParam(1_000_000) }), 'zh')).toBe('数量低于最小起订量（1,000 公斤）。');
    expect(translate(msg('orders.aboveStock', { available: kgParam(595_000) }), 'en')).toBe('The quantity exceeds the available stock (595 kg).');
  });
});
