import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { defineJob } from '../../jobs/define.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { liveBus } from './live.ts';

/**
 * `live.publish`: tells the live bus that `topic` changed. Enqueued in the transaction that made the
 * change (so nothing is announced that did not commit); at-least-once like every job, which is harmless
 * for a notification.
 */
export const livePublishJob = defineJob({
  name: 'live.publish',
  payload: z.object({ topic: z.string().min(1).max(200), kind: z.string().min(1).max(100), at: z.string().datetime() }),
  maxAttempts: 3,
  backoffMs: 500,
  async handler({ topic, kind, at }) {
    await liveBus().publish(topic, { kind, at });
  },
});

/** `live.publish-many`: several topics changed in one transaction (a batch of market commands): one outbox row. */
export const livePublishManyJob = defineJob({
  name: 'live.publish-many',
  payload: z.object({ messages: z.array(z.object({ topic: z.string().min(1).max(200), kind: z.string().min(1).max(100) })).min(1).max(10_000), at: z.string().datetime() }),
  maxAttempts: 3,
  backoffMs: 500,
  async handler({ messages, at }) {
    for (const { topic, kind } of messages) await liveBus().publish(topic, { kind, at });
  },
});

/** Announces, inside the transaction making the change, that `topic` changed (delivered once it commits). */
export async function announce(tx: DbOrTx, topic: string, kind: string, at: Date = new Date()): Promise<void> {
  await enqueue(tx, livePublishJob, { topic, kind, at: at.toISOString() });
}
