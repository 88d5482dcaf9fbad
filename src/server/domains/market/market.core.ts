/**
 * Market — the state of one instrument as the platform keeps it: the matching core's engine plus who
 * owns each order, and the checks a command passes before it is appended to the order log.
 *
 * Pure: no clock, no I/O. The service appends a checked command to the log, then applies it here; a
 * rebuild applies the logged commands in sequence order, so the cached book and a replay of the log are
 * the same computation.
 */
import { kgText, yuanText } from '../../../lib/amount-text.ts';
import type { MessageKey } from '../../../lib/messages.ts';
import { CUT_ZH, FORM_ZH, GRADE_ZH, PROCESSING_ZH, type ProductCut, type ProductForm, type ProductGrade, type ProductProcessing } from '../catalog/products.core.ts';
import { MatchingEngine, type BookSnapshot, type BuyConstraints, type MatchCommand, type SellAttributes, type Side, type TimeInForce } from './order-book.core.ts';

export const COMMAND_KINDS = ['place', 'cancel', 'amend'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** Largest order quantity (grams) and price (fen/kg) accepted; both fit the log's integer columns. */
export const MAX_QTY_G = 1_000_000_000;
export const MAX_FEN_PER_KG = 100_000_000;
/** Money columns are 32-bit integers: a buy order may be worth at most ¥20,000,000.00 (as an order). */
export const MAX_ORDER_FEN = 2_000_000_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** The idempotency key of the cancel the expiry job sends for a GTC order: the log tells an expiry from its owner's cancel by it. */
export const EXPIRY_CANCEL_PREFIX = 'expire:';
export const expiryCancelKey = (orderId: string) => `${EXPIRY_CANCEL_PREFIX}${orderId}`;
/** A GTC order may rest at most this long. */
export const MAX_GTC_DAYS = 90;
export const MAX_ORIGINS = 20;
export const MAX_ORIGIN_LENGTH = 40;

/** Certificates a buyer can require: a GAP base certificate of the seller, a quality report on the lot. */
export const MARKET_CERTIFICATES = ['gap', 'quality_report'] as const;
export type MarketCertificate = (typeof MARKET_CERTIFICATES)[number];

/** How a buy order is funded (see `market_funding`). */
export const MARKET_FUNDINGS = ['card', 'net_terms'] as const;
export type MarketFunding = (typeof MARKET_FUNDINGS)[number];

/** Quality rank of a grade: ungraded 统货 < graded 等级 < selected 选货. A lot may back a sell on an instrument of its grade or a lower one. */
export const GRADE_RANK: Readonly<Record<ProductGrade, number>> = { ungraded: 1, graded: 2, selected: 3 };

export function gradeRank(grade: string): number {
  return (GRADE_RANK as Record<string, number | undefined>)[grade] ?? 0;
}

/** What a member organisation sends. Order ids are given by the platform when an order is placed. */
export type MarketCommandInput =
  | {
      kind: 'place';
      idempotencyKey: string;
      side: Side;
      qtyG: number;
      fenPerKg: number;
      tif: TimeInForce;
      lotId?: string;
      funding?: MarketFunding;
      constraints?: { origins?: string[]; minGrade?: ProductGrade; certificate?: MarketCertificate };
      expiresAt?: string;
    }
  | { kind: 'cancel'; idempotencyKey: string; orderId: string }
  | { kind: 'amend'; idempotencyKey: string; orderId: string; qtyG: number };

/** One trade of a command, with the disclosed parties. */
export interface Fill {
  readonly ordinal: number;
  readonly buyOrderId: string;
  readonly sellOrderId: string;
  readonly buyerOrgId: string;
  readonly sellerOrgId: string;
  readonly qtyG: number;
  readonly fenPerKg: number;
}

/** A command as logged: its per-instrument sequence number, the organisation that sent it, the core command. */
export interface LoggedCommand {
  readonly seq: number;
  readonly orgId: string;
  readonly command: MatchCommand;
  /** The lot backing a sell `place` (as logged with it). */
  readonly lotId?: string | null;
}

/** The answer to an accepted command (stored with it, returned again for a replayed idempotency key). */
export interface CommandAnswer {
  readonly commandId: string;
  readonly instrumentId: string;
  readonly seq: number;
  readonly kind: CommandKind;
  readonly orderId: string;
  readonly trades: Fill[];
  /** Open quantity of the order after the command (0 when it no longer rests). */
  readonly restingQtyG: number;
  readonly acceptedAt: string;
}

/** The book of one instrument: the core engine, order owners and the last applied log sequence. */
export class MarketBook {
  readonly engine = new MatchingEngine();
  private readonly owners = new Map<string, string>();
  private readonly lots = new Map<string, string>();
  private readonly netTermsBuys = new Set<string>();
  private lastSeq = 0;

  constructor(readonly instrumentId: string) {}

  /** Sequence number of the last applied command (0 for an empty log). */
  get seq(): number {
    return this.lastSeq;
  }

  /** The lot backing sell order `orderId` (undefined for buys and for sells logged without one). */
  lotOf(orderId: string): string | undefined {
    return this.lots.get(orderId);
  }

  /** Whether `orderId` is a buy funded on net terms (it matches only the sellers listed with it). */
  isNetTermsBuy(orderId: string): boolean {
    return this.netTermsBuys.has(orderId);
  }

  /** The organisation that placed `orderId`, if an order with this id was ever placed here. */
  ownerOf(orderId: string): string | undefined {
    return this.owners.get(orderId);
  }

  /** Applies the next logged command. A gap in sequence or a command the core refuses means a corrupt log. */
  apply(entry: LoggedCommand): Fill[] {
    if (entry.seq !== this.lastSeq + 1) {
      throw new Error(`order log of ${this.instrumentId}: expected seq ${this.lastSeq + 1}, got ${entry.seq}`);
    }
    const command = entry.command;
    if (command.type === 'limit' && command.instrument !== this.instrumentId) {
      throw new Error(`order log of ${this.instrumentId}: seq ${entry.seq} is for ${command.instrument}`);
    }
    const events = this.engine.apply(command);
    const fills: Fill[] = [];
    for (const event of events) {
      if (event.type === 'rejected') {
        throw new Error(`order log of ${this.instrumentId}: seq ${entry.seq} was refused by the core (${event.reason})`);
      }
      const buyerOrgId = this.owners.get(event.buyId) ?? entry.orgId;
      const sellerOrgId = this.owners.get(event.sellId) ?? entry.orgId;
      fills.push({
        ordinal: fills.length,
        buyOrderId: event.buyId,
        sellOrderId: event.sellId,
        buyerOrgId,
        sellerOrgId,
        qtyG: event.qtyG,
        fenPerKg: event.fenPerKg,
      });
    }
    if (command.type === 'limit') {
      this.owners.set(command.id, entry.orgId);
      if (entry.lotId) this.lots.set(command.id, entry.lotId);
      if (command.side === 'buy' && command.constraints?.sellers !== undefined) this.netTermsBuys.add(command.id);
    }
    this.lastSeq = entry.seq;
    return fills;
  }

  snapshot(): BookSnapshot {
    return this.engine.book(this.instrumentId);
  }

  /** Open quantity of a resting order, 0 when it does not rest. */
  openQty(orderId: string): number {
    return this.engine.order(orderId)?.qtyG ?? 0;
  }
}

/** Why a command is refused: the error code, the message key, the input field and message parameters. */
export interface CommandProblem {
  readonly code: 'VALIDATION' | 'FORBIDDEN' | 'CONFLICT';
  readonly key: MessageKey;
  readonly field: string;
  readonly params?: Record<string, string | number>;
}

/**
 * A checked command; `lotId` is the lot backing a sell `place` (null for every other command),
 * `funding` how a buy `place` is funded, `expiresAt` when a GTC `place` stops resting.
 */
export type CheckedCommand =
  | { ok: true; kind: CommandKind; orderId: string; command: MatchCommand; lotId: string | null; funding: MarketFunding | null; expiresAt: Date | null }
  | { ok: false; problem: CommandProblem };

/**
 * What the platform knows about a place beyond its input: for a sell, the attributes of its lot (origin,
 * grade rank, certificates, seller); for a buy on net terms, the sellers with room for it; the clock.
 */
export interface PlaceContext {
  readonly now: Date;
  readonly attributes?: SellAttributes;
  /** Latest expiry a sell may have (its lot's expiry). */
  readonly lotExpiresAt?: Date;
  readonly netTermsSellers?: readonly string[];
}

function refuse(code: CommandProblem['code'], key: MessageKey, field: string, params?: Record<string, string | number>): CheckedCommand {
  return { ok: false, problem: { code, key, field, ...(params ? { params } : {}) } };
}

function isBoundedPositiveInteger(n: unknown, max: number): n is number {
  return Number.isSafeInteger(n) && (n as number) > 0 && (n as number) <= max;
}

/** The idempotency key of an input, or a problem naming `idempotencyKey`. */
export function checkIdempotencyKey(input: unknown): { ok: true; key: string } | { ok: false; problem: CommandProblem } {
  const key = typeof input === 'object' && input !== null ? (input as { idempotencyKey?: unknown }).idempotencyKey : undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return { ok: false, problem: { code: 'VALIDATION', key: 'market.badIdempotencyKey', field: 'idempotencyKey' } };
  }
  return { ok: true, key };
}

/**
 * Checks a command of organisation `orgId` against `book` and turns it into the core command; a place
 * gets `newOrderId`. Every refusal happens here, so an accepted command never makes the core reject.
 */
export function checkCommand(book: MarketBook, orgId: string, input: unknown, newOrderId: string, context: PlaceContext = { now: new Date(0) }): CheckedCommand {
  const c = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const kind = c.kind;
  if (kind === 'place') {
    if (c.side !== 'buy' && c.side !== 'sell') return refuse('VALIDATION', 'market.badSide', 'side');
    if (!isBoundedPositiveInteger(c.qtyG, MAX_QTY_G)) return refuse('VALIDATION', 'market.badQuantity', 'qtyG', { max: kgText(MAX_QTY_G) });
    if (!isBoundedPositiveInteger(c.fenPerKg, MAX_FEN_PER_KG)) return refuse('VALIDATION', 'market.badPrice', 'fenPerKg', { max: yuanText(MAX_FEN_PER_KG) });
    if (c.tif !== 'GTC' && c.tif !== 'IOC') return refuse('VALIDATION', 'market.badTif', 'tif');
    const lotId = c.lotId;
    if (c.side === 'sell' && (typeof lotId !== 'string' || lotId.length === 0)) return refuse('VALIDATION', 'market.lotRequired', 'lotId');
    if (c.side === 'buy' && lotId !== undefined) return refuse('VALIDATION', 'market.lotOnBuy', 'lotId');
    const shape = checkPlaceExtras(c, context);
    if (!shape.ok) return shape;
    const side: Side = c.side;
    const tif: TimeInForce = c.tif;
    const base = { type: 'limit' as const, id: newOrderId, instrument: book.instrumentId, side, qtyG: c.qtyG, fenPerKg: c.fenPerKg, tif };
    const command: MatchCommand =
      c.side === 'sell'
        ? { ...base, ...(context.attributes ? { attributes: context.attributes } : {}) }
        : { ...base, ...(shape.constraints ? { constraints: shape.constraints } : {}) };
    return { ok: true, kind, orderId: newOrderId, lotId: c.side === 'sell' ? (lotId as string) : null, funding: shape.funding, expiresAt: shape.expiresAt, command };
  }
  if (kind === 'cancel' || kind === 'amend') {
    const orderId = c.orderId;
    if (typeof orderId !== 'string' || orderId.length === 0) return refuse('VALIDATION', 'market.badOrderId', 'orderId');
    if (kind === 'amend' && !isBoundedPositiveInteger(c.qtyG, MAX_QTY_G)) return refuse('VALIDATION', 'market.badQuantity', 'qtyG', { max: kgText(MAX_QTY_G) });
    const owner = book.ownerOf(orderId);
    if (owner !== undefined && owner !== orgId) return refuse('FORBIDDEN', 'market.notYourOrder', 'orderId');
    const open = book.openQty(orderId);
    if (owner === undefined || open === 0) return refuse('CONFLICT', 'market.orderNotResting', 'orderId');
    if (kind === 'cancel') return { ok: true, kind, orderId, command: { type: 'cancel', id: orderId }, lotId: null, funding: null, expiresAt: null };
    const qtyG = c.qtyG as number;
    if (qtyG >= open) return refuse('VALIDATION', 'market.notAReduction', 'qtyG', { open: kgText(open) });
    return { ok: true, kind, orderId, command: { type: 'amend', id: orderId, qtyG }, lotId: null, funding: null, expiresAt: null };
  }
  return refuse('VALIDATION', 'market.badKind', 'kind');
}

type PlaceExtras = { ok: true; funding: MarketFunding | null; constraints: BuyConstraints | null; expiresAt: Date | null } | { ok: false; problem: CommandProblem };

function refuseExtra(key: MessageKey, field: string, params?: Record<string, string | number>): PlaceExtras {
  return { ok: false, problem: { code: 'VALIDATION', key, field, ...(params ? { params } : {}) } };
}

/**
 * Funding, buyer constraints and expiry of a place: funding and constraints on buys only (a buy is
 * funded by card unless it says net terms; net terms restrict it to `context.netTermsSellers`), expiry
 * on GTC only, in the future, within MAX_GTC_DAYS and, for a sell, not after its lot expires.
 */
function checkPlaceExtras(c: Record<string, unknown>, context: PlaceContext): PlaceExtras {
  const buy = c.side === 'buy';
  if (!buy && c.funding !== undefined) return refuseExtra('market.fundingOnSell', 'funding');
  if (!buy && c.constraints !== undefined) return refuseExtra('market.constraintsOnSell', 'constraints');
  const funding = buy ? (c.funding ?? 'card') : null;
  if (funding !== null && !(MARKET_FUNDINGS as readonly unknown[]).includes(funding)) return refuseExtra('market.badFunding', 'funding');
  let constraints: BuyConstraints | null = null;
  if (buy && c.constraints !== undefined) {
    const raw = c.constraints;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuseExtra('market.badConstraints', 'constraints');
    const { origins, minGrade, certificate } = raw as Record<string, unknown>;
    if (origins !== undefined) {
      if (!Array.isArray(origins) || origins.length > MAX_ORIGINS) return refuseExtra('market.badOrigins', 'constraints.origins', { max: MAX_ORIGINS, length: MAX_ORIGIN_LENGTH });
      for (const o of origins) {
        if (typeof o !== 'string' || o.trim().length === 0 || o.length > MAX_ORIGIN_LENGTH) return refuseExtra('market.badOrigins', 'constraints.origins', { max: MAX_ORIGINS, length: MAX_ORIGIN_LENGTH });
      }
    }
    if (minGrade !== undefined && gradeRank(String(minGrade)) === 0) return refuseExtra('market.badMinGrade', 'constraints.minGrade');
    if (certificate !== undefined && !(MARKET_CERTIFICATES as readonly unknown[]).includes(certificate)) return refuseExtra('market.badCertificate', 'constraints.certificate');
    const trimmed = Array.isArray(origins) ? [...new Set((origins as string[]).map((o) => o.trim()))] : [];
    constraints = {
      ...(trimmed.length > 0 ? { origins: trimmed } : {}),
      ...(minGrade !== undefined ? { minGrade: gradeRank(String(minGrade)) } : {}),
      ...(certificate !== undefined ? { certificate: certificate as string } : {}),
    };
  }
  if (funding === 'net_terms') constraints = { ...(constraints ?? {}), sellers: [...(context.netTermsSellers ?? [])].sort() };
  if (constraints !== null && Object.keys(constraints).length === 0) constraints = null;
  let expiresAt: Date | null = null;
  if (c.expiresAt !== undefined) {
    if (c.tif !== 'GTC') return refuseExtra('market.expiryOnIoc', 'expiresAt');
    const at = typeof c.expiresAt === 'string' ? new Date(c.expiresAt) : new Date(Number.NaN);
    if (Number.isNaN(at.getTime())) return refuseExtra('market.badExpiry', 'expiresAt', { days: MAX_GTC_DAYS });
    if (at.getTime() <= context.now.getTime() || at.getTime() > context.now.getTime() + MAX_GTC_DAYS * 86_400_000) return refuseExtra('market.badExpiry', 'expiresAt', { days: MAX_GTC_DAYS });
    expiresAt = at;
  }
  if (!buy && c.tif === 'GTC' && context.lotExpiresAt !== undefined && (expiresAt === null || expiresAt > context.lotExpiresAt)) expiresAt = context.lotExpiresAt;
  return { ok: true, funding: funding as MarketFunding | null, constraints, expiresAt };
}

/**
 * The terms of a command (side, quantity, price, time in force, lot; the order and quantity of a cancel
 * or amend), without its idempotency key, as a comparable string. The log keeps these in the command
 * itself (`loggedFingerprint`); `requestFingerprint` adds what it keeps only as a digest.
 */
export function termsFingerprint(instrumentId: string, input: unknown): string {
  const c = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  switch (c.kind) {
    case 'place':
      return JSON.stringify([instrumentId, 'place', c.side, c.qtyG, c.fenPerKg, c.tif, c.lotId ?? null]);
    case 'cancel':
      return JSON.stringify([instrumentId, 'cancel', c.orderId]);
    case 'amend':
      return JSON.stringify([instrumentId, 'amend', c.orderId, c.qtyG]);
    default:
      return JSON.stringify([instrumentId, String(c.kind)]);
  }
}

/**
 * Everything a command asked for, without its idempotency key, as a comparable string: its terms plus,
 * for a place, the funding (a buy is funded by card unless it says otherwise), the buyer constraints
 * (origins trimmed, without repeats, in any order) and the expiry (the same instant however written).
 * A replayed idempotency key is answered from the log only when this matches.
 */
export function requestFingerprint(instrumentId: string, input: unknown): string {
  const c = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (c.kind !== 'place') return termsFingerprint(instrumentId, input);
  const raw = (typeof c.constraints === 'object' && c.constraints !== null ? c.constraints : {}) as Record<string, unknown>;
  const origins = Array.isArray(raw.origins) ? [...new Set(raw.origins.map((o) => (typeof o === 'string' ? o.trim() : JSON.stringify(o))))].sort() : null;
  const expiry = typeof c.expiresAt === 'string' && !Number.isNaN(Date.parse(c.expiresAt)) ? new Date(c.expiresAt).toISOString() : (c.expiresAt ?? null);
  const funding = c.side === 'buy' ? (c.funding ?? 'card') : (c.funding ?? null);
  return JSON.stringify([termsFingerprint(instrumentId, input), funding, origins, raw.minGrade ?? null, raw.certificate ?? null, expiry]);
}

/** The terms fingerprint of a logged command (its order id is the platform's for a place; `lotId` as logged with it). */
export function loggedFingerprint(instrumentId: string, command: MatchCommand, lotId: string | null = null): string {
  switch (command.type) {
    case 'limit':
      return termsFingerprint(instrumentId, { kind: 'place', side: command.side, qtyG: command.qtyG, fenPerKg: command.fenPerKg, tif: command.tif, lotId: lotId ?? undefined });
    case 'cancel':
      return termsFingerprint(instrumentId, { kind: 'cancel', orderId: command.id });
    case 'amend':
      return termsFingerprint(instrumentId, { kind: 'amend', orderId: command.id, qtyG: command.qtyG });
  }
}

export interface InstrumentSpec {
  form: ProductForm;
  cut: ProductCut;
  processing: ProductProcessing;
  grade: ProductGrade;
}

/** `黄芪 药材 统货`, `当归 饮片 片 生 选货` (an empty cut is left out). */
export function instrumentName(herbName: string, spec: InstrumentSpec): string {
  return [herbName, FORM_ZH[spec.form], CUT_ZH[spec.cut], PROCESSING_ZH[spec.processing], GRADE_ZH[spec.grade]].filter((part) => part.length > 0).join(' ');
}

/** A catalogue spec and grade as stored on `instrument` and `product`. */
export interface LotSpec {
  herbId: string;
  form: string;
  cut: string;
  processing: string;
  grade: string;
}

/**
 * Whether a lot may back a sell on the instrument: the same herb, form, cut and processing, and a grade
 * at least the instrument's (a 选货 lot may be sold as 统货; the buyer sees its grade and may require one).
 */
export function lotFitsInstrument(instrumentSpec: LotSpec, lotSpec: LotSpec): boolean {
  return (
    instrumentSpec.herbId === lotSpec.herbId &&
    instrumentSpec.form === lotSpec.form &&
    instrumentSpec.cut === lotSpec.cut &&
    instrumentSpec.processing === lotSpec.processing &&
    gradeRank(lotSpec.grade) >= gradeRank(instrumentSpec.grade) &&
    gradeRank(instrumentSpec.grade) > 0
  );
}

/** A lot's facts as a sell order carries them into the book (what buyer constraints are checked against). */
export function sellAttributes(lot: { origin: string | null; grade: string; certificates: readonly string[]; sellerOrgId: string }): SellAttributes {
  return {
    ...(lot.origin ? { origin: lot.origin } : {}),
    grade: gradeRank(lot.grade),
    certificates: [...lot.certificates].sort(),
    seller: lot.sellerOrgId,
  };
}

/** Notional of a buy order in fen: what its funding must cover (quantity × limit price, rounded up). */
export function notionalFen(qtyG: number, fenPerKg: number): number {
  // qtyG × fenPerKg may pass 2^53 (up to 10^17); split the grams into whole kilograms and the rest so
  // every product stays an exact integer: ⌈(1000·kg + g)·p / 1000⌉ = kg·p + ⌈g·p / 1000⌉.
  const kg = Math.floor(qtyG / 1000);
  const rest = qtyG - kg * 1000;
  return kg * fenPerKg + Math.ceil((rest * fenPerKg) / 1000);
}

/**
 * Stock moves of one accepted command on the lots backing sell orders (the live path only; a replay
 * of the log never moves stock). `release`: grams given back to the lot (cancel, amend-down, an IOC
 * sell's unfilled rest); `delivered`: per fill, grams of the seller's hold that now belong to the
 * buyer of that trade. `openBefore` is the order's open quantity before the command (0 for a place).
 */
export interface StockMoves {
  readonly releaseG: number;
  readonly delivered: readonly Fill[];
}

export function stockMoves(kind: CommandKind, side: Side | null, placedQtyG: number, openBefore: number, openAfter: number, fills: readonly Fill[]): StockMoves {
  const delivered = fills;
  if (kind === 'place') {
    if (side !== 'sell') return { releaseG: 0, delivered };
    const filled = fills.reduce((sum, f) => sum + f.qtyG, 0);
    return { releaseG: placedQtyG - filled - openAfter, delivered };
  }
  return { releaseG: openBefore - openAfter, delivered };
}
