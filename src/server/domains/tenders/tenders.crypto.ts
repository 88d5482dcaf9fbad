import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Sealed-bid encryption. Each tender has its own random 256-bit data key, stored wrapped
 * (AES-256-GCM) by the master key; each bid's price and nonce are sealed (AES-256-GCM) under the data
 * key with the bid's identity as additional data, so a sealed value cannot be moved to another bid.
 * Stored form: base64 of iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext.
 *
 * The master key comes from `TENDER_MASTER_KEY` (64 hex characters or base64 of 32 bytes). Without it
 * (embedded and demo mode) it is derived from the auth secret, so no known key is ever used.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function parseMasterKey(value: string): Buffer {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('TENDER_MASTER_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
}

export function deriveMasterKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('bencao.tenders.master-key.v1').digest();
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Throws when the value was tampered with, or sealed under another key or for another identity. */
function unseal(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** A fresh data key for a tender, wrapped by the master key (bound to the tender id). */
export function newWrappedDataKey(masterKey: Buffer, tenderId: string): string {
  return seal(masterKey, randomBytes(32), `tender-key:${tenderId}`);
}

export function unwrapDataKey(masterKey: Buffer, tenderId: string, wrapped: string): Buffer {
  return unseal(masterKey, wrapped, `tender-key:${tenderId}`);
}

export interface BidIdentity {
  tenderId: string;
  lotId: string;
  supplierId: string;
  bidId: string;
}

const bidAad = (b: BidIdentity) => `tender-bid:${b.tenderId}:${b.lotId}:${b.supplierId}:${b.bidId}`;

export function sealBid(dataKey: Buffer, identity: BidIdentity, secret: { fenPerKg: number; nonce: string }): string {
  return seal(dataKey, Buffer.from(JSON.stringify({ fenPerKg: secret.fenPerKg, nonce: secret.nonce }), 'utf8'), bidAad(identity));
}

export function unsealBid(dataKey: Buffer, identity: BidIdentity, sealed: string): { fenPerKg: number; nonce: string } {
  const parsed = JSON.parse(unseal(dataKey, sealed, bidAad(identity)).toString('utf8')) as { fenPerKg?: unknown; nonce?: unknown };
  if (typeof parsed.fenPerKg !== 'number' || !Number.isSafeInteger(parsed.fenPerKg) || typeof parsed.nonce !== 'string') throw new Error('sealed bid has an unexpected shape');
  return { fenPerKg: parsed.fenPerKg, nonce: parsed.nonce };
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}
