/**
 * A seeded order flow for one member organisation on the spot market, used by the crash test's writer
 * process and by the persisted-market benchmark: buys, lot-backed sells, cancels and amends of the
 * organisation's own resting orders, prices around a mid so that a good share of orders trade.
 *
 * Buys are funded by card or on net terms (the organisations must have granted each other terms, e.g.
 * `grantNetTermsAmong`); a card buy is submitted with a card authorisation of its notional, as
 * `placeOrder` (market.funding.ts) hands over after authorising outside the lock: `submitOptions`.
 *
 * The flow only decides what to send next; the caller submits it and reports the answer (or refusal)
 * back, so the flow knows which of its orders rest. A caller that follows the trades, as a client does
 * through its live feed, reports the fills of the flow's resting orders too (`filled`); otherwise an
 * order filled by someone else stays in the flow's list until a cancel or amend of it is refused
 * (`CONFLICT`).
 */
import { notionalFen, type CommandAnswer, type MarketCommandInput } from '../market.core.ts';
import type { SubmitOptions } from '../market.service.ts';
import { seededRandom } from '../../../../lib/prng.ts';


export interface FlowMix {
  /** Share of commands that cancel one of the organisation's resting orders (when it has one). */
  cancel: number;
  /** Share of commands that amend one down. */
  amend: number;
  /** Share of placed orders that are IOC. */
  ioc: number;
  /** Share of buys funded on net terms (the rest by card). */
  netTerms: number;
  /** Mid price (fen/kg) and half-width of the price band around it, in fen. */
  midFenPerKg: number;
  spreadFen: number;
  /** Order quantity range in grams (multiples of 100 g). */
  minQtyG: number;
  maxQtyG: number;
}

export const DEFAULT_MIX: FlowMix = { cancel: 0.15, amend: 0.07, ioc: 0.12, netTerms: 0.5, midFenPerKg: 3500, spreadFen: 40, minQtyG: 1000, maxQtyG: 10_000 };

export interface NextCommand {
  instrumentId: string;
  input: MarketCommandInput;
}

export class OrderFlow {
  private readonly rand: () => number;
  /** Per instrument: own order id → open grams as last answered. */
  private readonly resting = new Map<string, Map<string, number>>();
  private counter = 0;

  constructor(
    seed: number,
    /** Instruments the flow trades, each with the organisation's lot backing its sells. */
    private readonly lots: ReadonlyMap<string, string>,
    /** Prefix of idempotency keys (unique per run and organisation). */
    private readonly keyPrefix: string,
    private readonly mix: FlowMix = DEFAULT_MIX,
  ) {
    this.rand = seededRandom(seed);
    for (const instrumentId of lots.keys()) this.resting.set(instrumentId, new Map());
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.rand() * values.length)]!;
  }

  next(): NextCommand {
    const instrumentId = this.pick([...this.lots.keys()]);
    const own = this.resting.get(instrumentId)!;
    const idempotencyKey = `${this.keyPrefix}-${this.counter++}`;
    const r = this.rand();
    if (own.size > 0 && r < this.mix.cancel + this.mix.amend) {
      const [orderId, open] = this.pick([...own.entries()]);
      if (r < this.mix.cancel || open < 200) return { instrumentId, input: { kind: 'cancel', idempotencyKey, orderId } };
      const qtyG = Math.max(100, Math.floor(open / 200) * 100);
      return { instrumentId, input: { kind: 'amend', idempotencyKey, orderId, qtyG } };
    }
    const side = this.rand() < 0.5 ? 'buy' : 'sell';
    const steps = (this.mix.maxQtyG - this.mix.minQtyG) / 100;
    const qtyG = this.mix.minQtyG + 100 * Math.floor(this.rand() * (steps + 1));
    // Buys lean a little above the mid and sells a little below it, so the book crosses often.
    const lean = side === 'buy' ? 5 : -5;
    const fenPerKg = this.mix.midFenPerKg + lean + Math.round((this.rand() * 2 - 1) * this.mix.spreadFen);
    const tif = this.rand() < this.mix.ioc ? 'IOC' : 'GTC';
    const funding = this.rand() < this.mix.netTerms ? 'net_terms' : 'card';
    const input: MarketCommandInput =
      side === 'sell'
        ? { kind: 'place', idempotencyKey, side, qtyG, fenPerKg, tif, lotId: this.lots.get(instrumentId)! }
        : { kind: 'place', idempotencyKey, side, qtyG, fenPerKg, tif, funding };
    return { instrumentId, input };
  }

  /** The command was accepted with `answer`. */
  answered(sent: NextCommand, answer: CommandAnswer): void {
    const own = this.resting.get(sent.instrumentId)!;
    if (answer.restingQtyG > 0) own.set(answer.orderId, answer.restingQtyG);
    else own.delete(answer.orderId);
  }

  /** Someone else's command traded `qtyG` grams against the flow's resting order `orderId` (a fill seen on the live feed). */
  filled(instrumentId: string, orderId: string, qtyG: number): void {
    const own = this.resting.get(instrumentId);
    const open = own?.get(orderId);
    if (own === undefined || open === undefined) return;
    if (open > qtyG) own.set(orderId, open - qtyG);
    else own.delete(orderId);
  }

  /** The command was refused (e.g. the order no longer rests, or the lot has no free stock left). */
  refused(sent: NextCommand): void {
    if (sent.input.kind !== 'place') this.resting.get(sent.instrumentId)!.delete(sent.input.orderId);
  }
}

/** What `submitCommand` is given with an input: a card buy's authorisation of its notional (made up: no payment is taken here). */
export function submitOptions(input: MarketCommandInput): SubmitOptions {
  if (input.kind !== 'place' || input.side !== 'buy' || (input.funding ?? 'card') !== 'card') return {};
  return { cardAuthorisation: { paymentIntentId: `pi_flow_${input.idempotencyKey}`, amountFen: notionalFen(input.qtyG, input.fenPerKg), paymentMethod: 'pm_card_visa' } };
}
