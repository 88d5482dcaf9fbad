import { isOutboxStatus, OUTBOX_STATUSES, type OutboxStatus } from '../jobs/outbox.core.ts';

/**
 * The operator's health page, pure parts: how a probe's latency is judged, the payments key mode,
 * the outbox depths per job, and the overall verdict.
 */
export type ProbeStatus = 'ok' | 'slow' | 'down';

export interface Probe {
  status: ProbeStatus;
  /** Round trip of the probe; null when it failed before answering. */
  latencyMs: number | null;
  /** Why it is down (one line, secrets masked); null otherwise. */
  error: string | null;
}

/** Above these a reachable component is `slow` (ms). */
export const SLOW_AFTER_MS = { database: 250, redis: 100, search: 1_000, payments: 2_000 } as const;

export function probeOf(latencyMs: number, slowAfterMs: number): Probe {
  return { status: latencyMs > slowAfterMs ? 'slow' : 'ok', latencyMs: Math.round(latencyMs * 10) / 10, error: null };
}

export function probeDown(error: string, latencyMs: number | null = null): Probe {
  return { status: 'down', latencyMs, error };
}

export type PaymentsKeyMode = 'live' | 'test' | 'sandbox' | 'unknown';

/** Which kind of secret key the payments adapter runs on (the key itself is never shown). */
export function paymentsKeyMode(secretKey: string): PaymentsKeyMode {
  if (secretKey.startsWith('sk_test_sandbox_')) return 'sandbox';
  if (secretKey.startsWith('sk_live_')) return 'live';
  if (secretKey.startsWith('sk_test_')) return 'test';
  return 'unknown';
}

export type StatusCounts = Record<OutboxStatus, number>;

export interface JobDepth extends StatusCounts {
  job: string;
}

export interface OutboxDepths {
  totals: StatusCounts;
  /** One row per job name; the ones needing attention first (failed, then waiting), then by name. */
  byJob: JobDepth[];
}

const zeroCounts = (): StatusCounts => Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** Folds `(job, status, n)` rows into totals and per-job counts (unknown statuses are ignored). */
export function outboxDepths(rows: readonly { job: string; status: string; n: number }[]): OutboxDepths {
  const totals = zeroCounts();
  const byJob = new Map<string, JobDepth>();
  for (const { job, status, n } of rows) {
    if (!isOutboxStatus(status)) continue;
    const depth = byJob.get(job) ?? { job, ...zeroCounts() };
    depth[status] += n;
    totals[status] += n;
    byJob.set(job, depth);
  }
  const waiting = (d: JobDepth) => d.pending + d.dispatched;
  return {
    totals,
    byJob: [...byJob.values()].sort((a, b) => b.failed - a.failed || waiting(b) - waiting(a) || a.job.localeCompare(b.job)),
  };
}

/** Due rows waiting longer than this mean the job runner is behind (or not running at all). */
export const RUNNER_LAG_SLOW_MS = 5 * 60_000;

/** The job runner: down with its Redis, slow when Redis is slow or due rows wait too long. */
export function runnerStatus(input: { redis: Probe | null; oldestDueAt: Date | null; now: Date }): ProbeStatus {
  if (input.redis?.status === 'down') return 'down';
  const lagging = input.oldestDueAt !== null && input.now.getTime() - input.oldestDueAt.getTime() > RUNNER_LAG_SLOW_MS;
  return lagging || input.redis?.status === 'slow' ? 'slow' : 'ok';
}

export type OverallStatus = 'ok' | 'degraded' | 'down';

/**
 * Down when the database is down (nothing works without it); degraded when anything else is down or
 * slow, or jobs have failed for good; ok otherwise.
 */
export function overallStatus(input: { database: ProbeStatus; others: readonly ProbeStatus[]; failedJobs: number }): OverallStatus {
  if (input.database === 'down') return 'down';
  const troubled = input.database !== 'ok' || input.failedJobs > 0 || input.others.some((status) => status !== 'ok');
  return troubled ? 'degraded' : 'ok';
}
