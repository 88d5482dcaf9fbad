import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translateIssue } from './validation-messages.ts';

const messagesOf = (schema: z.ZodType, input: unknown, locale: 'zh' | 'en') => {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected a refusal');
  return result.error.issues.map((i) => translateIssue(i, locale));
};

describe('validation messages', () => {
  const form = z.object({ qty: z.number().int().positive().max(1_000_000_000), name: z.string().min(1).max(40), tags: z.array(z.string()).max(2) });

  it('says bounds in plain words, with the field, in Chinese and English', () => {
    expect(messagesOf(form, { qty: 2_000_000_000, name: 'a', tags: [] }, 'zh')).toEqual([{ field: 'qty', message: '数值过大：不能超过 1,000,000,000。' }]);
    expect(messagesOf(form, { qty: 2_000_000_000, name: 'a', tags: [] }, 'en')).toEqual([{ field: 'qty', message: 'Too large: at most 1,000,000,000.' }]);
    expect(messagesOf(form, { qty: -1, name: 'a', tags: [] }, 'zh')).toEqual([{ field: 'qty', message: '数值过小：须大于 0。' }]);
    expect(messagesOf(form, { qty: 1, name: '', tags: [] }, 'zh')).toEqual([{ field: 'name', message: '不能为空。' }]);
    expect(messagesOf(form, { qty: 1, name: 'x'.repeat(41), tags: [] }, 'zh')).toEqual([{ field: 'name', message: '过长：最多 40 个字符。' }]);
    expect(messagesOf(form, { qty: 1, name: 'a', tags: ['a', 'b', 'c'] }, 'en')).toEqual([{ field: 'tags', message: 'Too many: at most 2 items.' }]);
  });

  it('names the expected type without claiming what was received', () => {
    const zh = messagesOf(form, { qty: 'abc', name: 'a', tags: [] }, 'zh');
    expect(zh).toEqual([{ field: 'qty', message: '应为数字。' }]);
    expect(messagesOf(form, { name: 'a', tags: [] }, 'en')).toEqual([{ field: 'qty', message: 'Expected a number.' }]);
  });

  it('never shows the JavaScript type names zod uses', () => {
    const inputs = [{ qty: 0, name: 'a', tags: [] }, { qty: 1.5, name: 'a', tags: [] }, { qty: null, name: 5, tags: 'x' }];
    for (const input of inputs) for (const m of messagesOf(form, input, 'zh')) expect(m.message).not.toMatch(/number|string|undefined|期望/);
  });
});
