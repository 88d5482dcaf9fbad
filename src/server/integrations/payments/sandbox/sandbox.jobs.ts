import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { defineJob } from '../../../jobs/define.ts';
import { appPayments, appPaymentsConfig, appPaymentEventSink } from '../payments.ts';
import { signatureHeader } from '../signature.core.ts';
import { handlePaymentWebhook, type WebhookResult } from '../webhook.ts';
import { findEvent, markEventDelivered } from './sandbox.repo.ts';

/**
 * Webhook delivery for the sandbox's events, through the outbox: the event row and its delivery job
 * are written in the transaction of the state change, and the job signs the stored body with the
 * Stripe scheme (`t=…,v1=HMAC-SHA256(secret, "t.body")`) and hands it to the app's webhook handler
 * in-process — the same function `POST /api/webhooks/payments` calls, signature check included.
 * A non-2xx answer throws, so the runner retries with backoff (Stripe retries failed deliveries too).
 */
export interface SandboxDeliveryDeps {
  webhookSecret: string;
  /** Receives the signed delivery; the app's is `handlePaymentWebhook`. */
  deliver(rawBody: string, signature: string): Promise<Pick<WebhookResult, 'status' | 'body'>>;
  now?: () => Date;
}

export class WebhookDeliveryError extends Error {
  constructor(
    readonly eventId: string,
    readonly status: number,
    body: unknown,
  ) {
    super(`payment webhook answered ${status} for sandbox event ${eventId}: ${JSON.stringify(body)}`);
    this.name = 'WebhookDeliveryError';
  }
}

/** Delivers one stored event (again, if asked: the webhook acknowledges a duplicate without effect). */
export async function deliverSandboxEvent(db: Db, eventId: string, deps: SandboxDeliveryDeps): Promise<void> {
  const event = await findEvent(db, eventId);
  if (!event) throw new Error(`sandbox event ${eventId} not found`);
  const now = deps.now?.() ?? new Date();
  const header = signatureHeader(deps.webhookSecret, Math.floor(now.getTime() / 1000), event.body);
  const result = await deps.deliver(event.body, header);
  if (result.status < 200 || result.status >= 300) throw new WebhookDeliveryError(eventId, result.status, result.body);
  await markEventDelivered(db, eventId, now);
}

const payload = z.object({ eventId: z.string().min(1) });

/** The delivery job with its dependencies resolved per delivery (tests pass their own). */
export function sandboxDeliveryJobWith(depsFor: (db: Db) => SandboxDeliveryDeps) {
  return defineJob({
    name: 'payments.sandbox-deliver-event',
    payload,
    maxAttempts: 10,
    backoffMs: 2_000,
    async handler({ eventId }, ctx) {
      await deliverSandboxEvent(ctx.db, eventId, depsFor(ctx.db));
    },
  });
}

/** The app's: signs with the configured sandbox webhook secret, delivers to the app's sink. */
export const sandboxDeliveryJob = sandboxDeliveryJobWith((db) => {
  const config = appPaymentsConfig();
  if (!config.webhookSecret) throw new Error('payments: the sandbox has no webhook secret');
  return {
    webhookSecret: config.webhookSecret,
    deliver: (rawBody, signature) => handlePaymentWebhook({ db, payments: appPayments(), sink: appPaymentEventSink() }, rawBody, signature),
  };
});
