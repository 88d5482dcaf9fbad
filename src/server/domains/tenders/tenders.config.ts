import { authSecret, env } from '../../env.ts';
import { demoClockAllowed } from './demo-clock.core.ts';
import { deriveMasterKey, parseMasterKey } from './tenders.crypto.ts';

/**
 * The tender domain's ports: the master key that wraps per-tender data keys, and the clock every
 * deadline is checked against. Tests replace the clock (`setTenderClock`) to pass deadlines and the
 * opening time without waiting; the application uses the system clock, which the operator of the
 * embedded demo (and only there) may move forward.
 */
let cachedKey: Buffer | undefined;

/** `TENDER_MASTER_KEY` (32 bytes as hex or base64), or one derived from the auth secret. */
export function tenderMasterKey(): Buffer {
  if (!cachedKey) {
    const configured = process.env.TENDER_MASTER_KEY?.trim();
    cachedKey = configured ? parseMasterKey(configured) : deriveMasterKey(authSecret());
  }
  return cachedKey;
}

export interface TenderClock {
  now(): Date;
}

/**
 * Process-wide clock state on globalThis: Next.js may load this module more than once in one
 * process (route handlers, server components, the job runner started at boot), and every copy must
 * read the same clock.
 */
const state = globalThis as unknown as { __bencaoTenderClock?: { override: TenderClock | null; demoOffsetMs: number } };
const clockState = () => (state.__bencaoTenderClock ??= { override: null, demoOffsetMs: 0 });

/**
 * Now, for every tender deadline: the system clock; in tests the clock they set; in the embedded
 * demo only, the system clock moved forward by the operator (`demo-clock.service.ts`). The offset is
 * ignored unless the process runs the embedded demo (`demoClockAllowed`), so production can never
 * run on a moved clock.
 */
export function tenderNow(): Date {
  const s = clockState();
  if (s.override) return s.override.now();
  const offset = s.demoOffsetMs > 0 && demoClockAllowed(env()) ? s.demoOffsetMs : 0;
  return new Date(Date.now() + offset);
}

/** Replaces the clock (tests); `null` restores the system clock. */
export function setTenderClock(next: TenderClock | null): void {
  clockState().override = next;
}

/** How far the demo clock runs ahead of the system clock (0 when it was never moved). */
export function demoClockOffsetMs(): number {
  return clockState().demoOffsetMs;
}

/** Sets the demo offset; refused (returns false) outside the embedded demo. */
export function setDemoClockOffsetMs(offsetMs: number): boolean {
  if (!demoClockAllowed(env()) || !Number.isSafeInteger(offsetMs) || offsetMs < 0) return false;
  clockState().demoOffsetMs = offsetMs;
  return true;
}
