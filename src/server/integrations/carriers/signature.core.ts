import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 webhook signatures, pure. Every carrier signs `<timestamp>.<raw body>` with its own
 * secret (so the timestamp cannot be changed without breaking the signature); the adapters differ in
 * header names, timestamp unit and digest encoding, as the carriers' push APIs do.
 */
export function hmacSha256(secret: string, timestamp: string, rawBody: string | Uint8Array): Buffer {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`, 'utf8');
  mac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return mac.digest();
}

/** Constant-time comparison of a received digest (already decoded) with the expected one. */
export function digestsEqual(received: Buffer, expected: Buffer): boolean {
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/**
 * Where a signature timestamp stands against now: older than the window is stale (a captured
 * request replayed later), further ahead than the window is a clock problem or a forgery.
 */
export function timestampCheck(signedAtMs: number, nowMs: number, toleranceSeconds: number): 'ok' | 'stale' | 'future' {
  if (nowMs - signedAtMs > toleranceSeconds * 1000) return 'stale';
  if (signedAtMs - nowMs > toleranceSeconds * 1000) return 'future';
  return 'ok';
}

/** Hex SHA-256 of a signature header value: the replay key stored per accepted delivery. */
export function signatureHash(signature: string): string {
  return createHash('sha256').update(signature, 'utf8').digest('hex');
}
