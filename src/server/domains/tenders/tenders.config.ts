import { authSecret } from '../../env.ts';
import { deriveMasterKey, parseMasterKey } from './tenders.crypto.ts';

/**
 * The tender domain's ports: the master key that wraps per-tender data keys, and the clock every
 * deadline is checked against. Tests replace the clock (`setTenderClock`) to pass deadlines and the
 * opening time without waiting; the application uses the system clock.
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

const systemClock: TenderClock = { now: () => new Date() };
let clock: TenderClock = systemClock;

export function tenderNow(): Date {
  return clock.now();
}

/** Replaces the clock (tests); `null` restores the system clock. */
export function setTenderClock(next: TenderClock | null): void {
  clock = next ?? systemClock;
}
