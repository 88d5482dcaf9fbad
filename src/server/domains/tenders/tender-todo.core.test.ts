import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { biddingOpen, isTenderTodo, lotsWithoutBid, needsCaller, supplierProgress, TENDER_TODOS, type SupplierStanding } from './tender-todo.core.ts';
import { TENDER_STATUSES } from './tenders.core.ts';

const deadline = new Date('2026-12-21T10:00:00+08:00');
const before = new Date(deadline.getTime() - 1);
const after = new Date(deadline.getTime() + 1);
const standing = (over: Partial<SupplierStanding> = {}): SupplierStanding => ({ status: 'published', bidDeadline: deadline, registration: null, bidLotIds: new Set(), ...over });
const qualified = (lotIds: string[]) => ({ status: 'qualified', lotIds });

describe('a supplier’s progress on a tender', () => {
  it('may register while bidding is open, and not after', () => {
    expect(supplierProgress(standing(), before)).toEqual({ step: 'register', lotsToBid: 0 });
    // The deadline itself is still open, as bids are taken through it.
    expect(supplierProgress(standing(), deadline).step).toBe('register');
    expect(supplierProgress(standing(), after).step).toBe('closed');
    expect(supplierProgress(standing({ status: 'opened' }), before).step).toBe('closed');
  });

  it('waits for the alliance after registering; a refusal stays visible', () => {
    expect(supplierProgress(standing({ registration: { status: 'pending', lotIds: ['a'] } }), before).step).toBe('awaiting_qualification');
    expect(supplierProgress(standing({ registration: { status: 'pending', lotIds: ['a'] } }), after).step).toBe('closed');
    expect(supplierProgress(standing({ registration: { status: 'not_qualified', lotIds: ['a'] } }), before).step).toBe('not_qualified');
    expect(supplierProgress(standing({ status: 'awarded', registration: { status: 'not_qualified', lotIds: ['a'] } }), after).step).toBe('not_qualified');
  });

  it('once qualified, counts the registered lots still without a bid', () => {
    const s = standing({ registration: qualified(['a', 'b', 'c']), bidLotIds: new Set(['a']) });
    expect(supplierProgress(s, before)).toEqual({ step: 'bid', lotsToBid: 2 });
    expect(supplierProgress({ ...s, bidLotIds: new Set(['a', 'b', 'c']) }, before)).toEqual({ step: 'bids_in', lotsToBid: 0 });
    // After the deadline: whether it bid at all.
    expect(supplierProgress(s, after).step).toBe('bids_in');
    expect(supplierProgress({ ...s, bidLotIds: new Set() }, after).step).toBe('closed');
    // A bid on a lot it did not register for does not count as one of its lots.
    expect(supplierProgress({ ...s, bidLotIds: new Set(['x']) }, before)).toEqual({ step: 'bid', lotsToBid: 3 });
  });

  it('the lots without a bid keep their order, each once', () => {
    expect(lotsWithoutBid(['c', 'a', 'b', 'a'], new Set(['b']))).toEqual(['c', 'a']);
    expect(lotsWithoutBid(['a'], new Set(['a']))).toEqual([]);
  });

  it('property: bidding is asked for exactly when it is open, the supplier is qualified and a registered lot has no bid', () => {
    const lotIds = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 });
    fc.assert(
      fc.property(
        fc.constantFrom(...TENDER_STATUSES),
        fc.integer({ min: -5, max: 5 }),
        fc.option(fc.record({ status: fc.constantFrom('pending', 'qualified', 'not_qualified'), lotIds }), { nil: null }),
        lotIds,
        (status, offset, registration, bids) => {
          const now = new Date(deadline.getTime() + offset);
          const s: SupplierStanding = { status, bidDeadline: deadline, registration, bidLotIds: new Set(bids) };
          const p = supplierProgress(s, now);
          const missing = registration ? registration.lotIds.filter((id) => !bids.includes(id)).length : 0;
          const open = status === 'published' && offset <= 0;
          expect(p.step === 'bid').toBe(open && registration?.status === 'qualified' && missing > 0);
          expect(p.lotsToBid).toBe(p.step === 'bid' ? missing : 0);
          expect(p.step === 'register').toBe(open && registration === null);
          expect(biddingOpen(status, deadline, now)).toBe(open);
          if (!open) expect(['register', 'awaiting_qualification', 'bid']).not.toContain(p.step);
        },
      ),
    );
  });
});

describe('the tender list’s to-do filters', () => {
  it('a supplier’s register and bid filters follow its step', () => {
    expect(needsCaller('register', { status: 'published', mine: { step: 'register', lotsToBid: 0 } })).toBe(true);
    expect(needsCaller('bid', { status: 'published', mine: { step: 'register', lotsToBid: 0 } })).toBe(false);
    expect(needsCaller('bid', { status: 'published', mine: { step: 'bid', lotsToBid: 1 } })).toBe(true);
    expect(needsCaller('bid', { status: 'published', mine: null })).toBe(false);
  });

  it('an officer qualifies registrations only on a published tender', () => {
    expect(needsCaller('qualify', { status: 'published', pendingRegistrations: 2 })).toBe(true);
    expect(needsCaller('qualify', { status: 'published', pendingRegistrations: 0 })).toBe(false);
    expect(needsCaller('qualify', { status: 'opened', pendingRegistrations: 2 })).toBe(false);
    expect(needsCaller('qualify', { status: 'published', pendingRegistrations: null })).toBe(false);
  });

  it('only known filters are read from the address', () => {
    for (const todo of TENDER_TODOS) expect(isTenderTodo(todo)).toBe(true);
    for (const value of ['', 'REGISTER', 'all', undefined, ['bid']]) expect(isTenderTodo(value)).toBe(false);
  });
});
