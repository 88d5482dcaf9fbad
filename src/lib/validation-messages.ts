import type { z } from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { Locale } from './locale.ts';
import { translate } from './messages.ts';

const maps = { zh: zhCN().localeError, en: en().localeError };

export interface FieldError {
  field: string;
  message: string;
}

/** A zod issue as a translated, field-named message (custom `msg:` messages are translated too). */
export function translateIssue(issue: z.core.$ZodIssue, locale: Locale): FieldError {
  const field = issue.path.length ? issue.path.map(String).join('.') : '(input)';
  if (issue.code === 'custom' || issue.message.startsWith('msg:')) return { field, message: translate(issue.message, locale) };
  const own = readableIssue(issue, locale);
  if (own) return { field, message: own };
  const mapped = maps[locale](issue as unknown as Parameters<(typeof maps)['zh']>[0]);
  const text = typeof mapped === 'string' ? mapped : (mapped?.message ?? issue.message);
  return { field, message: text };
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const bound = (n: number | bigint) => (typeof n === 'bigint' ? n.toString() : GROUPED.format(n));

const TYPE_NAMES: Record<Locale, Record<string, string>> = {
  zh: { number: '数字', int: '整数', string: '文字', boolean: '是/否', array: '列表', object: '对象', date: '日期', bigint: '整数' },
  en: { number: 'a number', int: 'a whole number', string: 'text', boolean: 'yes/no', array: 'a list', object: 'an object', date: 'a date', bigint: 'a whole number' },
};

/**
 * The issues whose stock texts read badly to a person (zod's Chinese names the JavaScript type — "期望
 * number <=100" —, and a final issue no longer carries the input, so "received" always said undefined):
 * sizes and bounds in plain words, and the type that was expected.
 */
function readableIssue(issue: z.core.$ZodIssue, locale: Locale): string | null {
  const zh = locale === 'zh';
  if (issue.code === 'invalid_type') {
    const name = TYPE_NAMES[locale][issue.expected];
    if (!name) return null;
    return zh ? `应为${name}。` : `Expected ${name}.`;
  }
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return null;
  const big = issue.code === 'too_big';
  const limit = bound(big ? issue.maximum : issue.minimum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
    if (big) return zh ? (inclusive ? `数值过大：不能超过 ${limit}。` : `数值过大：须小于 ${limit}。`) : inclusive ? `Too large: at most ${limit}.` : `Too large: must be below ${limit}.`;
    return zh ? (inclusive ? `数值过小：不能小于 ${limit}。` : `数值过小：须大于 ${limit}。`) : inclusive ? `Too small: at least ${limit}.` : `Too small: must be above ${limit}.`;
  }
  if (issue.origin === 'string') {
    if (!big && limit === '1') return zh ? '不能为空。' : 'Must not be empty.';
    if (big) return zh ? `过长：最多 ${limit} 个字符。` : `Too long: at most ${limit} characters.`;
    return zh ? `过短：至少 ${limit} 个字符。` : `Too short: at least ${limit} characters.`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    if (big) return zh ? `过多：最多 ${limit} 项。` : `Too many: at most ${limit} items.`;
    return zh ? `过少：至少 ${limit} 项。` : `Too few: at least ${limit} items.`;
  }
  return null;
}
