import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.ts';
import {
  CARRIER_STATUS_TYPES,
  canMove,
  decideEvent,
  decisionTarget,
  decisionTime,
  excursionEpisode,
  FINAL_SHIPMENT_STATES,
  isExcursion,
  isLate,
  NEW_SHIPMENT_CURSOR,
  reachableShipmentStates,
  replayEvents,
  SHIPMENT_STATES,
  SHIPMENT_TRANSITIONS,
  STATE_RANK,
  type CarrierStatusType,
  type IncomingEvent,
  type ShipmentCursor,
  type ShipmentState,
} from './shipments.core.ts';

const T0 = Date.UTC(2026, 2, 1, 0, 0, 0);
const ev = (key: string, type: IncomingEvent['type'], minute: number, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({ key, type, at: new Date(T0 + minute * 60_000), by: 'carrier', ...extra });

describe('shipment state machine (data)', () => {
  it('every state is reachable from created, and delivered/returned are final', () => {
    expect([...reachableShipmentStates()].sort()).toEqual([...SHIPMENT_STATES].sort());
    for (const s of FINAL_SHIPMENT_STATES) expect(SHIPMENT_TRANSITIONS.filter((t) => t.from === s)).toEqual([]);
  });

  it('carrier moves are closed under composition (a→b, b→c ⇒ a→c), the basis of order independence', () => {
    for (const a of SHIPMENT_STATES)
      for (const b of SHIPMENT_STATES)
        for (const c of SHIPMENT_STATES) {
          if (canMove(a, b, 'carrier') && canMove(b, c, 'carrier')) expect(canMove(a, c, 'carrier'), `${a}→${b}→${c}`).toBe(true);
        }
  });

  it('created and picked_up are never re-entered', () => {
    for (const t of SHIPMENT_TRANSITIONS) {
      expect(t.to).not.toBe('created');
      if (t.to === 'picked_up') expect(t.from).toBe('created');
    }
  });

  it('parties may report an exception on the way and resolve one, nothing else', () => {
    const partyMoves = SHIPMENT_TRANSITIONS.filter((t) => t.by.includes('sender')).map((t) => `${t.from}→${t.to}`);
    expect(partyMoves.sort()).toEqual(['exception→in_transit', 'in_transit→exception', 'out_for_delivery→exception', 'picked_up→exception']);
  });
});

describe('decideEvent', () => {
  const delivered = replayEvents(NEW_SHIPMENT_CURSOR, [ev('a', 'picked_up', 1), ev('b', 'in_transit', 2), ev('c', 'out_for_delivery', 3), ev('d', 'delivered', 4)]).cursor;

  it('follows the events in order', () => {
    expect(delivered).toMatchObject({ state: 'delivered', lastEventKey: 'd', lastEventRank: STATE_RANK.delivered });
  });

  it('a late in_transit after delivered is recorded as stale and does not move back', () => {
    expect(decideEvent(delivered, ev('late', 'in_transit', 3.5))).toEqual({ applied: false, from: 'delivered', reason: 'stale' });
  });

  it('a newer event after a final state is ignored as final', () => {
    expect(decideEvent(delivered, ev('after', 'in_transit', 10))).toEqual({ applied: false, from: 'delivered', reason: 'final' });
  });

  it('the same event again is stale (its key is not above the cursor)', () => {
    const once = replayEvents(NEW_SHIPMENT_CURSOR, [ev('a', 'picked_up', 1)]).cursor;
    expect(decideEvent(once, ev('a', 'picked_up', 1)).applied).toBe(false);
  });

  it('scans may be skipped: created → delivered', () => {
    expect(decideEvent(NEW_SHIPMENT_CURSOR, ev('x', 'delivered', 1))).toMatchObject({ applied: true, from: 'created', to: 'delivered' });
  });

  it('a newer pickup scan after in_transit is not allowed', () => {
    const c = replayEvents(NEW_SHIPMENT_CURSOR, [ev('a', 'in_transit', 1)]).cursor;
    expect(decideEvent(c, ev('b', 'picked_up', 2))).toEqual({ applied: false, from: 'in_transit', reason: 'not_allowed' });
  });

  it('same event time: the further state wins whatever the arrival order', () => {
    const a = replayEvents(NEW_SHIPMENT_CURSOR, [ev('z1', 'delivered', 5), ev('a1', 'out_for_delivery', 5)]).cursor;
    const b = replayEvents(NEW_SHIPMENT_CURSOR, [ev('a1', 'out_for_delivery', 5), ev('z1', 'delivered', 5)]).cursor;
    expect(a.state).toBe('delivered');
    expect(b.state).toBe('delivered');
  });

  it('temperature-only and unknown events never move the shipment', () => {
    expect(decideEvent(NEW_SHIPMENT_CURSOR, ev('t', 'temperature', 1))).toEqual({ applied: false, from: 'created', reason: 'informational' });
    expect(decideEvent(NEW_SHIPMENT_CURSOR, ev('u', 'unknown', 1))).toEqual({ applied: false, from: 'created', reason: 'unknown_code' });
  });

  it('a delivery needing the recipient code is applied only with the right code', () => {
    const c = replayEvents(NEW_SHIPMENT_CURSOR, [ev('a', 'out_for_delivery', 1)]).cursor;
    expect(decideEvent(c, ev('b', 'delivered', 2, { recipientCode: '000000' }), { recipientCode: '123456' })).toMatchObject({ applied: false, reason: 'recipient_check_failed' });
    expect(decideEvent(c, ev('b', 'delivered', 2), { recipientCode: '123456' })).toMatchObject({ applied: false, reason: 'recipient_check_failed' });
    expect(decideEvent(c, ev('b', 'delivered', 2, { recipientCode: '123456' }), { recipientCode: '123456' })).toMatchObject({ applied: true, to: 'delivered' });
  });

  it('on the way back to the sender a delivery is the return', () => {
    const c: ShipmentCursor = { ...replayEvents(NEW_SHIPMENT_CURSOR, [ev('a', 'exception', 1)]).cursor, direction: 'return' };
    expect(decideEvent(c, ev('b', 'delivered', 2))).toMatchObject({ applied: true, to: 'returned' });
  });
});

describe('exception flow (party decisions)', () => {
  it('report → redeliver → delivered', () => {
    let c = replayEvents(NEW_SHIPMENT_CURSOR, [ev('a', 'picked_up', 1), ev('b', 'out_for_delivery', 2)]).cursor;
    expect(decisionTarget(c.state, 'report_exception', 'receiver', 'refused')).toEqual({ from: 'out_for_delivery', to: 'exception' });
    const d1 = decideEvent(c, { key: 'party:1', type: 'exception', at: decisionTime(c, new Date(T0 + 3 * 60_000)), by: 'receiver' });
    expect(d1.applied).toBe(true);
    if (d1.applied) c = d1.cursor;
    expect(decisionTarget(c.state, 'redeliver', 'sender')).toEqual({ from: 'exception', to: 'in_transit', direction: 'forward' });
    const d2 = decideEvent(c, { key: 'party:2', type: 'in_transit', at: decisionTime(c, new Date(T0)), by: 'sender' });
    expect(d2).toMatchObject({ applied: true, to: 'in_transit' });
  });

  it('refuses what the table or the party does not allow, naming the field', () => {
    const invalid = () => decisionTarget('delivered', 'report_exception', 'receiver', 'damaged');
    expect(invalid).toThrow(AppError);
    try {
      invalid();
    } catch (e) {
      expect((e as AppError).code).toBe('INVALID_TRANSITION');
      expect((e as AppError).field).toBe('id');
    }
    expect(() => decisionTarget('in_transit', 'redeliver', 'sender')).toThrow(/invalidTransition/);
    expect(() => decisionTarget('exception', 'return', 'receiver')).toThrow(/notYourMove/);
    expect(() => decisionTarget('in_transit', 'report_exception', 'sender', 'refused')).toThrow(/onlyReceiverRefuses/);
    expect(() => decisionTarget('created', 'report_exception', 'sender', 'damaged')).toThrow(/invalidTransition/);
  });

  it('a decision is never stale, even when the carrier clock runs ahead', () => {
    const ahead = new Date(T0 + 3600_000);
    expect(decisionTime({ lastEventAt: ahead }, new Date(T0)).getTime()).toBe(ahead.getTime() + 1);
    expect(decisionTime({ lastEventAt: null }, new Date(T0)).getTime()).toBe(T0);
  });
});

describe('cold chain and lateness', () => {
  it('2–8 °C is in range, bounds included', () => {
    expect([1.9, 2, 5, 8, 8.1].map(isExcursion)).toEqual([true, false, false, false, true]);
  });

  it('excursion readings within 30 minutes join the same episode', () => {
    const alert = { id: 'a', startedAt: new Date(T0), lastAt: new Date(T0 + 10 * 60_000) };
    expect(excursionEpisode([alert], new Date(T0 + 40 * 60_000))).toBe(alert);
    expect(excursionEpisode([alert], new Date(T0 - 30 * 60_000))).toBe(alert);
    expect(excursionEpisode([alert], new Date(T0 + 41 * 60_000))).toBeNull();
    expect(excursionEpisode([], new Date(T0))).toBeNull();
  });

  it('late means past the ETA and not final', () => {
    const eta = new Date(T0);
    expect(isLate({ state: 'in_transit', eta }, new Date(T0 + 1))).toBe(true);
    expect(isLate({ state: 'delivered', eta }, new Date(T0 + 1))).toBe(false);
    expect(isLate({ state: 'in_transit', eta: null }, new Date(T0 + 1))).toBe(false);
    expect(isLate({ state: 'in_transit', eta }, new Date(T0 - 1))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties: order independence and no moving back

/** A valid carrier stream: a random walk through the carrier moves, keys strictly increasing. */
const validStream = fc
  .array(fc.record({ pick: fc.nat(), gapMs: fc.integer({ min: 0, max: 3_600_000 }) }), { minLength: 1, maxLength: 14 })
  .map((steps) => {
    const events: IncomingEvent[] = [];
    let state: ShipmentState = 'created';
    let at = T0;
    let lastRank = -1;
    for (const [i, step] of steps.entries()) {
      const options = (CARRIER_STATUS_TYPES as readonly CarrierStatusType[]).filter((t) => canMove(state, t, 'carrier'));
      if (options.length === 0) break;
      const type = options[step.pick % options.length]!;
      at += step.gapMs;
      // Same instant: the key must still increase (rank, then id), else the event is a little later.
      if (step.gapMs === 0 && STATE_RANK[type] < lastRank) at += 1;
      events.push({ key: `e${String(i).padStart(3, '0')}`, type, at: new Date(at), by: 'carrier' });
      state = type;
      lastRank = STATE_RANK[type];
    }
    return events;
  });

/** The stream with duplicates added, then shuffled. */
const arrival = (events: IncomingEvent[]) =>
  fc
    .tuple(fc.array(fc.nat({ max: events.length - 1 }), { maxLength: events.length }), fc.array(fc.nat(), { minLength: events.length * 2, maxLength: events.length * 2 }))
    .map(([dups, order]) => {
      const all = [...events, ...dups.map((i) => events[i]!)];
      return all.map((e, i) => ({ e, k: order[i % order.length]! + i / 1000 })).sort((a, b) => a.k - b.k).map((x) => x.e);
    });

describe('properties', () => {
  it('any permutation with duplicates of a valid stream ends where the ordered stream ends', () => {
    fc.assert(
      fc.property(
        validStream.chain((events) => fc.tuple(fc.constant(events), arrival(events))),
        ([ordered, shuffled]) => {
          const expected = replayEvents(NEW_SHIPMENT_CURSOR, ordered);
          // The ordered stream applies every event.
          expect(expected.decisions.every((d) => d.applied)).toBe(true);
          const got = replayEvents(NEW_SHIPMENT_CURSOR, shuffled);
          expect(got.cursor).toEqual(expected.cursor);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('state never moves backwards: keys only grow, final stays final, created/picked_up are never re-entered', () => {
    fc.assert(
      fc.property(
        validStream.chain((events) => arrival(events)),
        (shuffled) => {
          let cursor = NEW_SHIPMENT_CURSOR;
          let left: ShipmentState[] = [];
          for (const event of shuffled) {
            const d = decideEvent(cursor, event);
            if (!d.applied) continue;
            expect(d.cursor.lastEventAt!.getTime()).toBeGreaterThanOrEqual(cursor.lastEventAt?.getTime() ?? Number.NEGATIVE_INFINITY);
            expect(FINAL_SHIPMENT_STATES).not.toContain(cursor.state);
            expect(left).not.toContain(d.to);
            if (d.from === 'created' || d.from === 'picked_up') left = [...left, d.from];
            if (d.to === 'in_transit' || STATE_RANK[d.to] >= STATE_RANK.out_for_delivery) left = [...new Set([...left, 'created' as const, 'picked_up' as const])];
            cursor = d.cursor;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a duplicate never changes anything', () => {
    fc.assert(
      fc.property(validStream, (events) => {
        const once = replayEvents(NEW_SHIPMENT_CURSOR, events).cursor;
        for (const e of events) expect(decideEvent(once, e).applied).toBe(false);
      }),
    );
  });
});
