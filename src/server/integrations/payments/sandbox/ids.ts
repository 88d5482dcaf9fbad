import { randomBytes } from 'node:crypto';

/**
 * Ids for the sandbox's objects (`pi_…`, `ch_…`, `re_…`, `evt_…`, `req_…`): the platform's id shape
 * (prefix + 26 Crockford base32 characters, time first) made monotonic within the process — ids made
 * in the same millisecond carry an increasing counter — so id order is creation order (events are
 * listed and delivered in the order they were emitted).
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function encode(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

let lastMs = 0;
let counter = 0;

export function sandboxId(prefix: string, nowMs = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else {
    counter += 1;
    if (counter >= 32 ** 4) {
      lastMs += 1;
      counter = 0;
    }
  }
  const bytes = randomBytes(12);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return `${prefix}_${encode(lastMs, 10)}${encode(counter, 4)}${random}`;
}
