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
  const mapped = maps[locale](issue as unknown as Parameters<(typeof maps)['zh']>[0]);
  const text = typeof mapped === 'string' ? mapped : (mapped?.message ?? issue.message);
  return { field, message: text };
}
