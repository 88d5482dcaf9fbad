import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiNumberText, fenFromYuan, gramsFromKg, numberFromText, yuanFromFen } from './input-format.ts';

/** The same text as a Chinese input method in full-width mode types it. */
const fullWidth = (text: string) => text.replace(/[0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('typed amounts', () => {
  it('reads yuan and kilograms typed in ASCII', () => {
    expect(fenFromYuan('62.5')).toBe(6250);
    expect(fenFromYuan(' 62.55 ')).toBe(6255);
    expect(fenFromYuan('62')).toBe(6200);
    expect(gramsFromKg('12.345')).toBe(12_345);
    expect(gramsFromKg('10')).toBe(10_000);
  });

  it('reads full-width digits and the ideographic full stop as a Chinese input method types them', () => {
    expect(asciiNumberText('１２．５')).toBe('12.5');
    expect(fenFromYuan('６２．５０')).toBe(6250);
    expect(fenFromYuan('62。5')).toBe(6250);
    expect(gramsFromKg('１０')).toBe(10_000);
    expect(gramsFromKg('　１０　')).toBe(10_000);
    // Counts, ages, minutes and grams typed the same way read as Number() reads their ASCII form.
    expect(numberFromText('４５')).toBe(45);
    expect(numberFromText('３０８０')).toBe(3080);
    expect(numberFromText('12。5')).toBe(12.5);
    expect(numberFromText('abc')).toBeNaN();
  });

  it('refuses what is not a plain amount, leaving it to the server to name the field', () => {
    for (const text of ['', ' ', '-1', '1e3', '¥62', '62.555', '1,000', 'abc', '0x10', '1.2.3', '١٢']) expect(fenFromYuan(text)).toBeNaN();
    for (const text of ['', '-5', '1.2345', '10kg', '∞']) expect(gramsFromKg(text)).toBeNaN();
  });

  it('reads back what it writes, in ASCII and in full width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000 }), (fen) => {
        expect(fenFromYuan(yuanFromFen(fen))).toBe(fen);
        expect(fenFromYuan(fullWidth(yuanFromFen(fen)))).toBe(fen);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (grams) => {
        const text = `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')}`;
        expect(gramsFromKg(fullWidth(text))).toBe(grams);
      }),
    );
  });
});
