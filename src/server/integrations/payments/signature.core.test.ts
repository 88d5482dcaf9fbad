import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { computeSignature, parseSignatureHeader, signatureHeader, timestampCheck } from './signature.core.ts';

const secret = 'whsec_test_secret_for_unit_tests_0123456789';

describe('Stripe-Signature header', () => {
  it('signs exactly as the official SDK does', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', note: '黄芪' });
    const expected = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: 1_767_225_600 });
    expect(signatureHeader(secret, 1_767_225_600, payload)).toBe(expected);
  });

  it('the SDK verifies what we sign, for any payload', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (text) => {
        const payload = JSON.stringify({ id: 'evt_x', object: 'event', text });
        const t = Math.floor(Date.now() / 1000);
        expect(Stripe.webhooks.signature!.verifyHeader(payload, signatureHeader(secret, t, payload), secret)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('parses t and every v1, ignores other schemes', () => {
    const v1a = computeSignature(secret, 100, 'a');
    const v1b = computeSignature('whsec_other', 100, 'a');
    expect(parseSignatureHeader(`t=100,v1=${v1a},v0=abc,v1=${v1b}`)).toEqual({ ok: true, header: { timestamp: 100, signatures: [v1a, v1b] } });
    expect(parseSignatureHeader(` t=100 , v1=${v1a} `)).toEqual({ ok: true, header: { timestamp: 100, signatures: [v1a] } });
  });

  it.each([
    [null, 'missing_signature'],
    ['', 'missing_signature'],
    ['   ', 'missing_signature'],
    ['garbage', 'malformed_signature'],
    ['t=abc,v1=' + 'a'.repeat(64), 'malformed_signature'],
    ['v1=' + 'a'.repeat(64), 'malformed_signature'],
    ['t=100', 'malformed_signature'],
    ['t=100,v1=xyz', 'malformed_signature'],
    ['t=100,t=101,v1=' + 'a'.repeat(64), 'malformed_signature'],
    ['t=100,v0=' + 'a'.repeat(64), 'malformed_signature'],
  ])('refuses %j as %s', (header, code) => {
    const parsed = parseSignatureHeader(header);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.code).toBe(code);
  });

  it('timestamps: within tolerance either side, stale beyond, future beyond', () => {
    expect(timestampCheck(1_000, 1_000, 300)).toBe('ok');
    expect(timestampCheck(700, 1_000, 300)).toBe('ok');
    expect(timestampCheck(699, 1_000, 300)).toBe('stale');
    expect(timestampCheck(1_300, 1_000, 300)).toBe('ok');
    expect(timestampCheck(1_301, 1_000, 300)).toBe('future');
  });
});
