import { randomFillSync } from 'node:crypto';

/**
 * Prefixed, sortable ids: `<prefix>_<time><random>` in Crockford base32. The first 10 characters
 * encode milliseconds since the epoch, so ids sort by creation time; 16 random characters follow.
 */
export const ID_PREFIXES = {
  user: 'usr',
  session: 'ses',
  account: 'acc',
  verification: 'vrf',
  organization: 'org',
  member: 'mem',
  invitation: 'inv',
  apikey: 'key',
  licence: 'lic',
  herb: 'hrb',
  audit: 'aud',
  outbox: 'evt',
  upload: 'upl',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  let value = ms;
  for (let i = 0; i < 10; i += 1) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

/**
 * Random bytes are drawn from the system in blocks of 4 KiB and used up 16 at a time, as Node's
 * `randomUUID` does: one system call per 256 ids instead of one per id (the market's writer makes
 * several ids a command).
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function encodeRandom(length: number): string {
  if (poolOffset + length > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let out = '';
  // 256 is a multiple of 32, so `% 32` keeps every character equally likely.
  for (let i = 0; i < length; i += 1) out += ALPHABET[pool[poolOffset + i]! % 32];
  poolOffset += length;
  return out;
}

export function newId(kind: IdKind | string, now = Date.now()): string {
  const prefix = kind in ID_PREFIXES ? ID_PREFIXES[kind as IdKind] : kind;
  return `${prefix}_${encodeTime(now)}${encodeRandom(16)}`;
}

const ID_SHAPE = /^[a-z]{2,5}_[0-9a-hjkmnp-tv-z]{26}$/;

export function isId(value: string, kind?: IdKind): boolean {
  if (!ID_SHAPE.test(value)) return false;
  return kind ? value.startsWith(`${ID_PREFIXES[kind]}_`) : true;
}
