import { z } from 'zod';
import { ordersJobList } from '../domains/orders/orders.jobs.ts';
import { marketJobList } from '../domains/market/market.jobs.ts';
import { sendInvitationEmail } from '../domains/orgs/orgs.jobs.ts';
import { sandboxDeliveryJob } from '../integrations/payments/sandbox/sandbox.jobs.ts';
import { indexDocumentsJob } from '../integrations/search/search.jobs.ts';
import { importFileJob } from '../domains/catalog/import.jobs.ts';
import { tendersJobList } from '../domains/tenders/tenders.jobs.ts';
import { prescriptionsJobList } from '../domains/prescriptions/prescriptions.jobs.ts';
import { shipmentsJobList } from '../domains/delivery/shipments.jobs.ts';
import { livePublishJob, livePublishManyJob } from '../integrations/live/live.jobs.ts';
import { createJobRegistry, defineJob, type AnyJobDefinition } from './define.ts';

/**
 * `outbox.ping`: does nothing and writes nothing. The health check enqueues one and watches it reach
 * `done` (proves the whole path: outbox row → runner → handler), and the job tests use it.
 */
export const outboxPing = defineJob({
  name: 'outbox.ping',
  payload: z.object({
    /** Who asked, for the operator's job list (`health`, `test`, `cli`). */
    source: z.string().trim().min(1).max(64).default('health'),
  }),
  maxAttempts: 3,
  backoffMs: 1_000,
  async handler() {
    // Intentionally empty.
  },
});

/**
 * Every job the application delivers. To add one: define it next to its domain
 * (`src/server/domains/<domain>/<domain>.jobs.ts`, `defineJob({...})`) and append it here. A row whose
 * job is missing from this list fails permanently at delivery, so register before you enqueue.
 */
export const appJobList: readonly AnyJobDefinition[] = [outboxPing, sendInvitationEmail, sandboxDeliveryJob, indexDocumentsJob, ...ordersJobList, importFileJob, ...tendersJobList, ...prescriptionsJobList, ...shipmentsJobList, ...marketJobList, livePublishJob, livePublishManyJob];

export const appJobs = createJobRegistry(appJobList);
