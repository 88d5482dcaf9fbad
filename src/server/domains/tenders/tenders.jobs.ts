import { z } from 'zod';
import { defineJob, type AnyJobDefinition } from '../../jobs/define.ts';
import { tenderNow } from './tenders.config.ts';

/**
 * The tenders domain's timers. `tenders.open` is enqueued at publication with runAt = openingAt;
 * `tenders.finalize` at the opening with runAt = end of the publicity window. Both are idempotent
 * (the tender's status, read under a row lock, says whether the work is done), so a redelivery or a
 * second run changes nothing. Deadlines are checked against the tender clock (the system clock in the
 * application). The handlers load the opening module lazily (it enqueues these jobs).
 */
const payload = z.object({ tenderId: z.string().min(1).max(64) });

export const openTenderJob = defineJob({
  name: 'tenders.open',
  payload,
  maxAttempts: 20,
  backoffMs: 5_000,
  async handler({ tenderId }, ctx) {
    const { openTender } = await import('./tenders.opening.ts');
    await openTender(ctx.db, tenderId, tenderNow());
  },
});

export const finalizeTenderJob = defineJob({
  name: 'tenders.finalize',
  payload,
  maxAttempts: 10,
  backoffMs: 10_000,
  async handler({ tenderId }, ctx) {
    const { finalizeBySystem } = await import('./tenders.opening.ts');
    await finalizeBySystem(ctx.db, tenderId, tenderNow());
  },
});

/** Registered in `jobs/registry.ts`. */
export const tendersJobList: readonly AnyJobDefinition[] = [openTenderJob, finalizeTenderJob];
