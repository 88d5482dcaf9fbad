import { canMove, EXCEPTION_REASONS, isShipmentState, type ExceptionReason } from './shipments.core.ts';

export interface PartyMoves {
  reportException: boolean;
  redeliver: boolean;
  return: boolean;
  /** The exception reasons this party may give (only the receiver says it refused the parcel). */
  reasons: readonly ExceptionReason[];
}

/**
 * What a party may decide on a shipment in `state` — the buttons a page shows. The same rules as
 * `decisionTarget`, which the service enforces (this only spares people buttons that would be refused).
 * The hospital that issued a prescription acts as its receiver (the patient has no account).
 */
export function partyMoves(state: string, side: 'sender' | 'receiver'): PartyMoves {
  if (!isShipmentState(state)) return { reportException: false, redeliver: false, return: false, reasons: [] };
  const resolving = state === 'exception' && canMove('exception', 'in_transit', side);
  return {
    reportException: state !== 'exception' && canMove(state, 'exception', side),
    redeliver: resolving,
    return: resolving && side === 'sender',
    reasons: EXCEPTION_REASONS.filter((r) => r !== 'refused' || side === 'receiver'),
  };
}
