/**
 * Redaction of secrets in log records, pure. Two rules, applied at any depth:
 * - by key: a property whose name says it holds a secret (password, token, authorization, cookie,
 *   api/secret keys, signatures, card data, connection strings) is replaced whole;
 * - by value: inside any string, credentials in URLs (`postgres://user:PASSWORD@host`), bearer
 *   tokens, Stripe-style secret keys and webhook secrets, and card numbers (13–19 digits passing the
 *   Luhn check) are masked, so a secret pasted into an error message does not leak either.
 */
export const REDACTED = '[redacted]';

/** Key names (lower-cased, only letters and digits kept) that contain one of these are secrets. */
const SECRET_KEY_PARTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'authorization',
  'cookie',
  'apikey',
  'privatekey',
  'accesskey',
  'signingkey',
  'credential',
  'signature',
  'cardnumber',
  'cvc',
  'cvv',
  'databaseurl',
  'redisurl',
  'meilikey',
  'connectionstring',
];
/** Key names that are secrets only as a whole word (they are common inside harmless names). */
const SECRET_KEYS_EXACT = new Set(['pan', 'card', 'pin', 'otp', 'dsn']);

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEYS_EXACT.has(k) || SECRET_KEY_PARTS.some((part) => k.includes(part));
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s/]+@/gi;
const BEARER = /\b(bearer|basic)\s+[a-z0-9._~+/=-]{6,}/gi;
const PROVIDER_SECRET = /\b(sk|rk|whsec|whc)_[a-z0-9_]{8,}/gi;
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** `text` with credentials, bearer tokens, provider secrets and card numbers masked. */
export function redactText(text: string): string {
  if (text.length < 8) return text;
  return text
    .replace(URL_CREDENTIALS, `$1:${REDACTED}@`)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(PROVIDER_SECRET, `$1_${REDACTED}`)
    .replace(CARD_CANDIDATE, (match) => {
      const digits = match.replace(/[ -]/g, '');
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? REDACTED : match;
    });
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` safe to log: secret-named properties replaced, strings masked (see the file
 * comment). Errors become plain records (type, message, own fields, stack, cause); Headers and Maps their
 * entries; cycles and anything deeper than 8 levels a marker. Other values pass unchanged.
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactValue(errorRecord(value), depth, seen);
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
    if (value instanceof Headers || value instanceof Map) return redactEntries(value.entries(), depth, seen);
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    return redactEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactEntries(entries: Iterable<[unknown, unknown]>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const name = String(key);
    out[name] = isSecretKey(name) ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return out;
}

function errorRecord(error: Error): Record<string, unknown> {
  const { cause } = error as Error & { cause?: unknown };
  return {
    type: error.name,
    message: error.message,
    // Own fields such as `code` and an AppError's `details`.
    ...Object.fromEntries(Object.entries(error)),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}
