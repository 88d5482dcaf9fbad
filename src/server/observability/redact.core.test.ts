import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redactText, redactValue } from './redact.core.ts';

describe('redaction of secrets in log records', () => {
  it('recognises secret-named keys, whatever their case and separators', () => {
    for (const key of ['authorization', 'Authorization', 'cookie', 'set-cookie', 'password', 'newPassword', 'token', 'sessionToken', 'x-api-key', 'apiKey', 'STRIPE_SECRET_KEY', 'webhookSecret', 'client_secret', 'stripe-signature', 'cardNumber', 'cvc', 'pan', 'DATABASE_URL', 'redisUrl', 'MEILI_KEY', 'privateKey']) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['requestId', 'orgId', 'job', 'company', 'status', 'path', 'idempotencyKey', 'durationMs', 'carrier']) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('replaces secret-named fields at any depth, in arrays, Headers and Maps', () => {
    const out = redactValue({
      user: { id: 'usr_1', password: 'correct-horse-42' },
      req: { headers: { authorization: 'Bearer key_abc', cookie: 'better-auth.session_token=xyz', 'content-type': 'application/json' } },
      list: [{ token: 't1' }, { name: 'ok' }],
      headers: new Headers({ 'x-api-key': 'bk_123456', accept: 'text/html' }),
      map: new Map([['webhookSecret', 'whsec_x']]),
      card: { number: '4242 4242 4242 4242', cvc: '123' },
    });
    expect(out).toEqual({
      user: { id: 'usr_1', password: REDACTED },
      req: { headers: { authorization: REDACTED, cookie: REDACTED, 'content-type': 'application/json' } },
      list: [{ token: REDACTED }, { name: 'ok' }],
      headers: { 'x-api-key': REDACTED, accept: 'text/html' },
      map: { webhookSecret: REDACTED },
      card: REDACTED,
    });
  });

  it('masks secrets inside strings: URL passwords, bearer tokens, provider keys, card numbers', () => {
    expect(redactText('connect to postgres://bencao:s3cr3t-pw@db.internal:5432/bencao failed')).toBe(`connect to postgres://bencao:${REDACTED}@db.internal:5432/bencao failed`);
    expect(redactText('redis://:hunter2hunter2@cache:6379')).toBe(`redis://:${REDACTED}@cache:6379`);
    expect(redactText('sent Authorization: Bearer bk_live_0123456789abcdef')).toBe(`sent Authorization: Bearer ${REDACTED}`);
    expect(redactText('key sk_live_51HqLyjWDarjtT1zdp7dc and whsec_abcdefghijklmnop')).toBe(`key sk_${REDACTED} and whsec_${REDACTED}`);
    expect(redactText('card 4242-4242-4242-4242 declined')).toBe(`card ${REDACTED} declined`);
    // Digits that fail the Luhn check (an order number, a phone number) stay.
    expect(redactText('order 4242424242424241 for 13800138000')).toBe('order 4242424242424241 for 13800138000');
    expect(redactText('postgres://localhost/bencao')).toBe('postgres://localhost/bencao');
  });

  it('turns errors into records (type, message, own fields, cause) with their secrets masked', () => {
    const cause = new Error('password authentication failed for postgres://app:pw12345678@db/app');
    const error = Object.assign(new Error('query failed', { cause }), { code: '28P01', details: { apiKey: 'k' } });
    const out = redactValue({ err: error }) as { err: Record<string, unknown> };
    expect(out.err).toMatchObject({ type: 'Error', message: 'query failed', code: '28P01', details: { apiKey: REDACTED } });
    expect(out.err.cause).toMatchObject({ message: `password authentication failed for postgres://app:${REDACTED}@db/app` });
    expect(typeof out.err.stack).toBe('string');
  });

  it('survives cycles and very deep values', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactValue(a)).toEqual({ name: 'a', self: '[circular]' });
    let deep: Record<string, unknown> = { password: 'x' };
    for (let i = 0; i < 20; i += 1) deep = { next: deep };
    expect(JSON.stringify(redactValue(deep))).toContain('[nested too deep]');
  });
});
