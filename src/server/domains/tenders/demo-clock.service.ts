import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db } from '../../db/client.ts';
import { outboxEvent } from '../../db/schema/index.ts';
import { env } from '../../env.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { demoClockAllowed, MAX_DEMO_OFFSET_MS, planClockMove } from './demo-clock.core.ts';
import { demoClockOffsetMs, setDemoClockOffsetMs, tenderNow } from './tenders.config.ts';
import { tendersJobList } from './tenders.jobs.ts';
import { shanghai } from '../../../lib/display-format.ts';

/**
 * The embedded demo's tender clock, moved forward by a platform operator so a visitor can walk a
 * tender through its deadlines, the sealed-bid opening and the publicity window in minutes. Off (and
 * refused) unless the process runs the embedded demo (`demoClockAllowed`). Moving it changes no
 * rule: every deadline is still checked against the tender clock, the opening job still refuses to
 * run before the opening time and runs once; the move only brings the tender timers that became due
 * (`tenders.open`, `tenders.finalize`) forward to now, so the job runner delivers them at once.
 */
export interface DemoClockActor {
  userId: string | null;
  orgId: string;
}

const TENDER_JOBS = tendersJobList.map((j) => j.name);

export function demoClockState() {
  const enabled = demoClockAllowed(env());
  return { enabled, now: tenderNow().toISOString(), systemNow: new Date().toISOString(), offsetMs: enabled ? demoClockOffsetMs() : 0, maxOffsetMs: MAX_DEMO_OFFSET_MS };
}

/**
 * Moves the tender clock forward to `to` (audited) and makes the tender timers due by then run now.
 * The clock moves before the timers are released, so a timer never runs against the old clock; if
 * anything fails the clock goes back and nothing is written.
 */
export async function advanceDemoClock(db: Db, actor: DemoClockActor, input: { to: Date }) {
  if (!demoClockAllowed(env())) throw new AppError('FORBIDDEN', msg('tenders.demoClockDisabled'), { field: 'to' });
  const from = tenderNow();
  const systemNow = new Date();
  const plan = planClockMove(from, input.to, systemNow);
  if ('refused' in plan) {
    throw new AppError('VALIDATION', plan.refused === 'not_forward' ? msg('tenders.demoClockNotForward', { now: shanghai(from) }) : msg('tenders.demoClockTooFar', { days: MAX_DEMO_OFFSET_MS / 86_400_000 }), { field: 'to' });
  }
  const previous = demoClockOffsetMs();
  setDemoClockOffsetMs(plan.offsetMs);
  try {
    return await db.transaction(async (tx) => {
      const due = await tx
        .update(outboxEvent)
        .set({ runAt: sql`now()` })
        .where(and(eq(outboxEvent.status, 'pending'), inArray(outboxEvent.job, TENDER_JOBS), gt(outboxEvent.runAt, sql`now()`), lte(outboxEvent.runAt, input.to)))
        .returning({ id: outboxEvent.id, job: outboxEvent.job, payload: outboxEvent.payload });
      await appendAudit(tx, {
        actorUserId: actor.userId,
        actorOrgId: actor.orgId,
        orgId: null,
        action: 'demo.tender_clock_moved',
        entityType: 'tender_clock',
        entityId: 'demo',
        data: { from: from.toISOString(), to: input.to.toISOString(), offsetMs: plan.offsetMs, released: due.map((d) => ({ id: d.id, job: d.job, payload: d.payload })) },
      });
      return { now: tenderNow().toISOString(), offsetMs: plan.offsetMs, released: due.map((d) => ({ id: d.id, job: d.job })) };
    });
  } catch (error) {
    setDemoClockOffsetMs(previous);
    throw error;
  }
}
