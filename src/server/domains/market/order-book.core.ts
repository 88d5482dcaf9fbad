/**
 * Market — in-memory limit order books and the matching engine (DOMAIN.md "Market (order matching)").
 *
 * Pure and deterministic: no clock, no randomness, no I/O. The same command stream always gives the
 * same events and the same books, so the platform can append `MatchCommand`s to a log and rebuild the
 * engine by replaying it (and `bencao match-replay` lets anyone audit a result the same way).
 *
 * Rules
 * - Price-time priority: best price first, then arrival order within a price level.
 * - Partial fills; the trade price is the resting (maker) order's price.
 * - GTC: the unfilled remainder rests. IOC: the unfilled remainder is dropped, with no event.
 * - Buyer constraints (origin set, minimum grade, required certificate) are checked against the sell
 *   order's attributes. A resting order that is incompatible with the incoming order is skipped for that
 *   order only; it keeps its place in the queue. Consequently the book may look "crossed" (a bid at or
 *   above an ask) when the two are incompatible.
 * - Cancel by id; amend-down (reduce the open quantity) keeps time priority.
 *
 * Rejections (a `rejected` event, nothing else changes) — `RejectReason`:
 * - `invalid_quantity`: `qtyG` is not a positive safe integer (limit, amend);
 * - `invalid_price`:    `fenPerKg` is not a positive safe integer (limit);
 * - `duplicate_id`:     a limit order reuses an id that an accepted limit order already used — ever, on
 *                       any instrument (rejected orders do not consume their id);
 * - `not_resting`:      cancel/amend of an id that is not resting (unknown, filled, cancelled, IOC);
 * - `not_a_reduction`:  amend to a quantity that is not below the order's open quantity.
 * Checks run in that order (a limit order with a bad quantity and a reused id is `invalid_quantity`).
 *
 * Data structures
 * - Per book and side, price levels in an array sorted by `key` ascending with the best level LAST
 *   (bids: key = price; asks: key = −price), so the hot end is pop/push; finding a level is a best-level
 *   check, then binary search; a new level in the middle is a splice (levels are few: tens to hundreds).
 * - Each level is a FIFO queue as an intrusive doubly-linked list of order nodes, with its summed
 *   quantity and its number of constrained orders (0 ⇒ the level is matched without any constraint
 *   check, the fast path). Cancel, amend and fills unlink in O(1).
 * - Engine-wide `IdIndex`: every id ever accepted → the node it rested on (duplicate detection, cancel
 *   and amend in O(1)); a purpose-built hash table because `Map` with a million string keys was half of
 *   the engine's time. Nodes are pooled and recycled when an order leaves the book, so the index is never
 *   written on fills or cancels: an entry is live only while its node still carries its id.
 * Incoming orders with constraints, or levels holding constrained bids, are walked order by order; a
 * heavily constrained order can therefore cost time proportional to the incompatible orders it skips.
 */

export type Side = 'buy' | 'sell';
export type TimeInForce = 'GTC' | 'IOC';

/** What a sell order offers. `grade` is a quality rank: higher is better (the catalogue maps 统货/选货/等级). */
export interface SellAttributes {
  readonly origin?: string;
  readonly grade?: number;
  readonly certificates?: readonly string[];
  /** Who sells (the platform fills in the seller organisation), for buyers funded on net terms. */
  readonly seller?: string;
}

/** What a buyer requires. Omitted (or an empty `origins`) means no requirement on that attribute; an empty `sellers` matches no seller. */
export interface BuyConstraints {
  /** Acceptable origins (产地); the sell's `origin` must be one of them. */
  readonly origins?: readonly string[];
  /** The sell's `grade` must be ≥ this. */
  readonly minGrade?: number;
  /** The sell's `certificates` must include this one. */
  readonly certificate?: string;
  /** The sell's `seller` must be one of them (a buyer on net terms buys only where it has credit). */
  readonly sellers?: readonly string[];
}

/** Place a limit order. Serialisable as JSON (the command log format). */
export interface LimitCommand {
  readonly type: 'limit';
  readonly id: string;
  readonly instrument: string;
  readonly side: Side;
  /** Quantity in grams. */
  readonly qtyG: number;
  /** Limit price in fen per kg. */
  readonly fenPerKg: number;
  readonly tif: TimeInForce;
  /** Buy orders only (ignored on sells). */
  readonly constraints?: BuyConstraints;
  /** Sell orders only (ignored on buys). */
  readonly attributes?: SellAttributes;
}

/** Cancel a resting order (any instrument). */
export interface CancelCommand {
  readonly type: 'cancel';
  readonly id: string;
}

/** Reduce a resting order's open quantity to `qtyG` (must be smaller); keeps time priority. */
export interface AmendCommand {
  readonly type: 'amend';
  readonly id: string;
  readonly qtyG: number;
}

/** Every state change of the engine is one of these; replaying them in order rebuilds the engine. */
export type MatchCommand = LimitCommand | CancelCommand | AmendCommand;

export interface TradeEvent {
  readonly type: 'trade';
  readonly instrument: string;
  readonly buyId: string;
  readonly sellId: string;
  readonly qtyG: number;
  readonly fenPerKg: number;
}

export const REJECT_REASONS = [
  'invalid_quantity',
  'invalid_price',
  'duplicate_id',
  'not_resting',
  'not_a_reduction',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface RejectedEvent {
  readonly type: 'rejected';
  readonly id: string;
  readonly reason: RejectReason;
}

export type MatchEvent = TradeEvent | RejectedEvent;

/** One price level: `[fenPerKg, qtyG]`. */
export type BookLevel = readonly [fenPerKg: number, qtyG: number];

/** Aggregated depth, best level first (bids high → low, asks low → high), quantities summed per level. */
export interface BookSnapshot {
  readonly bids: BookLevel[];
  readonly asks: BookLevel[];
}

/** A resting order as persisted; `seq` is its arrival rank (time priority) across the whole engine. */
export interface RestingOrder {
  readonly id: string;
  readonly instrument: string;
  readonly side: Side;
  /** Open (unfilled) quantity in grams. */
  readonly qtyG: number;
  readonly fenPerKg: number;
  readonly seq: number;
  readonly constraints?: BuyConstraints;
  readonly attributes?: SellAttributes;
}

// ---------------------------------------------------------------------------------------------------
// Internals

/** Compiled buyer constraints: checked once per (buy, sell) pair that crosses in price. */
interface Requirement {
  readonly origins: ReadonlySet<string> | null;
  readonly minGrade: number | null;
  readonly certificate: string | null;
  readonly sellers: ReadonlySet<string> | null;
}

function compileConstraints(c: BuyConstraints | undefined): Requirement | null {
  if (c === undefined) return null;
  const origins = c.origins !== undefined && c.origins.length > 0 ? new Set(c.origins) : null;
  const minGrade = c.minGrade ?? null;
  const certificate = c.certificate ?? null;
  const sellers = c.sellers !== undefined ? new Set(c.sellers) : null;
  if (origins === null && minGrade === null && certificate === null && sellers === null) return null;
  return { origins, minGrade, certificate, sellers };
}

/** Whether a sell with attributes `a` satisfies requirement `r`. Missing attributes fail any requirement. */
function satisfies(r: Requirement, a: SellAttributes | null): boolean {
  if (r.origins !== null && (a === null || a.origin === undefined || !r.origins.has(a.origin))) return false;
  if (r.minGrade !== null && (a === null || a.grade === undefined || !(a.grade >= r.minGrade))) return false;
  if (r.certificate !== null && (a === null || a.certificates === undefined || !a.certificates.includes(r.certificate))) {
    return false;
  }
  if (r.sellers !== null && (a === null || a.seller === undefined || !r.sellers.has(a.seller))) return false;
  return true;
}

/** Frozen copies, so a caller mutating its objects later cannot change a resting order. */
function copyAttributes(a: SellAttributes): SellAttributes {
  return Object.freeze({
    ...(a.origin !== undefined ? { origin: a.origin } : {}),
    ...(a.grade !== undefined ? { grade: a.grade } : {}),
    ...(a.certificates !== undefined ? { certificates: Object.freeze([...a.certificates]) } : {}),
    ...(a.seller !== undefined ? { seller: a.seller } : {}),
  });
}

function copyConstraints(c: BuyConstraints): BuyConstraints {
  return Object.freeze({
    ...(c.origins !== undefined ? { origins: Object.freeze([...c.origins]) } : {}),
    ...(c.minGrade !== undefined ? { minGrade: c.minGrade } : {}),
    ...(c.certificate !== undefined ? { certificate: c.certificate } : {}),
    ...(c.sellers !== undefined ? { sellers: Object.freeze([...c.sellers]) } : {}),
  });
}

function isPositiveSafeInteger(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) > 0;
}

class Level {
  head: OrderNode | null = null;
  tail: OrderNode | null = null;
  /** Summed open quantity of the level's orders. */
  qty = 0;
  /** Number of orders in the level that carry buyer constraints (bids only). */
  constrained = 0;
  constructor(
    /** Sort key: the price for bids, minus the price for asks (best level = greatest key). */
    readonly key: number,
    readonly price: number,
  ) {}
}

/** A resting order. Nodes are recycled through `NodePool` once they leave the book. */
class OrderNode {
  prev: OrderNode | null = null;
  next: OrderNode | null = null;
  constructor(
    public id: string,
    public book: OrderBook,
    public side: Side,
    public price: number,
    public qty: number,
    public seq: number,
    public level: Level,
    /** Compiled buyer constraints (buys only). */
    public requirement: Requirement | null,
    /** Sell attributes (sells only). */
    public attributes: SellAttributes | null,
    /** The constraints as given, for `restingOrders()`. */
    public constraints: BuyConstraints | undefined,
  ) {}
}

/**
 * Free list of order nodes. Reusing nodes keeps them out of V8's promote-then-die cycle (a resting order
 * usually outlives a scavenge, so fresh nodes would be copied to the old generation and die there) and
 * lets the id index keep pointing at a node after its order left the book (see `restingNode`). A node is
 * released once unlinked from its level; it is marked dead (qty 0). Every node is either resting or free,
 * so the node count is the peak number of simultaneously resting orders.
 */
class NodePool {
  private readonly free: OrderNode[] = [];

  take(
    id: string,
    book: OrderBook,
    side: Side,
    price: number,
    qty: number,
    seq: number,
    level: Level,
    requirement: Requirement | null,
    attributes: SellAttributes | null,
    constraints: BuyConstraints | undefined,
  ): OrderNode {
    const node = this.free.pop();
    if (node === undefined) return new OrderNode(id, book, side, price, qty, seq, level, requirement, attributes, constraints);
    node.id = id;
    node.book = book;
    node.side = side;
    node.price = price;
    node.qty = qty;
    node.seq = seq;
    node.level = level;
    node.requirement = requirement;
    node.attributes = attributes;
    node.constraints = constraints;
    return node;
  }

  release(node: OrderNode): void {
    node.qty = 0;
    node.requirement = null;
    node.attributes = null;
    node.constraints = undefined;
    this.free.push(node);
  }
}

const EMPTY_EVENTS: readonly MatchEvent[] = Object.freeze([]);

function trade(instrument: string, buyId: string, sellId: string, qtyG: number, fenPerKg: number): TradeEvent {
  return { type: 'trade', instrument, buyId, sellId, qtyG, fenPerKg };
}

function rejected(id: string, reason: RejectReason): RejectedEvent {
  return { type: 'rejected', id, reason };
}

/** Index of the level with `key`, or `~insertionIndex` when there is none. Levels sorted by key ascending. */
function searchLevel(levels: readonly Level[], key: number): number {
  let lo = 0;
  let hi = levels.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = levels[mid]!.key;
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return ~lo;
}

/**
 * The book of one instrument. Created and driven by `MatchingEngine`, which owns the id index and the
 * node pool (not exported: the engine is the API; `MatchingEngine.book()` gives a book's depth).
 */
class OrderBook {
  /** Bid levels, ascending price: best (highest) last. */
  private readonly bids: Level[] = [];
  /** Ask levels, descending price: best (lowest) last. */
  private readonly asks: Level[] = [];

  constructor(
    readonly instrument: string,
    private readonly pool: NodePool,
  ) {}

  /**
   * Matches an incoming order against the opposite side and returns the unfilled quantity. Appends
   * trades to `out`. Filled makers are removed from the book and recycled.
   */
  match(
    id: string,
    side: Side,
    price: number,
    qty: number,
    requirement: Requirement | null,
    attributes: SellAttributes | null,
    out: MatchEvent[],
  ): number {
    const buy = side === 'buy';
    const levels = buy ? this.asks : this.bids;
    // A level crosses when its key ≥ crossKey: asks price ≤ limit (−price ≥ −limit), bids price ≥ limit.
    const crossKey = buy ? -price : price;
    const instrument = this.instrument;
    let remaining = qty;
    let i = levels.length - 1;
    while (i >= 0) {
      const level = levels[i]!;
      if (level.key < crossKey) break;
      const checked = requirement !== null || level.constrained > 0;
      let node = level.head;
      while (node !== null) {
        const next = node.next;
        if (
          !checked ||
          (buy
            ? requirement === null || satisfies(requirement, node.attributes)
            : node.requirement === null || satisfies(node.requirement, attributes))
        ) {
          const makerQty = node.qty;
          const q = makerQty < remaining ? makerQty : remaining;
          out.push(buy ? trade(instrument, id, node.id, q, level.price) : trade(instrument, node.id, id, q, level.price));
          remaining -= q;
          level.qty -= q;
          if (q === makerQty) {
            node.qty = 0;
            unlink(level, node);
            this.pool.release(node);
          } else {
            node.qty = makerQty - q;
          }
          if (remaining === 0) break;
        }
        node = next;
      }
      if (level.head === null) {
        if (i === levels.length - 1) levels.pop();
        else levels.splice(i, 1);
      }
      if (remaining === 0) break;
      i--;
    }
    return remaining;
  }

  /** Appends a new resting order at the tail of its price level. */
  add(
    id: string,
    side: Side,
    price: number,
    qty: number,
    seq: number,
    requirement: Requirement | null,
    attributes: SellAttributes | null,
    constraints: BuyConstraints | undefined,
  ): OrderNode {
    const levels = side === 'buy' ? this.bids : this.asks;
    const key = side === 'buy' ? price : -price;
    let level: Level;
    const n = levels.length;
    const top = n > 0 ? levels[n - 1]! : null;
    if (top !== null && top.key === key) {
      level = top;
    } else if (top === null || key > top.key) {
      level = new Level(key, price);
      levels.push(level);
    } else {
      const at = searchLevel(levels, key);
      if (at >= 0) {
        level = levels[at]!;
      } else {
        level = new Level(key, price);
        levels.splice(~at, 0, level);
      }
    }
    const node = this.pool.take(id, this, side, price, qty, seq, level, requirement, attributes, constraints);
    const tail = level.tail;
    if (tail === null) level.head = node;
    else {
      tail.next = node;
      node.prev = tail;
    }
    level.tail = node;
    level.qty += qty;
    if (requirement !== null) level.constrained++;
    return node;
  }

  /** Removes a resting order (cancel); the node is recycled. */
  remove(node: OrderNode): void {
    const level = node.level;
    level.qty -= node.qty;
    if (node.requirement !== null) level.constrained--;
    unlink(level, node);
    if (level.head === null) {
      const levels = node.side === 'buy' ? this.bids : this.asks;
      const n = levels.length;
      if (levels[n - 1] === level) levels.pop();
      else {
        const at = searchLevel(levels, level.key);
        if (at >= 0) levels.splice(at, 1);
      }
    }
    this.pool.release(node);
  }

  /** Reduces a resting order's open quantity in place (keeps its queue position). */
  reduce(node: OrderNode, qty: number): void {
    node.level.qty -= node.qty - qty;
    node.qty = qty;
  }

  /** Best bid price, if any. */
  bestBid(): number | undefined {
    return this.bids[this.bids.length - 1]?.price;
  }

  /** Best ask price, if any. */
  bestAsk(): number | undefined {
    return this.asks[this.asks.length - 1]?.price;
  }

  snapshot(): BookSnapshot {
    return { bids: depth(this.bids), asks: depth(this.asks) };
  }

  /** Resting orders, each side best level first and FIFO within a level. */
  *nodes(): Generator<OrderNode> {
    for (const levels of [this.bids, this.asks]) {
      for (let i = levels.length - 1; i >= 0; i--) {
        for (let node = levels[i]!.head; node !== null; node = node.next) yield node;
      }
    }
  }
}

function unlink(level: Level, node: OrderNode): void {
  const prev = node.prev;
  const next = node.next;
  if (prev === null) level.head = next;
  else prev.next = next;
  if (next === null) level.tail = prev;
  else next.prev = prev;
  node.prev = null;
  node.next = null;
}

function depth(levels: readonly Level[]): BookLevel[] {
  const out: BookLevel[] = [];
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    out.push([level.price, level.qty]);
  }
  return out;
}

/**
 * Every id an accepted limit order has used, in acceptance order, with the node it rested on (null when
 * it never rested). Entries live in dense arrays (`keys`, `nodes`); the hash table is one Int32Array of
 * (hash, entry + 1) pairs — open addressing, linear probing, load ≤ ½, 0 = empty. A probe compares
 * stored hashes and reads a key only when the hash matches, so a new id usually costs one cache miss,
 * and growing rehashes integers only. Measured ~2× faster than `Map#has` + `Map#set` at a million ids,
 * which dominated the engine's time. Entries are never removed (ids are used "ever"); the node of an
 * order that left the book is recycled, see `MatchingEngine.restingNode`.
 * The hash (FNV-1a, fixed basis) affects speed only, never results; ids are assumed platform-generated
 * (deliberately colliding ids would slow lookups down).
 */
class IdIndex {
  private table = new Int32Array(2 << 10);
  private mask = (1 << 10) - 1;
  private readonly keys: string[] = [];
  private readonly nodes: (OrderNode | null)[] = [];

  private static hash(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    return h === 0 ? 1 : h;
  }

  /** Entry of `id`, or −1. */
  find(id: string): number {
    const h = IdIndex.hash(id);
    const table = this.table;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const x = table[2 * i]!;
      if (x === 0) return -1;
      if (x === h) {
        const entry = table[2 * i + 1]! - 1;
        if (this.keys[entry] === id) return entry;
      }
    }
  }

  /** Adds `id` and returns its entry, or returns −1 if it is already there. */
  claim(id: string): number {
    const h = IdIndex.hash(id);
    const table = this.table;
    const mask = this.mask;
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const x = table[2 * i]!;
      if (x === 0) break;
      if (x === h && this.keys[table[2 * i + 1]! - 1] === id) return -1;
    }
    const entry = this.keys.length;
    this.keys.push(id);
    this.nodes.push(null);
    table[2 * i] = h;
    table[2 * i + 1] = entry + 1;
    if ((entry + 1) * 2 > mask + 1) this.grow();
    return entry;
  }

  node(entry: number): OrderNode | null {
    return this.nodes[entry]!;
  }

  setNode(entry: number, node: OrderNode): void {
    this.nodes[entry] = node;
  }

  /** All ids in acceptance order. */
  ids(): string[] {
    return this.keys.slice();
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    const mask = capacity - 1;
    const table = new Int32Array(2 * capacity);
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j]!;
      if (h === 0) continue;
      let i = h & mask;
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = h;
      table[2 * i + 1] = old[j + 1]!;
    }
    this.table = table;
    this.mask = mask;
  }
}

function toRestingOrder(node: OrderNode): RestingOrder {
  return {
    id: node.id,
    instrument: node.book.instrument,
    side: node.side,
    qtyG: node.qty,
    fenPerKg: node.price,
    seq: node.seq,
    ...(node.constraints !== undefined ? { constraints: node.constraints } : {}),
    ...(node.attributes !== null ? { attributes: node.attributes } : {}),
  };
}

/**
 * The matching engine: one `OrderBook` per instrument (created by the first accepted limit order on it)
 * and one id space across all instruments.
 */
export class MatchingEngine {
  private readonly books = new Map<string, OrderBook>();
  /** Every accepted id → its node (see `restingNode`). */
  private readonly index = new IdIndex();
  private readonly pool = new NodePool();
  private seq = 0;

  /** Applies one command and returns its events (a shared empty array when there are none). */
  apply(command: MatchCommand): readonly MatchEvent[] {
    const out: MatchEvent[] = [];
    this.process(command, out);
    return out.length === 0 ? EMPTY_EVENTS : out;
  }

  /** Applies one command, appending its events to `out` (avoids an array per command in bulk replays). */
  process(command: MatchCommand, out: MatchEvent[]): void {
    switch (command.type) {
      case 'limit':
        this.limitInto(command, out);
        return;
      case 'cancel':
        this.cancelInto(command.id, out);
        return;
      case 'amend':
        this.amendInto(command.id, command.qtyG, out);
        return;
      default:
        throw new TypeError(`unknown command type ${JSON.stringify((command as { type?: unknown }).type)}`);
    }
  }

  limit(order: Omit<LimitCommand, 'type'> & { readonly type?: 'limit' }): readonly MatchEvent[] {
    const out: MatchEvent[] = [];
    this.limitInto(order, out);
    return out.length === 0 ? EMPTY_EVENTS : out;
  }

  cancel(id: string): readonly MatchEvent[] {
    const out: MatchEvent[] = [];
    this.cancelInto(id, out);
    return out.length === 0 ? EMPTY_EVENTS : out;
  }

  amend(id: string, qtyG: number): readonly MatchEvent[] {
    const out: MatchEvent[] = [];
    this.amendInto(id, qtyG, out);
    return out.length === 0 ? EMPTY_EVENTS : out;
  }

  private limitInto(order: Omit<LimitCommand, 'type'>, out: MatchEvent[]): void {
    const { id, side, qtyG, fenPerKg, tif } = order;
    if (typeof id !== 'string') throw new TypeError('limit order id must be a string');
    if (side !== 'buy' && side !== 'sell') throw new TypeError(`limit order side must be buy or sell`);
    if (tif !== 'GTC' && tif !== 'IOC') throw new TypeError(`limit order tif must be GTC or IOC`);
    if (!isPositiveSafeInteger(qtyG)) {
      out.push(rejected(id, 'invalid_quantity'));
      return;
    }
    if (!isPositiveSafeInteger(fenPerKg)) {
      out.push(rejected(id, 'invalid_price'));
      return;
    }
    let book = this.books.get(order.instrument);
    if (book === undefined && typeof order.instrument !== 'string') {
      throw new TypeError('limit order instrument must be a string');
    }
    const entry = this.index.claim(id);
    if (entry < 0) {
      out.push(rejected(id, 'duplicate_id'));
      return;
    }
    if (book === undefined) {
      book = new OrderBook(order.instrument, this.pool);
      this.books.set(order.instrument, book);
    }
    const buy = side === 'buy';
    const requirement = buy ? compileConstraints(order.constraints) : null;
    const attributes = buy || order.attributes === undefined ? null : copyAttributes(order.attributes);
    const remaining = book.match(id, side, fenPerKg, qtyG, requirement, attributes, out);
    if (remaining > 0 && tif === 'GTC') {
      const constraints = requirement !== null && order.constraints !== undefined ? copyConstraints(order.constraints) : undefined;
      this.index.setNode(entry, book.add(id, side, fenPerKg, remaining, ++this.seq, requirement, attributes, constraints));
    }
  }

  private cancelInto(id: string, out: MatchEvent[]): void {
    const node = this.restingNode(id);
    if (node === undefined) {
      out.push(rejected(id, 'not_resting'));
      return;
    }
    node.book.remove(node);
  }

  private amendInto(id: string, qtyG: number, out: MatchEvent[]): void {
    if (!isPositiveSafeInteger(qtyG)) {
      out.push(rejected(id, 'invalid_quantity'));
      return;
    }
    const node = this.restingNode(id);
    if (node === undefined) {
      out.push(rejected(id, 'not_resting'));
      return;
    }
    if (qtyG >= node.qty) {
      out.push(rejected(id, 'not_a_reduction'));
      return;
    }
    node.book.reduce(node, qtyG);
  }

  /**
   * The node of a resting order. Index entries are not updated when an order leaves the book: its node
   * is marked dead (qty 0) and recycled, so an entry is live only if its node still carries its id and a
   * positive quantity (ids are never reused, so a recycled node always carries another id).
   */
  private restingNode(id: string): OrderNode | undefined {
    const slot = this.index.find(id);
    if (slot < 0) return undefined;
    const node = this.index.node(slot);
    return node !== null && node.qty > 0 && node.id === id ? node : undefined;
  }

  /** Aggregated depth of one instrument (empty sides when it has no book). */
  book(instrument: string): BookSnapshot {
    return this.books.get(instrument)?.snapshot() ?? { bids: [], asks: [] };
  }

  /** Top of book: best bid and best ask prices (undefined when that side is empty). */
  top(instrument: string): { bid: number | undefined; ask: number | undefined } {
    const book = this.books.get(instrument);
    return { bid: book?.bestBid(), ask: book?.bestAsk() };
  }

  /** Instruments that received at least one accepted limit order, sorted (code-unit order). */
  instruments(): string[] {
    return [...this.books.keys()].sort();
  }

  /** The resting order with this id, if it rests. */
  order(id: string): RestingOrder | undefined {
    const node = this.restingNode(id);
    return node !== undefined ? toRestingOrder(node) : undefined;
  }

  /** Whether an order with this id is resting. */
  isResting(id: string): boolean {
    return this.restingNode(id) !== undefined;
  }

  /** Whether an accepted limit order has ever used this id. */
  hasUsedId(id: string): boolean {
    return this.index.find(id) >= 0;
  }

  /** Every id an accepted limit order has used (resting or not), for persistence next to `restingOrders()`. */
  usedIds(): string[] {
    return this.index.ids();
  }

  /** All resting orders in arrival (time-priority) order — for persistence and `restore`. */
  restingOrders(): RestingOrder[] {
    const out: RestingOrder[] = [];
    for (const book of this.books.values()) for (const node of book.nodes()) out.push(toRestingOrder(node));
    return out.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Rebuilds an engine from `restingOrders()` output by re-submitting the orders as GTC limits in `seq`
   * order. Resting orders never include a compatible crossing pair, so this produces no trades and the
   * same queues (a snapshot that would trade is corrupt and throws). `usedIds` restores duplicate-id
   * detection for ids that no longer rest; replaying the full command log is the exact alternative.
   * Books are recreated only for instruments with resting orders; `seq` numbers are renumbered.
   */
  static restore(orders: Iterable<RestingOrder>, usedIds: Iterable<string> = []): MatchingEngine {
    const engine = new MatchingEngine();
    const sorted = [...orders].sort((a, b) => a.seq - b.seq);
    for (const o of sorted) {
      const events = engine.limit({
        id: o.id,
        instrument: o.instrument,
        side: o.side,
        qtyG: o.qtyG,
        fenPerKg: o.fenPerKg,
        tif: 'GTC',
        ...(o.constraints !== undefined ? { constraints: o.constraints } : {}),
        ...(o.attributes !== undefined ? { attributes: o.attributes } : {}),
      });
      if (events.length > 0) {
        throw new Error(`restore: resting order ${o.id} is invalid or would trade (${JSON.stringify(events[0])})`);
      }
    }
    for (const id of usedIds) engine.index.claim(id);
    return engine;
  }
}
