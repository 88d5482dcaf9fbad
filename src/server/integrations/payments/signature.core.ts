import { createHmac } from 'node:crypto';

/**
 * Stripe's webhook signature scheme, pure:
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=…]`.
 * Several `v1` entries are allowed (secret rotation); unknown schemes (`v0`) are ignored.
 * Verification itself is done with the SDK (`stripe.webhooks.constructEvent`); this module parses the
 * header precisely (so a malformed one is named as such) and signs deliveries for the sandbox.
 */
export interface ParsedSignatureHeader {
  timestamp: number;
  signatures: string[];
}

export type SignatureHeaderParse =
  | { ok: true; header: ParsedSignatureHeader }
  | { ok: false; code: 'missing_signature' | 'malformed_signature'; message: string };

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^[0-9]{1,12}$/;

export function parseSignatureHeader(value: string | null | undefined): SignatureHeaderParse {
  if (value === null || value === undefined || value.trim() === '') {
    return { ok: false, code: 'missing_signature', message: 'No Stripe-Signature header' };
  }
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, code: 'malformed_signature', message: `Stripe-Signature element "${part.trim()}" is not key=value` };
    const key = part.slice(0, eq).trim();
    const item = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null) return { ok: false, code: 'malformed_signature', message: 'Stripe-Signature has more than one t=' };
      if (!UNIX_SECONDS.test(item)) return { ok: false, code: 'malformed_signature', message: 'Stripe-Signature t= is not a unix timestamp' };
      timestamp = Number(item);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(item)) return { ok: false, code: 'malformed_signature', message: 'Stripe-Signature v1= is not a hex SHA-256 HMAC' };
      signatures.push(item);
    }
  }
  if (timestamp === null) return { ok: false, code: 'malformed_signature', message: 'Stripe-Signature has no t=' };
  if (signatures.length === 0) return { ok: false, code: 'malformed_signature', message: 'Stripe-Signature has no v1= signature' };
  return { ok: true, header: { timestamp, signatures } };
}

/**
 * Where a signature timestamp stands against `nowSeconds`: older than `toleranceSeconds` is stale (a
 * replayed capture), more than `toleranceSeconds` ahead is from the future (a clock or a forgery).
 */
export function timestampCheck(timestamp: number, nowSeconds: number, toleranceSeconds: number): 'ok' | 'stale' | 'future' {
  if (nowSeconds - timestamp > toleranceSeconds) return 'stale';
  if (timestamp - nowSeconds > toleranceSeconds) return 'future';
  return 'ok';
}

export function computeSignature(secret: string, timestamp: number, payload: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
}

/** The `Stripe-Signature` header value for `payload` signed at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, payload: string): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, payload)}`;
}
