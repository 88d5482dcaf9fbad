/**
 * Amounts and times as the pages show them, the same in Chinese and English: ¥ with two decimals,
 * kilograms to the gram, and instants in China time (Asia/Shanghai, no daylight saving) as
 * `2026-12-07 12:33` — the form Chinese business software uses, and unambiguous in English.
 * The API keeps integers (fen, grams) and UTC; the division happens only here, for display.
 */
import { kgText } from './amount-text.ts';

const CNY = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });
const TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** Fen (integer) as ¥ with two decimals (`¥1,250.00`). */
export const yuan = (fen: number) => CNY.format(fen / 100);
/** Fen per kg (integer) as ¥ per kg (`¥62.50/kg`). */
export const yuanPerKg = (fenPerKg: number) => `${yuan(fenPerKg)}/kg`;
/** Grams (integer) as kilograms with the unit (`1,234.5 kg`). */
export const kg = (grams: number) => `${kgText(grams)} kg`;
/** An instant (stored UTC) in China time (`2026-12-07 12:33`). */
export const shanghai = (at: Date | string) => TIME.format(new Date(at));
