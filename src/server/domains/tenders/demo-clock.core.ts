/**
 * The demo tender clock, pure. In the embedded demo (`npm run demo`: BENCAO_DEMO=1 on PGlite with the
 * in-process job runner) an operator may move the tender clock forward to walk through a tender
 * (deadlines, the opening, the end of the publicity window) without waiting days. Anywhere else —
 * an external database or Redis means a real deployment — it is off, whatever else is set.
 */
export interface DemoClockEnv {
  BENCAO_DEMO: string;
  DATABASE_URL?: string | undefined;
  REDIS_URL?: string | undefined;
}

export function demoClockAllowed(env: DemoClockEnv): boolean {
  return env.BENCAO_DEMO === '1' && !env.DATABASE_URL && !env.REDIS_URL;
}

/** The farthest the demo clock may run ahead of the system clock. */
export const MAX_DEMO_OFFSET_MS = 400 * 24 * 3_600_000;

export type ClockMoveRefusal = 'not_forward' | 'too_far';

/**
 * A move of the demo clock from `current` (the tender clock now) to `to`, with the system time
 * `systemNow`: forward only, at most MAX_DEMO_OFFSET_MS ahead of the system clock. Answers the new
 * offset, or why it is refused.
 */
export function planClockMove(current: Date, to: Date, systemNow: Date): { offsetMs: number } | { refused: ClockMoveRefusal } {
  if (Number.isNaN(to.getTime()) || to.getTime() <= current.getTime()) return { refused: 'not_forward' };
  const offsetMs = to.getTime() - systemNow.getTime();
  if (offsetMs > MAX_DEMO_OFFSET_MS) return { refused: 'too_far' };
  return { offsetMs: Math.max(0, offsetMs) };
}
