import type { CarrierEventType, ExceptionReason } from '../../domains/delivery/shipments.core.ts';

/**
 * The carrier port: one adapter per carrier turns a signed webhook delivery into normalised events.
 * Verification is pure (no I/O): the signature (HMAC-SHA256 with the carrier's secret over
 * `<timestamp>.<raw body>`), the timestamp against the replay window, then the body's shape. The
 * webhook handler (`webhook.ts`) does the rest: replay check, ingestion, answer.
 */
export const CARRIER_CODES = ['sf', 'jd', 'sim'] as const;
export type CarrierCode = (typeof CARRIER_CODES)[number];

export function isCarrierCode(value: string): value is CarrierCode {
  return (CARRIER_CODES as readonly string[]).includes(value);
}

export interface TemperatureReading {
  at: Date;
  celsius: number;
}

export interface ProofOfDelivery {
  signer: string | null;
  photoRef: string | null;
  /** signature | code | id_card */
  check: 'signature' | 'code' | 'id_card' | null;
  /** The code the recipient gave (prescriptions). */
  recipientCode: string | null;
}

/** One carrier event in the platform's words. */
export interface NormalizedCarrierEvent {
  carrierEventId: string;
  trackingNumber: string;
  /** Where the tracking number sits in the body (`WaybillRoute.0.mailno`), for a precise 404. */
  trackingField: string;
  type: CarrierEventType;
  /** The carrier's own code (SF opCode, JD operateType). */
  carrierCode: string | null;
  eventAt: Date;
  location: string | null;
  description: string | null;
  exceptionReason: ExceptionReason | null;
  pod: ProofOfDelivery | null;
  temperatures: TemperatureReading[];
  eta: Date | null;
  /** The event as the carrier sent it. */
  raw: unknown;
}

export type WebhookErrorCode =
  | 'unknown_carrier'
  | 'missing_signature'
  | 'malformed_signature'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'replayed'
  | 'malformed_body'
  | 'unknown_tracking_number'
  | 'processing_failed';

export interface WebhookError {
  status: 400 | 401 | 404 | 500;
  code: WebhookErrorCode;
  /** A `msg(...)` key-encoded message, translated at the edge. */
  message: string;
  /** The header or body path at fault. */
  field: string | null;
}

export type CarrierVerification =
  | { ok: true; signature: string; signedAt: Date; events: NormalizedCarrierEvent[] }
  | { ok: false; error: WebhookError };

export interface CarrierAdapter {
  readonly code: CarrierCode;
  /** 顺丰速运, 京东物流, 模拟承运商 */
  readonly name: string;
  readonly signatureHeader: string;
  readonly timestampHeader: string;
  /** Played by the platform (the simulator drives it with delayed jobs). */
  readonly simulated: boolean;
  /** Verifies a delivery and parses it. Never throws for bad input. */
  verify(rawBody: string | Uint8Array, headers: Headers, now: Date): CarrierVerification;
  /** Signs a body as the carrier would (the simulator, tests): the headers to send with it. */
  sign(rawBody: string, at: Date): Record<string, string>;
  /** Whether a tracking number has this carrier's format. */
  validTrackingNumber(trackingNumber: string): boolean;
}
