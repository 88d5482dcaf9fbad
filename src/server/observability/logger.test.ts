import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { REDACTED } from './redact.core.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

describe('logger', () => {
  it('writes one JSON object per line with level label, ISO time and message', () => {
    const { lines, destination } = capture();
    createLogger({ destination }).info({ orderId: 'ord_1' }, 'order paid');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'order paid', orderId: 'ord_1' });
    expect(new Date(String(lines[0]!.time)).toISOString()).toBe(lines[0]!.time);
  });

  it('never writes secrets: fields, child bindings, messages and errors are redacted', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination }).child({ requestId: 'req-1', token: 'session-token-value' });
    log.warn({ headers: { authorization: 'Bearer abcdefghijkl', cookie: 'sid=1' }, password: 'pw', body: { card: { cvc: '123' } } }, 'login from postgres://u:topsecret@db/x');
    log.error(new Error('Stripe said: Invalid API Key provided: sk_live_abcdefghijklmnop'));
    log.error({ err: new Error('DATABASE_URL=postgres://app:pw-secret@db/app unreachable') });
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    for (const secret of ['abcdefghijkl', 'sid=1', '"pw"', '123', 'topsecret', 'sk_live_abcdefghijklmnop', 'pw-secret', 'session-token-value']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ requestId: 'req-1', token: REDACTED, password: REDACTED, headers: { authorization: REDACTED, cookie: REDACTED } });
    expect(lines[0]!.msg).toBe(`login from postgres://u:${REDACTED}@db/x`);
    expect(lines[1]!.msg).toBe(`Stripe said: Invalid API Key provided: sk_${REDACTED}`);
    expect(lines[1]!.err).toMatchObject({ type: 'Error' });
    expect(lines[2]!.msg).toBe(`DATABASE_URL=postgres://app:${REDACTED}@db/app unreachable`);
  });

  it('filters by level', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'warn', destination });
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });
});
