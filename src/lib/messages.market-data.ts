import type { Locale } from './locale.ts';

/** Server-side messages of the market's read side and data export (merged into MESSAGES in messages.ts). */
export const MARKET_DATA_MESSAGES = {
  'marketData.instrumentRequired': { zh: '请指定交易品种（instrument）。', en: 'Name the instrument (instrument).' },
  'marketData.badDay': { zh: '日期应为 YYYY-MM-DD 格式的有效日期（北京时间）。', en: 'The date must be a valid YYYY-MM-DD date (China time).' },
  'marketData.rangeOrder': { zh: '结束日期不能早于开始日期。', en: 'The end date cannot be before the start date.' },
  'marketData.rangeTooLong': { zh: '日期区间最多 {max} 天，请缩短区间。', en: 'The date range is at most {max} days; shorten it.' },
  'marketData.badFormat': { zh: '导出格式应为 csv 或 json。', en: 'The export format must be csv or json.' },
  'marketData.badParam': { zh: '参数“{param}”出现了多次或过长。', en: 'The parameter "{param}" is repeated or too long.' },
} as const satisfies Record<string, Record<Locale, string>>;
