import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPLIER_STEPS } from '@/server/domains/tenders/tender-todo.core.ts';
import { TENDER_STATUSES } from '@/server/domains/tenders/tenders.core.ts';
import { parseTenderListQuery, selectTenders, TENDER_SORTS, type TenderListRow } from './tender-list.core.ts';

const row = (id: string, over: Partial<TenderListRow> = {}): TenderListRow => ({
  id,
  status: 'published',
  createdAt: '2026-12-01T00:00:00.000Z',
  bidDeadline: '2026-12-20T00:00:00.000Z',
  openingAt: '2026-12-20T01:00:00.000Z',
  mine: null,
  pendingRegistrations: null,
  ...over,
});

describe('the tender list’s query', () => {
  it('keeps known filters and the caller’s own to-do filters only', () => {
    expect(parseTenderListQuery({ todo: 'bid', status: 'published', sort: 'bid_deadline_asc' }, ['register', 'bid'])).toEqual({ todo: 'bid', status: 'published', sort: 'bid_deadline_asc' });
    // An officer's filter typed into a supplier's address, unknown values, arrays: dropped.
    expect(parseTenderListQuery({ todo: 'qualify', status: 'open', sort: 'price' }, ['register', 'bid'])).toEqual({ sort: 'created_desc' });
    expect(parseTenderListQuery({ todo: ['bid'], status: ['published'] }, ['register', 'bid'])).toEqual({ sort: 'created_desc' });
    expect(parseTenderListQuery({ status: ' awarded ' }, [])).toEqual({ status: 'awarded', sort: 'created_desc' });
  });

  it('filters by status and by what needs the caller, and sorts', () => {
    const rows = [
      row('a', { createdAt: '2026-12-02T00:00:00.000Z', bidDeadline: '2026-12-25T00:00:00.000Z', mine: { step: 'bid', lotsToBid: 1 } }),
      row('b', { createdAt: '2026-12-03T00:00:00.000Z', bidDeadline: '2026-12-21T00:00:00.000Z', mine: { step: 'register', lotsToBid: 0 } }),
      row('c', { status: 'awarded', createdAt: '2026-11-01T00:00:00.000Z', bidDeadline: '2026-11-20T00:00:00.000Z', mine: { step: 'bids_in', lotsToBid: 0 } }),
    ];
    expect(selectTenders(rows, { sort: 'created_desc' }).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(selectTenders(rows, { sort: 'bid_deadline_asc' }).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(selectTenders(rows, { todo: 'bid', sort: 'created_desc' }).map((r) => r.id)).toEqual(['a']);
    expect(selectTenders(rows, { status: 'awarded', sort: 'created_desc' }).map((r) => r.id)).toEqual(['c']);
    expect(selectTenders(rows, { todo: 'register', status: 'awarded', sort: 'created_desc' })).toEqual([]);
  });

  it('property: the rows kept are exactly those matching, each once, in the sort’s order', () => {
    const day = fc.integer({ min: 0, max: 30 }).map((d) => new Date(Date.UTC(2026, 11, 1 + d)).toISOString());
    const arbRow = fc.record({
      status: fc.constantFrom(...TENDER_STATUSES),
      createdAt: day,
      bidDeadline: day,
      openingAt: day,
      mine: fc.option(fc.record({ step: fc.constantFrom(...SUPPLIER_STEPS), lotsToBid: fc.nat(3) }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(arbRow, { maxLength: 12 }), fc.option(fc.constantFrom(...TENDER_STATUSES), { nil: undefined }), fc.constantFrom(...TENDER_SORTS), (raw, status, sort) => {
        const rows = raw.map((r, i) => row(`t${String(i).padStart(2, '0')}`, r));
        const shown = selectTenders(rows, { ...(status ? { status } : {}), sort });
        expect(shown.map((r) => r.id).sort()).toEqual(rows.filter((r) => !status || r.status === status).map((r) => r.id));
        const key = (r: TenderListRow) => (sort === 'created_desc' ? -Date.parse(r.createdAt) : sort === 'bid_deadline_asc' ? Date.parse(r.bidDeadline) : Date.parse(r.openingAt));
        for (let i = 1; i < shown.length; i += 1) expect(key(shown[i - 1]!)).toBeLessThanOrEqual(key(shown[i]!));
        // Stable between loads: the same rows in another order come out the same.
        expect(selectTenders([...rows].reverse(), { ...(status ? { status } : {}), sort })).toEqual(shown);
      }),
    );
  });
});
