import { describe, expect, it } from 'vitest';
import { isId } from '../../../../lib/ids.ts';
import { sandboxId } from './ids.ts';

describe('sandbox ids', () => {
  it('have the platform id shape and sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 2_000 }, () => sandboxId('evt', 1_767_225_600_000));
    for (const id of ids) expect(isId(id)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    const later = sandboxId('evt', 1_767_225_600_001);
    expect(later > ids[ids.length - 1]!).toBe(true);
    // a clock step backwards does not break the order
    expect(sandboxId('evt', 1_767_225_599_000) > later).toBe(true);
  });
});
