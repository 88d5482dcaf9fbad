import type { z } from 'zod';
import { describeInputProblem, findInputProblem } from '../../../lib/input-guard.core.ts';
import { msg } from '../../../lib/messages.ts';
import type { CarrierAdapter, CarrierCode, CarrierVerification, NormalizedCarrierEvent, WebhookError } from './carriers.port.ts';
import { digestsEqual, hmacSha256, timestampCheck } from './signature.core.ts';

/**
 * What differs between carriers' push APIs: header names, timestamp unit, digest encoding, the
 * body's shape and how it maps to normalised events. Everything else (the order of checks, the
 * error answers) is the same for all, here.
 */
export interface HmacAdapterSpec<S extends z.ZodType> {
  code: CarrierCode;
  name: string;
  signatureHeader: string;
  timestampHeader: string;
  timestampUnit: 's' | 'ms';
  encoding: 'hex' | 'base64';
  /** Text before the digest in the header (`v1=`), if any. */
  signaturePrefix?: string;
  simulated?: boolean;
  trackingPattern: RegExp;
  body: S;
  normalize(body: z.output<S>): NormalizedCarrierEvent[];
}

export interface HmacAdapterOptions {
  secret: string;
  /** Replay window either side of now (default 300 s). */
  toleranceSeconds?: number;
}

const fail = (status: WebhookError['status'], code: WebhookError['code'], message: string, field: string | null): CarrierVerification => ({ ok: false, error: { status, code, message, field } });

const DIGEST = { hex: /^[0-9a-f]{64}$/i, base64: /^[A-Za-z0-9+/]{43}=$/ } as const;

export function createHmacAdapter<S extends z.ZodType>(spec: HmacAdapterSpec<S>, options: HmacAdapterOptions): CarrierAdapter {
  const tolerance = options.toleranceSeconds ?? 300;
  const prefix = spec.signaturePrefix ?? '';
  const timestampPattern = spec.timestampUnit === 's' ? /^[0-9]{1,12}$/ : /^[0-9]{1,15}$/;
  return {
    code: spec.code,
    name: spec.name,
    signatureHeader: spec.signatureHeader,
    timestampHeader: spec.timestampHeader,
    simulated: spec.simulated ?? false,
    validTrackingNumber: (n) => spec.trackingPattern.test(n),
    sign(rawBody, at) {
      const ts = String(spec.timestampUnit === 's' ? Math.floor(at.getTime() / 1000) : at.getTime());
      const digest = hmacSha256(options.secret, ts, rawBody).toString(spec.encoding);
      return { [spec.timestampHeader]: ts, [spec.signatureHeader]: `${prefix}${digest}`, 'content-type': 'application/json' };
    },
    verify(rawBody, headers, now) {
      const signature = headers.get(spec.signatureHeader)?.trim() ?? '';
      const timestamp = headers.get(spec.timestampHeader)?.trim() ?? '';
      if (!signature) return fail(401, 'missing_signature', msg('webhook.missingSignature', { header: spec.signatureHeader }), spec.signatureHeader);
      if (!timestamp) return fail(401, 'missing_signature', msg('webhook.missingSignature', { header: spec.timestampHeader }), spec.timestampHeader);
      if (!timestampPattern.test(timestamp)) return fail(401, 'malformed_signature', msg('webhook.malformedSignature', { header: spec.timestampHeader }), spec.timestampHeader);
      const digestText = signature.startsWith(prefix) ? signature.slice(prefix.length) : '';
      if (!DIGEST[spec.encoding].test(digestText)) return fail(401, 'malformed_signature', msg('webhook.malformedSignature', { header: spec.signatureHeader }), spec.signatureHeader);
      const signedAtMs = spec.timestampUnit === 's' ? Number(timestamp) * 1000 : Number(timestamp);
      if (timestampCheck(signedAtMs, now.getTime(), tolerance) !== 'ok') return fail(401, 'stale_timestamp', msg('webhook.staleTimestamp', { seconds: tolerance }), spec.timestampHeader);
      const expected = hmacSha256(options.secret, timestamp, rawBody);
      if (!digestsEqual(Buffer.from(digestText, spec.encoding), expected)) return fail(401, 'bad_signature', msg('webhook.badSignature'), spec.signatureHeader);

      // Signed by the carrier: now the body may be read.
      let json: unknown;
      try {
        json = JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
      } catch {
        return fail(400, 'malformed_body', msg('webhook.malformedBody', { problem: 'not JSON' }), 'body');
      }
      // Text PostgreSQL cannot store, or a hostile nesting, is a bad body (not a failed delivery to retry).
      const problem = findInputProblem(json);
      if (problem) return fail(400, 'malformed_body', msg('webhook.malformedBody', { problem: describeInputProblem(problem) }), problem.field);
      const parsed = spec.body.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
        return fail(400, 'malformed_body', msg('webhook.malformedBody', { problem: `${field}: ${issue?.message ?? 'invalid'}` }), field);
      }
      return { ok: true, signature, signedAt: new Date(signedAtMs), events: spec.normalize(parsed.data) };
    },
  };
}
