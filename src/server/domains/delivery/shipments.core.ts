import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';

/**
 * The shipment state machine and the pure rules of delivery tracking (DOMAIN.md "Delivery";
 * ARCHITECTURE.md: state machines as data). No I/O: the service feeds it the shipment's cursor and
 * one event at a time and writes what it decides.
 *
 * Carrier events arrive late, twice, and out of order. Each event has an ordering key — its event
 * time, then the rank of the state it reports, then its id — and it moves the shipment only when its
 * key is above the key of the last event applied and the table allows the move. An older event is
 * recorded but ignored (`stale`), so a late `in_transit` after `delivered` never moves back. Because
 * the carrier moves are closed under composition (a→b and b→c allowed ⇒ a→c allowed), any
 * permutation (with duplicates) of a valid stream ends where the ordered stream ends: in the state
 * of its latest event.
 */
export const SHIPMENT_STATES = ['created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned'] as const;
export type ShipmentState = (typeof SHIPMENT_STATES)[number];

/** No way out of these. */
export const FINAL_SHIPMENT_STATES: readonly ShipmentState[] = ['delivered', 'returned'];

/** Progress order; breaks ties between events with the same time (delivered wins over out_for_delivery). */
export const STATE_RANK: Readonly<Record<ShipmentState, number>> = {
  created: 0,
  picked_up: 1,
  in_transit: 2,
  out_for_delivery: 3,
  exception: 4,
  delivered: 5,
  returned: 5,
};

/** Who moves a shipment: the carrier (webhook events) or a party deciding (sender, receiver). */
export type ShipmentActor = 'carrier' | 'sender' | 'receiver';

export interface ShipmentTransition {
  from: ShipmentState;
  to: ShipmentState;
  by: readonly ShipmentActor[];
}

const OPEN: readonly ShipmentState[] = ['created', 'picked_up', 'in_transit', 'out_for_delivery', 'exception'];

/**
 * What a carrier may report from each state. Carriers skip scans (a parcel can be delivered with no
 * out-for-delivery scan), so every forward move is allowed; a failed attempt goes back to the network
 * (out_for_delivery → in_transit | out_for_delivery) and an exception resolves into another attempt,
 * a delivery or a return. created/picked_up are never re-entered.
 */
const CARRIER_MOVES: Readonly<Record<ShipmentState, readonly ShipmentState[]>> = {
  created: ['picked_up', 'in_transit', 'out_for_delivery', 'exception', 'delivered', 'returned'],
  picked_up: ['in_transit', 'out_for_delivery', 'exception', 'delivered', 'returned'],
  in_transit: ['in_transit', 'out_for_delivery', 'exception', 'delivered', 'returned'],
  out_for_delivery: ['in_transit', 'out_for_delivery', 'exception', 'delivered', 'returned'],
  exception: ['in_transit', 'out_for_delivery', 'exception', 'delivered', 'returned'],
  delivered: [],
  returned: [],
};

/** Every allowed move. Anything not listed is INVALID_TRANSITION (or, for a carrier event, ignored as `not_allowed`). */
export const SHIPMENT_TRANSITIONS: readonly ShipmentTransition[] = [
  ...OPEN.flatMap((from) =>
    CARRIER_MOVES[from].map((to): ShipmentTransition => {
      // Parties report an exception (damaged, refused, address problem) while the parcel is on its way.
      const party = to === 'exception' && from !== 'created' && from !== 'exception';
      // …and resolve it: another delivery attempt (sender or receiver) or a return (sender; see decisionTarget).
      const resolve = from === 'exception' && to === 'in_transit';
      return { from, to, by: party || resolve ? ['carrier', 'sender', 'receiver'] : ['carrier'] };
    }),
  ),
];

export function isShipmentState(value: string): value is ShipmentState {
  return (SHIPMENT_STATES as readonly string[]).includes(value);
}

export function isFinalState(state: string): boolean {
  return (FINAL_SHIPMENT_STATES as readonly string[]).includes(state);
}

export function findShipmentTransition(from: ShipmentState, to: ShipmentState): ShipmentTransition | undefined {
  return SHIPMENT_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

export function canMove(from: ShipmentState, to: ShipmentState, by: ShipmentActor): boolean {
  return Boolean(findShipmentTransition(from, to)?.by.includes(by));
}

/** Every state reachable from `start` through the table (breadth first). */
export function reachableShipmentStates(start: ShipmentState = 'created'): Set<ShipmentState> {
  const seen = new Set<ShipmentState>([start]);
  const queue: ShipmentState[] = [start];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const t of SHIPMENT_TRANSITIONS) {
      if (t.from === current && !seen.has(t.to)) {
        seen.add(t.to);
        queue.push(t.to);
      }
    }
  }
  return seen;
}

// ---------------------------------------------------------------------------------------------------
// Events

/** Status events a carrier reports (the state it says the parcel is in). */
export const CARRIER_STATUS_TYPES = ['picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned'] as const;
export type CarrierStatusType = (typeof CARRIER_STATUS_TYPES)[number];
/** Every normalised event type: status events, readings only, and codes the platform does not map. */
export type CarrierEventType = CarrierStatusType | 'temperature' | 'unknown';

export const EXCEPTION_REASONS = ['damaged', 'refused', 'address_problem', 'lost', 'other'] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

/** Why a recorded event did not move the shipment. */
export type IgnoredReason = 'stale' | 'not_allowed' | 'final' | 'recipient_check_failed' | 'informational' | 'unknown_code';

/** Where the shipment stands: its state and the ordering key of the last event applied. */
export interface ShipmentCursor {
  state: ShipmentState;
  direction: 'forward' | 'return';
  lastEventAt: Date | null;
  lastEventRank: number;
  lastEventKey: string;
}

export interface IncomingEvent {
  /** The carrier's event id (the tie-breaker of last resort). */
  key: string;
  type: CarrierEventType;
  at: Date;
  by: ShipmentActor;
  /** For a delivery: the code the recipient gave the courier, when the shipment asks for one. */
  recipientCode?: string | null;
}

export type EventDecision =
  | { applied: true; from: ShipmentState; to: ShipmentState; cursor: ShipmentCursor }
  | { applied: false; from: ShipmentState; reason: IgnoredReason };

/** The state a status event reports; a delivery on the way back to the sender is its return. */
export function targetState(cursor: Pick<ShipmentCursor, 'direction'>, type: CarrierStatusType): ShipmentState {
  return type === 'delivered' && cursor.direction === 'return' ? 'returned' : type;
}

/** Orders two keys (time, rank, id): negative when a < b. */
export function compareKeys(a: { at: number; rank: number; key: string }, b: { at: number; rank: number; key: string }): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Decides one event against the cursor. `options.recipientCode` is the code a delivery must carry
 * (prescriptions: the patient's code); a delivery without the right code is recorded, not applied.
 */
export function decideEvent(cursor: ShipmentCursor, event: IncomingEvent, options: { recipientCode?: string | null } = {}): EventDecision {
  const from = cursor.state;
  if (event.type === 'temperature') return { applied: false, from, reason: 'informational' };
  if (event.type === 'unknown') return { applied: false, from, reason: 'unknown_code' };
  const to = targetState(cursor, event.type);
  const incoming = { at: event.at.getTime(), rank: STATE_RANK[to], key: event.key };
  const last = { at: cursor.lastEventAt ? cursor.lastEventAt.getTime() : Number.NEGATIVE_INFINITY, rank: cursor.lastEventRank, key: cursor.lastEventKey };
  if (compareKeys(incoming, last) <= 0) return { applied: false, from, reason: 'stale' };
  if (isFinalState(from)) return { applied: false, from, reason: 'final' };
  if (!canMove(from, to, event.by)) return { applied: false, from, reason: 'not_allowed' };
  if (to === 'delivered' && options.recipientCode && event.recipientCode !== options.recipientCode) {
    return { applied: false, from, reason: 'recipient_check_failed' };
  }
  return { applied: true, from, to, cursor: { ...cursor, state: to, lastEventAt: event.at, lastEventRank: incoming.rank, lastEventKey: event.key } };
}

/** Applies events in arrival order; answers the final cursor and each decision (pure replay, tests, CLI). */
export function replayEvents(start: ShipmentCursor, events: readonly IncomingEvent[], options: { recipientCode?: string | null } = {}): { cursor: ShipmentCursor; decisions: EventDecision[] } {
  const seen = new Set<string>();
  const decisions: EventDecision[] = [];
  let cursor = start;
  for (const event of events) {
    if (seen.has(event.key)) continue; // a duplicate changes nothing (the database dedupes by carrier event id)
    seen.add(event.key);
    const decision = decideEvent(cursor, event, options);
    decisions.push(decision);
    if (decision.applied) cursor = decision.cursor;
  }
  return { cursor, decisions };
}

export const NEW_SHIPMENT_CURSOR: ShipmentCursor = { state: 'created', direction: 'forward', lastEventAt: null, lastEventRank: 0, lastEventKey: '' };

// ---------------------------------------------------------------------------------------------------
// Party decisions: report an exception, deliver again, send back

export type ShipmentDecision = 'report_exception' | 'redeliver' | 'return';
export type ShipmentParty = 'sender' | 'receiver';

/**
 * Checks a party's decision and answers the state it leads to. A decision the table does not allow
 * is INVALID_TRANSITION; one this party may not take (the receiver cannot have it sent back, a
 * `refused` exception is the receiver's word) is FORBIDDEN.
 */
export function decisionTarget(state: string, decision: ShipmentDecision, party: ShipmentParty, reason?: ExceptionReason): { from: ShipmentState; to: ShipmentState; direction?: 'forward' | 'return' } {
  const from = isShipmentState(state) ? state : null;
  const to: ShipmentState = decision === 'report_exception' ? 'exception' : 'in_transit';
  if (!from || !canMove(from, to, party) || (decision !== 'report_exception' && from !== 'exception')) {
    throw new AppError('INVALID_TRANSITION', msg('shipments.invalidTransition', { from: state, to: decision }), { field: 'id', from: state, to: decision });
  }
  if (decision === 'return' && party !== 'sender') throw new AppError('FORBIDDEN', msg('shipments.notYourMove', { to: decision }), { field: 'id' });
  if (decision === 'report_exception' && reason === 'refused' && party !== 'receiver') throw new AppError('FORBIDDEN', msg('shipments.onlyReceiverRefuses'), { field: 'reason' });
  if (decision === 'redeliver') return { from, to, direction: 'forward' };
  if (decision === 'return') return { from, to, direction: 'return' };
  return { from, to };
}

/**
 * When a party's decision happens in event time: now, or just after the last event applied when the
 * carrier's clock is ahead of ours (a decision must never be stale).
 */
export function decisionTime(cursor: Pick<ShipmentCursor, 'lastEventAt'>, now: Date): Date {
  const last = cursor.lastEventAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return new Date(Math.max(now.getTime(), last + 1));
}

// ---------------------------------------------------------------------------------------------------
// Cold chain

/** Decocted medicine ships at 2–8 °C (GSP cold chain); the bounds themselves are within range. */
export const COLD_CHAIN_MIN_C = 2;
export const COLD_CHAIN_MAX_C = 8;

export function isExcursion(celsius: number): boolean {
  return celsius < COLD_CHAIN_MIN_C || celsius > COLD_CHAIN_MAX_C;
}

/** Plausible sensor range; a reading outside is malformed input, not an excursion. */
export function isPlausibleCelsius(celsius: number): boolean {
  return Number.isFinite(celsius) && celsius >= -80 && celsius <= 80;
}

/** Excursion readings within 30 minutes of an alert's window extend it instead of raising another. */
export const EXCURSION_EPISODE_GAP_MS = 30 * 60 * 1000;

export interface AlertWindow {
  id: string;
  startedAt: Date;
  lastAt: Date;
}

/** The excursion alert a reading at `at` belongs to, or null when it starts a new episode (a new alert). */
export function excursionEpisode(alerts: readonly AlertWindow[], at: Date): AlertWindow | null {
  const t = at.getTime();
  return alerts.find((a) => t >= a.startedAt.getTime() - EXCURSION_EPISODE_GAP_MS && t <= a.lastAt.getTime() + EXCURSION_EPISODE_GAP_MS) ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Lateness, ETA, recipient code

/** Not delivered or returned and past its ETA. */
export function isLate(shipment: { state: string; eta: Date | null }, now: Date): boolean {
  return shipment.eta !== null && shipment.eta.getTime() < now.getTime() && !isFinalState(shipment.state);
}

const HOUR_MS = 3600_000;

/** The carrier's promise when none is given: next day for cold chain (same-city courier), else two days. */
export function defaultEta(createdAt: Date, coldChain: boolean): Date {
  return new Date(createdAt.getTime() + (coldChain ? 24 : 48) * HOUR_MS);
}

/** Delivery attempts so far: out-for-delivery scans recorded (each distinct event counted once). */
export function attemptsAfter(attempts: number, type: CarrierEventType): number {
  return type === 'out_for_delivery' ? attempts + 1 : attempts;
}

/** Masks a phone number for the waybill view (13812345678 → 138****5678). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
