import { describe, expect, it } from 'vitest';
import { visibleNav } from './navigation.core.ts';
import { permissionsFor } from './permissions.ts';

const keys = (roles: string[], kind: 'hospital' | 'pharmacy' | null) => visibleNav([...permissionsFor(roles, kind ?? undefined)], kind).map((i) => i.key);

describe('visibleNav', () => {
  it('shows a hospital pharmacist the prescriptions and their review, not the pharmacy workbench', () => {
    const nav = keys(['pharmacist'], 'hospital');
    expect(nav).toEqual(expect.arrayContaining(['prescriptions', 'rxReview']));
    expect(nav).not.toContain('pharmacy');
  });

  it('shows a pharmacy’s pharmacist the workbench, not the hospital’s prescription list or review', () => {
    const nav = keys(['pharmacist'], 'pharmacy');
    expect(nav).toContain('pharmacy');
    expect(nav).not.toContain('prescriptions');
    expect(nav).not.toContain('rxReview');
  });

  it('shows only what needs no organisation to someone without one', () => {
    expect(keys(['owner'], null)).toEqual(['herbs', 'help']);
  });
});
