import { randomBytes } from 'node:crypto';

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

function encodeRandom(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[bytes[i]! % 32];
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
