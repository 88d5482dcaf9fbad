import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { createJobRegistry, defineJob } from './define.ts';
import { assertTransition, canTransition, computeBackoffMs, formatJobError, payloadError } from './outbox.core.ts';

describe('outbox core', () => {
  it('backs off exponentially from the base, capped', () => {
    expect([1, 2, 3, 4].map((a) => computeBackoffMs(a, 100))).toEqual([100, 200, 400, 800]);
    expect(computeBackoffMs(30, 1_000)).toBe(3_600_000);
    expect(computeBackoffMs(3, 1_000, 2_500)).toBe(2_500);
    expect(computeBackoffMs(5, 0)).toBe(0);
  });

  it('allows only the transitions in the table', () => {
    expect(canTransition('failed', 'pending')).toBe(true);
    expect(canTransition('done', 'pending')).toBe(false);
    expect(canTransition('bogus', 'done')).toBe(false);
    expect(() => assertTransition('evt_x', 'done', 'failed')).toThrow(AppError);
  });

  it('formats errors for last_error', () => {
    expect(formatJobError(new Error('boom'))).toBe('Error: boom');
    expect(formatJobError(new TypeError('bad'))).toBe('TypeError: bad');
    expect(formatJobError('plain')).toBe('plain');
    expect(formatJobError({ code: 1 })).toBe('{"code":1}');
    expect(formatJobError(new Error('x'.repeat(5_000))).length).toBe(2_000);
  });

  it('names the offending field of a payload', () => {
    const schema = z.object({ lines: z.array(z.object({ grams: z.number().int() })) });
    const result = schema.safeParse({ lines: [{ grams: 1.5 }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    const error = payloadError('orders.x', result.error);
    expect(error).toMatchObject({ code: 'VALIDATION', details: { field: 'lines.0.grams', job: 'orders.x' } });
  });

  it('rejects malformed definitions and duplicate registrations', () => {
    const handler = async () => {};
    expect(() => defineJob({ name: 'NoDots', payload: z.object({}), handler })).toThrow(/dotted lower-case/);
    expect(() => defineJob({ name: 'a.b', payload: z.object({}), handler, maxAttempts: 0 })).toThrow(/maxAttempts/);
    const job = defineJob({ name: 'a.b', payload: z.object({}), handler });
    expect(createJobRegistry([job]).get('a.b')).toBe(job);
    expect(() => createJobRegistry([job, job])).toThrow(/registered twice/);
  });
});
