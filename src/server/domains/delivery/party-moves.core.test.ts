import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.ts';
import { partyMoves } from './party-moves.core.ts';
import { decisionTarget, SHIPMENT_STATES, type ShipmentDecision } from './shipments.core.ts';

const allowedByService = (state: string, decision: ShipmentDecision, side: 'sender' | 'receiver'): boolean => {
  try {
    decisionTarget(state, decision, side, decision === 'report_exception' ? 'damaged' : undefined);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
};

describe('partyMoves', () => {
  it('offers exactly the decisions the service accepts, in every state, for both parties', () => {
    for (const state of SHIPMENT_STATES) {
      for (const side of ['sender', 'receiver'] as const) {
        const moves = partyMoves(state, side);
        expect([state, side, moves.reportException]).toEqual([state, side, allowedByService(state, 'report_exception', side)]);
        expect([state, side, moves.redeliver]).toEqual([state, side, allowedByService(state, 'redeliver', side)]);
        expect([state, side, moves.return]).toEqual([state, side, allowedByService(state, 'return', side)]);
      }
    }
  });

  it('offers nothing on an unknown state, and only the receiver the "refused" reason', () => {
    expect(partyMoves('teleported', 'sender')).toMatchObject({ reportException: false, redeliver: false, return: false });
    expect(partyMoves('in_transit', 'receiver').reasons).toContain('refused');
    expect(partyMoves('in_transit', 'sender').reasons).not.toContain('refused');
  });
});
