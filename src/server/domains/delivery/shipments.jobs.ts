import path from 'node:path';
import { z } from 'zod';
import { env } from '../../env.ts';
import { createMailboxMailer, type Mailer } from '../../integrations/mail/mailer.ts';
import { appCarriers, type Carriers } from '../../integrations/carriers/carriers.ts';
import { simEventId, simulationSteps, type SimPhase, type SimScenario } from '../../integrations/carriers/simulated.core.ts';
import { handleCarrierWebhook } from '../../integrations/carriers/webhook.ts';
import { defineJob, type AnyJobDefinition } from '../../jobs/define.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { isFinalState } from './shipments.core.ts';
import { sendShipmentNotifications } from './shipments.notify.ts';
import { shipmentById } from './shipments.repo.ts';

/**
 * Outbox jobs of delivery tracking: notifications (alerts, delivered, returned) and the simulated
 * carrier, which plays one step per delayed job and posts it as a signed webhook through the same
 * handler real carriers reach. Both are idempotent: a step's carrier event id is stable (a re-sent
 * step is a duplicate) and the next step is enqueued with a dedupe key. `shipmentsJobsWith` lets
 * tests give their own carriers (fast simulated minutes) and mailer.
 */
const simulatePayload = z.object({ shipmentId: z.string().min(1).max(64), phase: z.enum(['outbound', 'redelivery', 'return']), round: z.number().int().min(0).max(1000), index: z.number().int().min(0).max(100) });
const notifyPayload = z.object({ shipmentId: z.string().min(1).max(64), kind: z.string().min(1).max(40), alertId: z.string().min(1).max(64).optional() });

/** Plays one step of a simulated shipment; answers the HTTP status the webhook gave (200) or why it did nothing. */
export async function playSimulationStep(db: Parameters<typeof handleCarrierWebhook>[0]['db'], carriers: Carriers, payload: z.output<typeof simulatePayload>, now: Date): Promise<'sent' | 'skipped'> {
  const row = await shipmentById(db, payload.shipmentId);
  // Gone, not simulated, superseded by a party's decision (a newer round), or already over.
  if (!row || !row.simulation || row.simulation.round !== payload.round || isFinalState(row.state)) return 'skipped';
  const adapter = carriers.get('sim');
  if (!adapter) return 'skipped';
  const steps = simulationSteps(row.simulation.scenario as SimScenario, payload.phase as SimPhase, row.coldChain);
  const step = steps[payload.index];
  if (!step) return 'skipped';
  const minuteMs = carriers.config.simMinuteMs;
  const spanMs = Math.max(step.readings.length, step.afterMinutes * minuteMs);
  const temperatures = step.readings.map((celsius, j) => ({ at: new Date(now.getTime() - Math.round(((step.readings.length - 1 - j) * spanMs) / step.readings.length)).toISOString(), celsius }));
  const body = JSON.stringify({
    events: [
      {
        id: simEventId(row.id, payload.phase as SimPhase, payload.round, payload.index),
        trackingNumber: row.trackingNumber,
        type: step.type,
        at: now.toISOString(),
        location: step.location,
        description: step.description,
        ...(step.exceptionReason ? { exceptionReason: step.exceptionReason } : {}),
        ...(step.type === 'delivered' ? { pod: { signer: row.receiverName, photoRef: `sim://pod/${row.id}/${payload.round}.jpg`, ...(row.recipientCode ? { recipientCode: row.recipientCode } : {}) } } : {}),
        ...(temperatures.length > 0 ? { temperatures } : {}),
      },
    ],
  });
  const result = await handleCarrierWebhook({ db, carriers, now: () => now }, 'sim', body, new Headers(adapter.sign(body, now)));
  if (result.status !== 200) throw new Error(`simulated carrier delivery refused: ${result.status} ${JSON.stringify(result.body)}`);
  const next = steps[payload.index + 1];
  if (next) {
    await db.transaction((tx) =>
      enqueue(tx, simulateStepJob, { ...payload, index: payload.index + 1 }, { runAt: new Date(now.getTime() + next.afterMinutes * minuteMs), dedupeKey: `shipments.simulate:${row.id}:${payload.phase}:${payload.round}:${payload.index + 1}` }),
    );
  }
  return 'sent';
}

export function simulateStepJobWith(carriersFor: () => Carriers) {
  return defineJob({
    name: 'shipments.simulate-step',
    payload: simulatePayload,
    maxAttempts: 8,
    backoffMs: 2_000,
    handler: async (payload, ctx) => {
      await playSimulationStep(ctx.db, carriersFor(), payload, ctx.now);
    },
  });
}

export function notifyJobWith(mailerFor: () => Mailer) {
  return defineJob({
    name: 'shipments.notify',
    payload: notifyPayload,
    maxAttempts: 6,
    backoffMs: 5_000,
    handler: async (payload, ctx) => {
      await sendShipmentNotifications(ctx.db, mailerFor(), payload, ctx.eventId);
    },
  });
}

export const simulateStepJob = simulateStepJobWith(appCarriers);
export const notifyJob = notifyJobWith(() => createMailboxMailer(path.join(env().BENCAO_DATA_DIR, 'mailbox')));

/** The jobs with the carriers and mailer given (tests). */
export function shipmentsJobsWith(options: { carriers: () => Carriers; mailer: () => Mailer }): readonly AnyJobDefinition[] {
  return [simulateStepJobWith(options.carriers), notifyJobWith(options.mailer)];
}

/** Registered in `jobs/registry.ts`. */
export const shipmentsJobList: readonly AnyJobDefinition[] = [simulateStepJob, notifyJob];
