import { describe, expect, it } from 'vitest';
import { demoClockAllowed, MAX_DEMO_OFFSET_MS, planClockMove } from './demo-clock.core.ts';

describe('demo tender clock policy', () => {
  it('is allowed only in the embedded demo: demo mode, no external database, no Redis', () => {
    expect(demoClockAllowed({ BENCAO_DEMO: '1' })).toBe(true);
    expect(demoClockAllowed({ BENCAO_DEMO: '0' })).toBe(false);
    expect(demoClockAllowed({ BENCAO_DEMO: '1', DATABASE_URL: 'postgres://db/bencao' })).toBe(false);
    expect(demoClockAllowed({ BENCAO_DEMO: '1', REDIS_URL: 'redis://redis:6379' })).toBe(false);
  });

  it('moves forward only, and not too far ahead of the system clock', () => {
    const system = new Date('2031-03-01T00:00:00Z');
    const current = new Date('2031-03-02T00:00:00Z');
    expect(planClockMove(current, new Date('2031-03-03T00:00:00Z'), system)).toEqual({ offsetMs: 2 * 86_400_000 });
    expect(planClockMove(current, current, system)).toEqual({ refused: 'not_forward' });
    expect(planClockMove(current, new Date('2031-03-01T12:00:00Z'), system)).toEqual({ refused: 'not_forward' });
    expect(planClockMove(current, new Date('nonsense'), system)).toEqual({ refused: 'not_forward' });
    expect(planClockMove(current, new Date(system.getTime() + MAX_DEMO_OFFSET_MS + 1), system)).toEqual({ refused: 'too_far' });
    expect(planClockMove(current, new Date(system.getTime() + MAX_DEMO_OFFSET_MS), system)).toEqual({ offsetMs: MAX_DEMO_OFFSET_MS });
  });
});
