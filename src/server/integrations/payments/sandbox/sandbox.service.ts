import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../../db/client.ts';
import { enqueue } from '../../../jobs/outbox.ts';
import type { CreateRefundParams } from './form.core.ts';
import { eventJson, intentJson, listJson, refundJson, type StripeJson } from './objects.core.ts';
import {
  cancelIntent,
  captureIntent,
  confirmIntent,
  createIntent,
  fail,
  refundIntent,
  type CancellationReason,
  type CoreResult,
  type CreateIntentParams,
  type IntentChange,
  type IntentState,
  type SandboxEventType,
} from './sandbox.core.ts';
import { findIntent, findIntentByCharge, insertEvent, insertIntent, insertRefund, listRefunds, updateIntent } from './sandbox.repo.ts';
import { sandboxDeliveryJob } from './sandbox.jobs.ts';
import { sandboxId } from './ids.ts';

/**
 * The sandbox's operations: load rows, apply the pure core, store the result, emit events (one
 * `payment_sandbox_event` row plus one outbox delivery job each) — all in the caller's transaction, so
 * the state change, its events and the idempotency record commit together or not at all.
 */
export interface SandboxResponse {
  status: number;
  body: StripeJson;
}

export interface OperationContext {
  /** The request's transaction. */
  tx: DbOrTx;
  now: Date;
  requestId: string;
  idempotencyKey: string | null;
}

function failure(result: Extract<CoreResult<unknown>, { ok: false }>): SandboxResponse {
  return { status: result.failure.status, body: { error: result.failure.error } };
}

function noSuchIntent(id: string, param = 'intent'): SandboxResponse {
  return failure(fail(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${id}'`, param }));
}

function stripeId(prefix: string): string {
  return sandboxId(prefix);
}

async function emit(ctx: OperationContext, intent: IntentState, types: readonly SandboxEventType[]): Promise<void> {
  for (const type of types) {
    const id = stripeId('evt');
    const body = JSON.stringify(eventJson({ id, type, intent, requestId: ctx.requestId, idempotencyKey: ctx.idempotencyKey, created: ctx.now }), null, 2);
    await insertEvent(ctx.tx, { id, type, objectId: intent.id, body, createdAt: ctx.now });
    await enqueue(ctx.tx, sandboxDeliveryJob, { eventId: id }, { dedupeKey: `payments.sandbox-event:${id}` });
  }
}

/** A stored change answers the intent, or — for a declined confirmation — Stripe's 402 card_error. */
function changeResponse(change: IntentChange, expand: readonly string[]): SandboxResponse {
  const intent = intentJson(change.intent, { expandLatestCharge: expand.includes('latest_charge') });
  if (!change.decline) return { status: 200, body: intent };
  const lastError = change.intent.lastPaymentError ?? {};
  return {
    status: 402,
    body: {
      error: {
        ...lastError,
        type: 'card_error',
        code: change.decline.code,
        decline_code: change.decline.declineCode,
        message: change.decline.message,
        charge: change.decline.chargeId,
        payment_intent: intentJson(change.intent),
      },
    },
  };
}

export async function createPaymentIntent(ctx: OperationContext, params: CreateIntentParams & { expand: string[] }): Promise<SandboxResponse> {
  const id = stripeId('pi');
  const ids = { id, clientSecret: `${id}_secret_${randomBytes(12).toString('hex')}`, chargeId: stripeId('ch') };
  const result = createIntent(params, ids, ctx.now);
  if (!result.ok) return failure(result);
  await insertIntent(ctx.tx, result.value.intent);
  await emit(ctx, result.value.intent, result.value.events);
  return changeResponse(result.value, params.expand);
}

export async function retrievePaymentIntent(db: DbOrTx, id: string, params: { expand: string[] }): Promise<SandboxResponse> {
  const intent = await findIntent(db, id);
  if (!intent) return noSuchIntent(id);
  return { status: 200, body: intentJson(intent, { expandLatestCharge: params.expand.includes('latest_charge') }) };
}

async function change(
  ctx: OperationContext,
  id: string,
  expand: readonly string[],
  apply: (intent: IntentState) => CoreResult<IntentChange>,
): Promise<SandboxResponse> {
  const intent = await findIntent(ctx.tx, id, { forUpdate: true });
  if (!intent) return noSuchIntent(id);
  const result = apply(intent);
  if (!result.ok) return failure(result);
  await updateIntent(ctx.tx, result.value.intent);
  await emit(ctx, result.value.intent, result.value.events);
  return changeResponse(result.value, expand);
}

export function confirmPaymentIntent(ctx: OperationContext, id: string, params: { paymentMethod: string | null; expand: string[] }): Promise<SandboxResponse> {
  return change(ctx, id, params.expand, (intent) => confirmIntent(intent, { paymentMethod: params.paymentMethod, chargeId: stripeId('ch') }, ctx.now));
}

export function capturePaymentIntent(ctx: OperationContext, id: string, params: { amountToCapture: number | null; expand: string[] }): Promise<SandboxResponse> {
  return change(ctx, id, params.expand, (intent) => captureIntent(intent, params.amountToCapture, ctx.now));
}

export function cancelPaymentIntent(ctx: OperationContext, id: string, params: { reason: CancellationReason | null; expand: string[] }): Promise<SandboxResponse> {
  return change(ctx, id, params.expand, (intent) => cancelIntent(intent, params.reason, ctx.now));
}

export async function createRefund(ctx: OperationContext, params: CreateRefundParams): Promise<SandboxResponse> {
  const intent = params.paymentIntent !== null
    ? await findIntent(ctx.tx, params.paymentIntent, { forUpdate: true })
    : await findIntentByCharge(ctx.tx, params.charge ?? '', { forUpdate: true });
  if (!intent) {
    if (params.paymentIntent !== null) return noSuchIntent(params.paymentIntent, 'payment_intent');
    return failure(fail(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such charge: '${params.charge}'`, param: 'charge' }));
  }
  const result = refundIntent(intent, { amount: params.amount, reason: params.reason, metadata: params.metadata }, stripeId('re'), ctx.now);
  if (!result.ok) return failure(result);
  await updateIntent(ctx.tx, result.value.intent);
  await insertRefund(ctx.tx, result.value.refund);
  await emit(ctx, result.value.intent, result.value.events);
  return { status: 200, body: refundJson(result.value.refund) };
}

export async function listRefundsFor(
  db: DbOrTx,
  params: { paymentIntent: string | null; charge: string | null; limit: number; startingAfter: string | null },
): Promise<SandboxResponse> {
  const { refunds, hasMore } = await listRefunds(db, { paymentIntentId: params.paymentIntent, chargeId: params.charge, limit: params.limit, startingAfter: params.startingAfter });
  return { status: 200, body: listJson('/v1/refunds', refunds.map(refundJson), hasMore) };
}
