const CNY = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });
const KG = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 3 });
const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });

/** Fen per kg (integer) as ¥ per kg; the division happens only for display. */
export const yuanPerKg = (fen: number) => `${CNY.format(fen / 100)}/kg`;
export const kg = (grams: number) => `${KG.format(grams / 1000)} kg`;
/** Stored UTC, shown in Asia/Shanghai. */
export const shanghai = (at: Date | string) => TIME.format(new Date(at));
