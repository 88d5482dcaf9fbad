import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocationLeftG, CALL_OFF_FREED_STATUSES, callOffVolume, formOfTenderSpec, isCallOffOrdered, lotUnfitReason } from './call-off.core.ts';
import { ORDER_STATUSES } from './orders.core.ts';

describe('call-off volume from the order state', () => {
  const at = new Date('2031-03-10T08:00:00Z');

  it('counts a live order as ordered, a confirmed delivery as delivered, and frees cancelled, rejected and refunded ones', () => {
    expect(callOffVolume({ grams: 500, orderStatus: 'pending_payment', deliveredAt: null })).toEqual({ orderedG: 500, deliveredG: 0 });
    expect(callOffVolume({ grams: 500, orderStatus: 'payment_failed', deliveredAt: null })).toEqual({ orderedG: 500, deliveredG: 0 });
    expect(callOffVolume({ grams: 500, orderStatus: 'shipped', deliveredAt: null })).toEqual({ orderedG: 500, deliveredG: 0 });
    expect(callOffVolume({ grams: 500, orderStatus: 'completed', deliveredAt: at })).toEqual({ orderedG: 500, deliveredG: 500 });
    expect(callOffVolume({ grams: 500, orderStatus: 'partially_refunded', deliveredAt: at })).toEqual({ orderedG: 500, deliveredG: 500 });
    expect(callOffVolume({ grams: 500, orderStatus: 'disputed', deliveredAt: null })).toEqual({ orderedG: 500, deliveredG: 0 });
    for (const status of ['cancelled', 'rejected', 'refunded']) expect(callOffVolume({ grams: 500, orderStatus: status, deliveredAt: at })).toEqual({ orderedG: 0, deliveredG: 0 });
    expect(CALL_OFF_FREED_STATUSES.every((s) => (ORDER_STATUSES as readonly string[]).includes(s))).toBe(true);
  });

  it('never counts more delivered than ordered, nor more left than agreed', () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.array(fc.record({ grams: fc.integer({ min: 1, max: 1e7 }), orderStatus: fc.constantFrom(...ORDER_STATUSES), delivered: fc.boolean() }), { maxLength: 20 }), (agreed, calls) => {
        const states = calls.map((c) => ({ grams: c.grams, orderStatus: c.orderStatus, deliveredAt: c.delivered ? new Date(0) : null }));
        for (const s of states) {
          const v = callOffVolume(s);
          expect(v.deliveredG).toBeLessThanOrEqual(v.orderedG);
        }
        const left = allocationLeftG(agreed, states);
        const live = states.filter(isCallOffOrdered).reduce((sum, s) => sum + s.grams, 0);
        expect(left).toBe(Math.max(0, agreed - live));
        expect(left).toBeLessThanOrEqual(agreed);
      }),
    );
  });
});

describe('lots that can fill a call-off', () => {
  it('reads the product form from the tender spec', () => {
    expect(formOfTenderSpec('饮片 · 切片 · 生 · 统货')).toBe('decoction_piece');
    expect(formOfTenderSpec('配方颗粒 · 10 g/袋')).toBe('granule');
    expect(formOfTenderSpec('药材 · 统货')).toBe('raw');
    expect(formOfTenderSpec('统货')).toBeNull();
  });

  it('needs the variety, the form, an unexpired lot and enough stock', () => {
    const need = { herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', grams: 1000, today: '2031-03-10' };
    const fit = { herbName: '黄芪', form: 'decoction_piece', availableG: 1000, expiryDate: '2031-03-10' };
    expect(lotUnfitReason(fit, need)).toBeNull();
    expect(lotUnfitReason({ ...fit, herbName: '当归' }, need)).toBe('herb');
    expect(lotUnfitReason({ ...fit, form: 'raw' }, need)).toBe('form');
    expect(lotUnfitReason({ ...fit, form: 'raw' }, { ...need, spec: '统货' })).toBeNull();
    expect(lotUnfitReason({ ...fit, expiryDate: '2031-03-09' }, need)).toBe('expired');
    expect(lotUnfitReason({ ...fit, availableG: 999 }, need)).toBe('stock');
  });
});
