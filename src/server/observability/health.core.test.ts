import { describe, expect, it } from 'vitest';
import { outboxDepths, overallStatus, paymentsKeyMode, probeDown, probeOf, runnerStatus } from './health.core.ts';

describe('health core', () => {
  it('judges a probe by its latency', () => {
    expect(probeOf(12.345, 250)).toEqual({ status: 'ok', latencyMs: 12.3, error: null });
    expect(probeOf(251, 250).status).toBe('slow');
    expect(probeDown('connect ECONNREFUSED')).toEqual({ status: 'down', latencyMs: null, error: 'connect ECONNREFUSED' });
  });

  it('names the payments key mode without showing the key', () => {
    expect(paymentsKeyMode('sk_live_abc')).toBe('live');
    expect(paymentsKeyMode('sk_test_abc')).toBe('test');
    expect(paymentsKeyMode('sk_test_sandbox_abc')).toBe('sandbox');
    expect(paymentsKeyMode('rk_live_abc')).toBe('unknown');
  });

  it('folds outbox counts per job, failed and waiting ones first', () => {
    const depths = outboxDepths([
      { job: 'search.index', status: 'done', n: 40 },
      { job: 'orders.capture-payment', status: 'pending', n: 2 },
      { job: 'orders.capture-payment', status: 'done', n: 5 },
      { job: 'email.send', status: 'failed', n: 1 },
      { job: 'email.send', status: 'dispatched', n: 3 },
      { job: 'email.send', status: 'bogus', n: 9 },
    ]);
    expect(depths.totals).toEqual({ pending: 2, dispatched: 3, done: 45, failed: 1 });
    expect(depths.byJob.map((d) => d.job)).toEqual(['email.send', 'orders.capture-payment', 'search.index']);
    expect(depths.byJob[0]).toEqual({ job: 'email.send', pending: 0, dispatched: 3, done: 0, failed: 1 });
    expect(outboxDepths([])).toEqual({ totals: { pending: 0, dispatched: 0, done: 0, failed: 0 }, byJob: [] });
  });

  it('judges the job runner by its Redis and by how long due jobs wait', () => {
    const now = new Date('2026-01-05T08:00:00Z');
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    expect(runnerStatus({ redis: null, oldestDueAt: null, now })).toBe('ok');
    expect(runnerStatus({ redis: null, oldestDueAt: minutesAgo(4), now })).toBe('ok');
    expect(runnerStatus({ redis: null, oldestDueAt: minutesAgo(6), now })).toBe('slow');
    expect(runnerStatus({ redis: probeOf(500, 100), oldestDueAt: null, now })).toBe('slow');
    expect(runnerStatus({ redis: probeDown('ECONNREFUSED'), oldestDueAt: null, now })).toBe('down');
  });

  it('is down without the database, degraded when anything else is wrong', () => {
    expect(overallStatus({ database: 'ok', others: ['ok', 'ok'], failedJobs: 0 })).toBe('ok');
    expect(overallStatus({ database: 'down', others: ['ok'], failedJobs: 0 })).toBe('down');
    expect(overallStatus({ database: 'slow', others: ['ok'], failedJobs: 0 })).toBe('degraded');
    expect(overallStatus({ database: 'ok', others: ['ok', 'down'], failedJobs: 0 })).toBe('degraded');
    expect(overallStatus({ database: 'ok', others: ['ok'], failedJobs: 2 })).toBe('degraded');
  });
});
