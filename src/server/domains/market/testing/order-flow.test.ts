import { describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../market.core.ts';
import { DEFAULT_MIX, OrderFlow, type NextCommand } from './order-flow.ts';

const INSTRUMENT = 'ins_flow';
const lots = new Map([[INSTRUMENT, 'lot_flow']]);

function restingAnswer(orderId: string, restingQtyG: number): CommandAnswer {
  return { commandId: 'mcm_x', instrumentId: INSTRUMENT, seq: 1, kind: 'place', orderId, trades: [], restingQtyG, acceptedAt: new Date(0).toISOString() };
}

/** A flow that cancels (or amends) one of its resting orders whenever it has one. */
function flowThat(action: 'cancel' | 'amend') {
  return new OrderFlow(1, lots, 'k', { ...DEFAULT_MIX, cancel: action === 'cancel' ? 1 : 0, amend: action === 'amend' ? 1 : 0 });
}

/** Places one order and reports it resting with `openG` grams. */
function placeResting(flow: OrderFlow, orderId: string, openG: number): NextCommand {
  const sent = flow.next();
  expect(sent.input.kind).toBe('place');
  flow.answered(sent, restingAnswer(orderId, openG));
  return sent;
}

describe('OrderFlow', () => {
  it('cancels only what it knows rests: an order filled in full on the live feed is no longer cancelled', () => {
    const flow = flowThat('cancel');
    placeResting(flow, 'mor_a', 5000);
    expect(flow.next().input).toMatchObject({ kind: 'cancel', orderId: 'mor_a' });
    flow.filled(INSTRUMENT, 'mor_a', 5000);
    expect(flow.next().input.kind).toBe('place');
  });

  it('a partial fill lowers the open grams its amends start from', () => {
    const flow = flowThat('amend');
    placeResting(flow, 'mor_b', 8000);
    expect(flow.next().input).toMatchObject({ kind: 'amend', orderId: 'mor_b', qtyG: 4000 });
    flow.filled(INSTRUMENT, 'mor_b', 6000);
    // 2,000 g open: an amend down takes it to half.
    expect(flow.next().input).toMatchObject({ kind: 'amend', orderId: 'mor_b', qtyG: 1000 });
  });

  it('ignores fills of orders that are not its own or on instruments it does not trade', () => {
    const flow = flowThat('cancel');
    placeResting(flow, 'mor_c', 3000);
    flow.filled(INSTRUMENT, 'mor_other', 3000);
    flow.filled('ins_elsewhere', 'mor_c', 3000);
    expect(flow.next().input).toMatchObject({ kind: 'cancel', orderId: 'mor_c' });
  });
});
