/**
 * `bencao match-replay` (CONTRACTS.md): replays JSON Lines of limit/cancel commands through the same
 * `MatchingEngine` the platform uses and returns the output JSON Lines.
 *
 * Input lines (empty or blank lines are ignored; line numbers count every line, from 1):
 *   {"type":"limit","id":"o1","instrument":"huangqi-tonghuo","side":"buy|sell","qtyG":100000,"fenPerKg":3500,"tif":"GTC|IOC"}
 *   {"type":"cancel","id":"o1"}
 * Other fields are ignored. A structurally bad line throws `ReplayInputError` naming the line and the field:
 * not JSON or not an object, `type` not limit/cancel, `id` not a non-empty string, `instrument` not a
 * non-empty string, `side` not buy/sell, `tif` not GTC/IOC (required).
 * `qtyG`/`fenPerKg` are NOT structural: any value that is not a positive safe integer (0, −5, 1.5, "100",
 * null, missing, > 2^53 − 1) gives a `rejected` event — see the reasons below.
 *
 * Output lines: each event in the order it happens —
 *   {"type":"trade","instrument":…,"buyId":…,"sellId":…,"qtyG":…,"fenPerKg":…}
 *   {"type":"rejected","id":…,"reason":…}
 * then one {"type":"book","instrument":…,"bids":[[fenPerKg,qtyG],…],"asks":[…]} per instrument that
 * received an accepted limit order, instrument ids sorted by UTF-16 code units.
 *
 * Reasons (`RejectReason` in order-book.core.ts; checked in this order):
 *   invalid_quantity — limit `qtyG` is not a positive integer
 *   invalid_price    — limit `fenPerKg` is not a positive integer
 *   duplicate_id     — limit id already used by an accepted limit order (any instrument, any time)
 *   not_resting      — cancel of an id that is not resting (unknown, filled, cancelled, IOC, rejected)
 * (`not_a_reduction` exists only for the platform's amend command, which this contract does not carry.)
 */
import { MatchingEngine, type CancelCommand, type LimitCommand, type MatchEvent } from './order-book.core.ts';

/** A structurally bad input line. `field` is empty when the line as a whole is bad. */
export class ReplayInputError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`line ${line}${field ? `: ${field}` : ''}: ${problem}`);
    this.name = 'ReplayInputError';
  }
}

export type ReplayCommand = LimitCommand | CancelCommand;

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Parses one non-blank input line (1-based `line` for error messages). */
export function parseReplayLine(text: string, line: number): ReplayCommand {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReplayInputError(line, '', `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReplayInputError(line, '', 'must be a JSON object');
  }
  const o = value as Record<string, unknown>;
  const type = o.type;
  if (type !== 'limit' && type !== 'cancel') {
    throw new ReplayInputError(line, 'type', `must be "limit" or "cancel", got ${describe(type)}`);
  }
  const id = o.id;
  if (!nonEmptyString(id)) throw new ReplayInputError(line, 'id', `must be a non-empty string, got ${describe(id)}`);
  if (type === 'cancel') return { type, id };
  const instrument = o.instrument;
  if (!nonEmptyString(instrument)) {
    throw new ReplayInputError(line, 'instrument', `must be a non-empty string, got ${describe(instrument)}`);
  }
  const side = o.side;
  if (side !== 'buy' && side !== 'sell') {
    throw new ReplayInputError(line, 'side', `must be "buy" or "sell", got ${describe(side)}`);
  }
  const tif = o.tif;
  if (tif !== 'GTC' && tif !== 'IOC') throw new ReplayInputError(line, 'tif', `must be "GTC" or "IOC", got ${describe(tif)}`);
  // Not structural: the engine rejects anything that is not a positive safe integer.
  const qtyG = typeof o.qtyG === 'number' ? o.qtyG : Number.NaN;
  const fenPerKg = typeof o.fenPerKg === 'number' ? o.fenPerKg : Number.NaN;
  return { type, id, instrument, side, qtyG, fenPerKg, tif };
}

/** A short description of a bad value: scalars as JSON (cut at 40 characters), arrays and objects by kind (they may be nested without end). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

/**
 * Replays the input lines and returns the output lines (without newlines). Parses every line before
 * running any, so a bad line anywhere yields an error and no output.
 */
export function replay(lines: Iterable<string>): string[] {
  const commands: ReplayCommand[] = [];
  let n = 0;
  for (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    commands.push(parseReplayLine(text, n));
  }
  const engine = new MatchingEngine();
  const events: MatchEvent[] = [];
  for (const command of commands) engine.process(command, events);
  const out = events.map((event) => JSON.stringify(event));
  for (const instrument of engine.instruments()) {
    const { bids, asks } = engine.book(instrument);
    out.push(JSON.stringify({ type: 'book', instrument, bids, asks }));
  }
  return out;
}
