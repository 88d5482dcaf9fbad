import { randomBytes, randomInt } from 'node:crypto';

/** Random codes of the prescription flow (server only). */

/** A 6-digit pickup code. */
export function newPickupCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The patient's status-link token: 32 random bytes, URL-safe (43 characters). */
export function newStatusToken(): string {
  return randomBytes(32).toString('base64url');
}
