import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { yuanText } from '../../../lib/amount-text.ts';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db } from '../../db/client.ts';
import { marketCommand, marketFunding } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { MAX_PAYMENT_FEN, type Payments } from '../../integrations/payments/payments.port.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import { checkCommand, checkIdempotencyKey, expiryCancelKey, MarketBook, notionalFen, type CommandAnswer } from './market.core.ts';
import { releaseOrphanFundingJob, type CardAuthorisationRequest } from './market.jobs.ts';
import { replayedAnswer, requestDigest, submitCommand } from './market.writer.ts';

/**
 * Funding of buy orders and expiry of GTC orders around the matching write path (market.service.ts).
 *
 * A buy funded by card is authorised for its notional (quantity × limit price) before it is submitted,
 * outside the instrument lock (a payments call must not hold up the book); the authorisation is handed
 * to `submitCommand`, which records it with the order. A refused order gives the authorisation back at
 * once; an order that stops resting (filled, cancelled, expired) gives it back through the
 * `market.release-funding` job. Each trade's order is authorised on its own with the same payment method.
 * Before the payments call a `market.release-orphan-funding` job is written (delayed): should the
 * process die between the hold and the order's log row, it finds the hold and gives it back.
 */

/** How long after a card hold `market.release-orphan-funding` checks that its order reached the log. */
export const ORPHAN_FUNDING_CHECK_MS = 10 * 60_000;

/** `pm_card_visa` confirms in the payments sandbox, `pm_card_chargeDeclined` declines (Stripe test methods). */
export const MARKET_TEST_PAYMENT_METHODS = { confirm: 'pm_card_visa', decline: 'pm_card_chargeDeclined' } as const;

export interface PlaceOptions {
  /** The payment method a card-funded buy is authorised with (default: the sandbox's confirming test card). */
  paymentMethod?: string;
}

/**
 * The payments idempotency key of a card buy's authorisation: the organisation, its key and the digest
 * of what it asked for — a refused order's key may be sent again with other terms, which is another
 * authorisation, while the same request repeated finds the same one.
 */
export function fundingIdempotencyKey(orgId: string, idempotencyKey: string, instrumentId: string, input: unknown): string {
  return `market-funding:${orgId}:${createHash('sha256').update(`${idempotencyKey}\u0000${requestDigest(instrumentId, input)}`).digest('base64url')}`;
}

/** Places, cancels or amends an order; a buy funded by card is authorised first (see above). */
export async function placeOrder(db: Db, payments: Payments, actor: Actor, instrumentId: string, input: unknown, options: PlaceOptions = {}): Promise<CommandAnswer> {
  const c = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const cardBuy = c.kind === 'place' && c.side === 'buy' && (c.funding ?? 'card') === 'card';
  if (!cardBuy || !actor.orgId) return submitCommand(db, actor, instrumentId, input);
  const keyCheck = checkIdempotencyKey(input);
  if (!keyCheck.ok) return submitCommand(db, actor, instrumentId, input);
  const earlier = await replayedAnswer(db, actor.orgId, keyCheck.key, instrumentId, input);
  if (earlier) return earlier;
  // Refuse malformed orders before any money is held.
  const shape = checkCommand(new MarketBook(instrumentId), actor.orgId, input, 'shape-check', { now: new Date() });
  if (!shape.ok || shape.command.type !== 'limit') return submitCommand(db, actor, instrumentId, input);
  const amountFen = notionalFen(shape.command.qtyG, shape.command.fenPerKg);
  if (amountFen > MAX_PAYMENT_FEN) {
    throw new AppError('VALIDATION', msg('market.cardLimit', { max: yuanText(MAX_PAYMENT_FEN), amount: yuanText(amountFen) }), { field: 'funding' });
  }
  const paymentMethod = options.paymentMethod ?? MARKET_TEST_PAYMENT_METHODS.confirm;
  const request: CardAuthorisationRequest = {
    amountFen,
    currency: 'cny',
    orderId: `market:${actor.orgId}:${keyCheck.key}`.slice(0, 500),
    idempotencyKey: fundingIdempotencyKey(actor.orgId, keyCheck.key, instrumentId, input),
    paymentMethod,
    captureMethod: 'manual',
    paymentMethodType: 'card',
    description: `Bencao market buy order (${instrumentId})`,
    metadata: { buyer_org_id: actor.orgId, instrument_id: instrumentId },
  };
  await enqueue(db, releaseOrphanFundingJob, { orgId: actor.orgId, idempotencyKey: keyCheck.key, request }, { delayMs: ORPHAN_FUNDING_CHECK_MS, dedupeKey: `market.release-orphan-funding:${request.idempotencyKey}` });
  const auth = await payments.authorize(request);
  if (!auth.authorized) {
    throw new AppError('PRECONDITION_FAILED', msg('market.fundingDeclined', { reason: auth.decline?.message ?? auth.status }), { field: 'funding' });
  }
  try {
    return await submitCommand(db, actor, instrumentId, input, { cardAuthorisation: { paymentIntentId: auth.paymentIntentId, amountFen: auth.amountFen, paymentMethod } });
  } catch (error) {
    // Nothing was placed: give the held funds back now (a failed release leaves a hold that lapses with the authorisation).
    await payments.cancel(auth.paymentIntentId, `market-funding-refused:${auth.paymentIntentId}`).catch(() => undefined);
    throw error;
  }
}

/** Job body: cancels the card authorisation of a buy order that no longer rests (once). */
export async function releaseFunding(db: Db, payments: Payments, orderId: string): Promise<void> {
  const [row] = await db.select().from(marketFunding).where(eq(marketFunding.orderId, orderId));
  if (!row || row.method !== 'card' || row.status !== 'held' || !row.paymentIntentId) return;
  await payments.cancel(row.paymentIntentId, `market-funding-release:${orderId}`);
  await db.update(marketFunding).set({ status: 'released', releasedAt: new Date() }).where(and(eq(marketFunding.orderId, orderId), eq(marketFunding.status, 'held')));
}

/**
 * Job body: a card hold made for a buy order whose idempotency key never reached the log (the process
 * died between the payments call and the write) is cancelled. The authorisation request is repeated
 * with its idempotency key, which answers the payment intent it made (or makes one, if the first call
 * never reached the payment service, that is cancelled at once); an intent still held is cancelled.
 */
export async function releaseOrphanFunding(db: Db, payments: Payments, payload: { orgId: string; idempotencyKey: string; request: CardAuthorisationRequest }): Promise<void> {
  const [placed] = await db
    .select({ id: marketCommand.id })
    .from(marketCommand)
    .where(and(eq(marketCommand.orgId, payload.orgId), eq(marketCommand.idempotencyKey, payload.idempotencyKey)));
  // Placed: the order's funding row holds the authorisation and `market.release-funding` gives it back.
  if (placed) return;
  const made = await payments.authorize(payload.request);
  const now = await payments.retrieve(made.paymentIntentId);
  if (now.status === 'requires_capture') await payments.cancel(made.paymentIntentId, `market-funding-orphan:${made.paymentIntentId}`);
}

/** Job body: cancels a GTC order at its expiry, as its owner would; an order no longer resting is left alone. */
export async function expireOrder(db: Db, instrumentId: string, orderId: string): Promise<void> {
  const [placed] = await db
    .select({ orgId: marketCommand.orgId })
    .from(marketCommand)
    .where(and(eq(marketCommand.instrumentId, instrumentId), eq(marketCommand.orderId, orderId), eq(marketCommand.kind, 'place')));
  if (!placed) return;
  try {
    await submitCommand(db, { orgId: placed.orgId, userId: null }, instrumentId, { kind: 'cancel', idempotencyKey: expiryCancelKey(orderId), orderId });
  } catch (error) {
    // Filled or cancelled meanwhile: nothing to expire. A halted instrument refuses the cancel: the job retries.
    if (isAppError(error) && error.code === 'CONFLICT' && error.field === 'orderId') return;
    throw error;
  }
}
