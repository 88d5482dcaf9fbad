import { describe, expect, it } from 'vitest';
import { kgText, yuanText } from './amount-text.ts';
import { msg, translate } from './messages.ts';

describe('amounts in messages', () => {
  it('read as kilograms and yuan in both languages', () => {
    expect(translate(msg('orders.refundTooLarge', { max: yuanText(58_000) }), 'zh')).toBe('退款金额不能超过可退金额（¥580.00）。');
    expect(translate(msg('catalog.belowMinOrder', { min: kgText(1_000_000) }), 'zh')).toBe('数量低于最小起订量（1,000 公斤）。');
    expect(translate(msg('orders.aboveStock', { available: kgText(595_000) }), 'en')).toBe('The quantity exceeds the available stock (595 kg).');
  });

  it('take a parameter worded for each language', () => {
    const m = msg('rx.decoctionIncomplete', { steps: { zh: '煎煮、包装', en: 'boil, pack' } });
    expect(translate(m, 'zh')).toBe('煎药记录缺少步骤：煎煮、包装。请先记录这些步骤。');
    expect(translate(m, 'en')).toBe('The decoction log is missing steps: boil, pack. Log them first.');
  });
});
