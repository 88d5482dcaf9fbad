import { describe, expect, it } from 'vitest';
import { allowedOrderActions, type OrderActionContext } from './order-actions.core.ts';

const base: OrderActionContext = { side: 'buyer', source: 'cart', status: 'paid', capturedFen: 0, refundedFen: 0, canSell: false, canBuy: true };

describe('allowedOrderActions', () => {
  it('lets the buyer of a cart order cancel it before shipment, and confirm or dispute once shipped', () => {
    expect(allowedOrderActions(base)).toEqual(['cancel']);
    expect(allowedOrderActions({ ...base, status: 'shipped' })).toEqual(['confirmDelivery', 'dispute']);
    expect(allowedOrderActions({ ...base, status: 'disputed' })).toEqual(['withdrawDispute']);
  });

  it('gives the buyer of a paid market trade nothing to do (a trade is binding), so there is no actions card', () => {
    expect(allowedOrderActions({ ...base, source: 'market' })).toEqual([]);
    expect(allowedOrderActions({ ...base, source: 'market', status: 'accepted' })).toEqual([]);
    expect(allowedOrderActions({ ...base, source: 'market', status: 'shipped' })).toEqual(['confirmDelivery', 'dispute']);
  });

  it('gives the seller the workbench moves, and a refund only of captured money', () => {
    const seller: OrderActionContext = { ...base, side: 'seller', canSell: true, canBuy: false };
    expect(allowedOrderActions(seller)).toEqual(['accept', 'reject', 'cancel']);
    expect(allowedOrderActions({ ...seller, status: 'accepted' })).toEqual(['ship', 'cancel']);
    expect(allowedOrderActions({ ...seller, status: 'shipped' })).toEqual([]);
    expect(allowedOrderActions({ ...seller, status: 'shipped', capturedFen: 500, refundedFen: 0 })).toEqual(['refund']);
    expect(allowedOrderActions({ ...seller, status: 'refunded', capturedFen: 500, refundedFen: 500 })).toEqual([]);
  });

  it('offers nothing on a finished order, an unknown status, or without the permission', () => {
    expect(allowedOrderActions({ ...base, status: 'completed' })).toEqual([]);
    expect(allowedOrderActions({ ...base, status: 'cancelled' })).toEqual([]);
    expect(allowedOrderActions({ ...base, status: 'teleported' })).toEqual([]);
    expect(allowedOrderActions({ ...base, status: 'shipped', canBuy: false })).toEqual([]);
  });
});
