import path from 'node:path';
import { z } from 'zod';
import { env } from '../../env.ts';
import { createMailboxMailer, type Mailer } from '../../integrations/mail/mailer.ts';
import { defineJob, type AnyJobDefinition } from '../../jobs/define.ts';
import { sendRxNotifications } from './prescriptions.notify.ts';
import { expirePrescription, timeoutOffer } from './prescriptions.transitions.ts';

/**
 * Outbox jobs of prescription routing: timers as delayed jobs (`runAt`) — an offer's timeout
 * (re-route to the next candidate) and the prescription's validity (≤ 3 days) — and a notification
 * per status change. All handlers are idempotent. `prescriptionsJobsWith` lets tests give the
 * notifications their own mailer; the app's write to the local mailbox.
 */
export const offerTimeoutJob = defineJob({
  name: 'prescriptions.offer-timeout',
  payload: z.object({ offerId: z.string().min(1).max(64) }),
  maxAttempts: 10,
  backoffMs: 5_000,
  handler: async ({ offerId }, ctx) => {
    await timeoutOffer(ctx.db, offerId, ctx.now);
  },
});

export const expirePrescriptionJob = defineJob({
  name: 'prescriptions.expire',
  payload: z.object({ prescriptionId: z.string().min(1).max(64) }),
  maxAttempts: 10,
  backoffMs: 5_000,
  handler: async ({ prescriptionId }, ctx) => {
    await expirePrescription(ctx.db, prescriptionId, ctx.now);
  },
});

const notifyPayload = z.object({ prescriptionId: z.string().min(1).max(64), status: z.string().min(1).max(32), pharmacyOrgId: z.string().min(1).max(64).optional(), note: z.enum(['routing_failed']).optional() });

export function notifyJobWith(mailerFor: () => Mailer) {
  return defineJob({
    name: 'prescriptions.notify',
    payload: notifyPayload,
    maxAttempts: 6,
    backoffMs: 5_000,
    handler: async (payload, ctx) => {
      await sendRxNotifications(ctx.db, mailerFor(), payload, ctx.eventId);
    },
  });
}

export const notifyJob = notifyJobWith(() => createMailboxMailer(path.join(env().BENCAO_DATA_DIR, 'mailbox')));

/** The jobs with notifications sent through `mailerFor` (tests). */
export function prescriptionsJobsWith(mailerFor: () => Mailer): readonly AnyJobDefinition[] {
  return [offerTimeoutJob, expirePrescriptionJob, notifyJobWith(mailerFor)];
}

/** Registered in `jobs/registry.ts`. */
export const prescriptionsJobList: readonly AnyJobDefinition[] = [offerTimeoutJob, expirePrescriptionJob, notifyJob];
