import type { z } from 'zod';
import { AppError } from '../../lib/errors.ts';

/**
 * Pure rules of the outbox: statuses and their allowed transitions, retry backoff, error text.
 * No I/O here; the runners (`runner.ts`) and operator functions (`admin.ts`) apply these rules.
 */

export const OUTBOX_STATUSES = ['pending', 'dispatched', 'done', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export function isOutboxStatus(value: string): value is OutboxStatus {
  return (OUTBOX_STATUSES as readonly string[]).includes(value);
}

/**
 * Allowed status transitions and who makes them.
 * - pending → dispatched: the BullMQ dispatcher handed the row to Redis.
 * - pending → done | failed: the inline runner delivered it (or gave up); the BullMQ worker may also
 *   finish a row it picked up before the dispatcher marked it dispatched.
 * - pending → pending: a retry with backoff (attempts + 1, run_at later).
 * - dispatched → done | failed: the BullMQ worker finished (or gave up).
 * - dispatched → pending: the reconciler found the Redis job missing (Redis flushed) and re-dispatches.
 * - failed → pending: an operator retried it (`retryJob`).
 * - failed → done: an operator discarded it (`discardJob`); last_error is kept.
 * - done is final.
 */
export const OUTBOX_TRANSITIONS: Readonly<Record<OutboxStatus, readonly OutboxStatus[]>> = {
  pending: ['pending', 'dispatched', 'done', 'failed'],
  dispatched: ['pending', 'done', 'failed'],
  failed: ['pending', 'done'],
  done: [],
};

export function canTransition(from: string, to: OutboxStatus): boolean {
  return isOutboxStatus(from) && OUTBOX_TRANSITIONS[from].includes(to);
}

export function assertTransition(id: string, from: string, to: OutboxStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('INVALID_TRANSITION', `outbox event ${id} is ${from}; it cannot become ${to}`, { id, from, to });
  }
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1_000;
/** Retries never wait longer than this between attempts. */
export const DEFAULT_MAX_BACKOFF_MS = 60 * 60 * 1_000;

/**
 * Delay before the next attempt after `attempt` (1-based) failed: base × 2^(attempt−1), capped.
 * The same function drives the inline runner and BullMQ's custom backoff strategy.
 */
export function computeBackoffMs(attempt: number, baseMs: number, capMs = DEFAULT_MAX_BACKOFF_MS): number {
  if (baseMs <= 0) return 0;
  const exponent = Math.max(0, Math.min(attempt - 1, 40));
  return Math.min(Math.round(baseMs * 2 ** exponent), capMs);
}

const MAX_ERROR_CHARS = 2_000;

/** The text stored in `last_error`: `Name: message`, truncated. */
export function formatJobError(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : `Error: ${error.message}`;
  else text = typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

/** A zod failure as `AppError('VALIDATION')` naming the first offending field (dotted path). */
export function payloadError(jobName: string, error: z.ZodError): AppError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const where = field ? `${field}: ` : '';
  return new AppError('VALIDATION', `invalid payload for job ${jobName}: ${where}${issue?.message ?? 'invalid'}`, {
    field,
    job: jobName,
    issues: error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}
