import { describe, expect, it } from 'vitest';
import { checkKgQuantity } from './quantity-kg.core.ts';

describe('checkKgQuantity', () => {
  it('reads kilograms to the gram, as typed on any keyboard', () => {
    expect(checkKgQuantity('12')).toEqual({ ok: true, grams: 12_000 });
    expect(checkKgQuantity(' 0.5 ')).toEqual({ ok: true, grams: 500 });
    expect(checkKgQuantity('1.234')).toEqual({ ok: true, grams: 1234 });
    expect(checkKgQuantity('１２．５')).toEqual({ ok: true, grams: 12_500 });
    expect(checkKgQuantity('3。25')).toEqual({ ok: true, grams: 3250 });
  });

  it('says what is wrong with input that is not a positive quantity', () => {
    expect(checkKgQuantity('')).toEqual({ ok: false, problem: { code: 'required' } });
    expect(checkKgQuantity('   ')).toEqual({ ok: false, problem: { code: 'required' } });
    expect(checkKgQuantity('abc')).toEqual({ ok: false, problem: { code: 'notNumber' } });
    expect(checkKgQuantity('1e3')).toEqual({ ok: false, problem: { code: 'notNumber' } });
    expect(checkKgQuantity('1.2.3')).toEqual({ ok: false, problem: { code: 'notNumber' } });
    expect(checkKgQuantity('-1')).toEqual({ ok: false, problem: { code: 'notPositive' } });
    expect(checkKgQuantity('－2.5')).toEqual({ ok: false, problem: { code: 'notPositive' } });
    expect(checkKgQuantity('0')).toEqual({ ok: false, problem: { code: 'notPositive' } });
    expect(checkKgQuantity('0.000')).toEqual({ ok: false, problem: { code: 'notPositive' } });
    expect(checkKgQuantity('0.0001')).toEqual({ ok: false, problem: { code: 'tooPrecise' } });
    expect(checkKgQuantity('1.2345')).toEqual({ ok: false, problem: { code: 'tooPrecise' } });
  });

  it("holds the quantity to the listing's minimum order and its stock", () => {
    const limits = { minOrderG: 1000, availableG: 595_000 };
    expect(checkKgQuantity('0.001', limits)).toEqual({ ok: false, problem: { code: 'belowMin', minG: 1000 } });
    expect(checkKgQuantity('1', limits)).toEqual({ ok: true, grams: 1000 });
    expect(checkKgQuantity('595', limits)).toEqual({ ok: true, grams: 595_000 });
    expect(checkKgQuantity('595.001', limits)).toEqual({ ok: false, problem: { code: 'aboveStock', availableG: 595_000 } });
    expect(checkKgQuantity('0.5', { availableG: 100 })).toEqual({ ok: false, problem: { code: 'aboveStock', availableG: 100 } });
  });
});
