import type { Db } from '../db/client.ts';
import { createBullmqRunner } from './bullmq-runner.ts';
import type { JobRegistry } from './define.ts';
import { defaultOnError, defaultOnFailed, type ErrorListener, type FailureListener } from './delivery.ts';
import { createInlineRunner } from './inline-runner.ts';
import { DEFAULT_MAX_BACKOFF_MS } from './outbox.core.ts';

export type { JobFailure } from './delivery.ts';

/** Redis key prefix of the BullMQ queue unless a runner is given another. */
export const DEFAULT_QUEUE_PREFIX = 'bencao';

/**
 * The job runner port: delivers outbox rows to their handlers, at least once. Two drivers pass the
 * same contract suite (`runner.contract.ts`): `inline` (in-process, the outbox table is the queue)
 * and `bullmq` (Redis; a dispatcher moves rows to BullMQ and workers run them).
 */
export interface JobRunner {
  readonly kind: 'inline' | 'bullmq';
  /** Starts delivering in the background; resolves once the driver is connected. */
  start(): Promise<void>;
  /**
   * Stops taking work, waits up to `shutdownGraceMs` for running handlers, then abandons the rest
   * (their lease lapses and they are redelivered) and closes connections.
   */
  stop(): Promise<void>;
  /** Inline only: delivers every row due now, once (retries due later are left), and returns how many. */
  drainOnce?(): Promise<number>;
}

export interface JobRunnerOptions {
  db: Db;
  registry: JobRegistry;
  /** Given → BullMQ on this Redis; absent → the inline driver. */
  redisUrl?: string;
  /** BullMQ key prefix (default `DEFAULT_QUEUE_PREFIX`); tests use their own. */
  prefix?: string;
  /** Inline: how often to look for due rows. BullMQ: how often to dispatch pending rows. Default 1000. */
  pollMs?: number;
  /** Handlers run at once by this process. Default 4. */
  concurrency?: number;
  /**
   * Lease on a running delivery (inline `locked_until`, BullMQ lock duration), renewed while the
   * handler runs. A crashed process's jobs are redelivered after about this long. Default 60 s.
   */
  leaseMs?: number;
  /** stop() waits this long for running handlers before abandoning them. Default 30 s. */
  shutdownGraceMs?: number;
  /** Cap on the exponential retry delay. Default 1 h. */
  maxBackoffMs?: number;
  /** BullMQ: reconciler period (default 60 s) and minimum age of a dispatched row it checks (default 60 s). */
  reconcileMs?: number;
  reconcileGraceMs?: number;
  /** BullMQ: stalled-job check period (default: leaseMs). */
  stalledIntervalMs?: number;
  /** Every failed attempt (final or not). Default: a warn / error log line. */
  onFailed?: FailureListener;
  /** Infrastructure errors (database/Redis down); the runner keeps going. Default: an error log line. */
  onError?: ErrorListener;
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const leaseMs = options.leaseMs ?? 60_000;
  const common = {
    db: options.db,
    registry: options.registry,
    pollMs: options.pollMs ?? 1_000,
    concurrency: Math.max(1, options.concurrency ?? 4),
    leaseMs,
    shutdownGraceMs: options.shutdownGraceMs ?? 30_000,
    maxBackoffMs: options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
    onFailed: options.onFailed ?? defaultOnFailed,
    onError: options.onError ?? defaultOnError,
  };
  if (options.redisUrl) {
    return createBullmqRunner({
      ...common,
      redisUrl: options.redisUrl,
      prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
      reconcileMs: options.reconcileMs ?? 60_000,
      reconcileGraceMs: options.reconcileGraceMs ?? 60_000,
      stalledIntervalMs: options.stalledIntervalMs ?? leaseMs,
    });
  }
  return createInlineRunner(common);
}
