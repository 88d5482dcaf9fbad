import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORG_KINDS, permissionsFor, type OrgKind, type Role } from '../../../lib/permissions.ts';
import { onboardingSteps, showOnboarding, type OnboardingFacts } from './onboarding.core.ts';

const TODAY = '2026-03-10';
const valid = (type: string) => ({ type, validFrom: '2024-01-01', expiresOn: '2030-12-31' });
const facts = (kind: OrgKind, roles: Role[], over: Partial<OnboardingFacts> = {}): OnboardingFacts => ({
  kind,
  permissions: permissionsFor(roles, kind),
  kybStatus: 'approved',
  licences: [valid('medical_institution'), valid('drug_distribution'), valid('drug_manufacturing')],
  today: TODAY,
  memberCount: 3,
  apiKeyCount: 1,
  ...over,
});
const summary = (f: OnboardingFacts) => onboardingSteps(f).map((s) => `${s.key}:${s.done ? 'done' : 'todo'}`);

describe('onboarding checklist', () => {
  it('a new hospital: every step to do, the API key step only for whoever may create keys', () => {
    const fresh = { kybStatus: 'pending', licences: [], memberCount: 1, apiKeyCount: 0 };
    expect(summary(facts('hospital', ['owner'], fresh))).toEqual(['kyb:todo', 'licence:todo', 'members:todo', 'apiKey:todo']);
    expect(summary(facts('hospital', ['physician'], { ...fresh, apiKeyCount: null }))).toEqual(['kyb:todo', 'licence:todo', 'members:todo']);
    expect(showOnboarding(onboardingSteps(facts('hospital', ['owner'], fresh)))).toBe(true);
  });

  it('names the licence the kind needs, and counts it only while valid today', () => {
    const steps = onboardingSteps(facts('pharmacy', ['owner'], { licences: [{ type: 'drug_distribution', validFrom: '2020-01-01', expiresOn: '2026-03-09' }] }));
    expect(steps.find((s) => s.key === 'licence')).toEqual({ key: 'licence', done: false, href: '/org/licences', licence: 'drug_distribution' });
    const lastDay = onboardingSteps(facts('pharmacy', ['owner'], { licences: [{ type: 'drug_distribution', validFrom: '2020-01-01', expiresOn: TODAY }] }));
    expect(lastDay.find((s) => s.key === 'licence')?.done).toBe(true);
    const notYet = onboardingSteps(facts('pharmacy', ['owner'], { licences: [{ type: 'drug_distribution', validFrom: '2026-03-11', expiresOn: '2030-01-01' }] }));
    expect(notYet.find((s) => s.key === 'licence')?.done).toBe(false);
    // Growers and alliances need no licence.
    expect(onboardingSteps(facts('grower', ['owner'])).map((s) => s.key)).toEqual(['kyb', 'members']);
  });

  it('is hidden once every step is done, and the operator has none', () => {
    expect(showOnboarding(onboardingSteps(facts('hospital', ['owner'])))).toBe(false);
    expect(onboardingSteps(facts('operator', ['operator_admin']))).toEqual([]);
    expect(showOnboarding([])).toBe(false);
  });

  it('shows exactly while some step is left (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ORG_KINDS),
        fc.subarray(['owner', 'buyer', 'sales', 'pharmacist', 'physician'] as Role[]),
        fc.constantFrom('pending', 'approved', 'rejected'),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 }),
        (kind, roles, kybStatus, licensed, memberCount, apiKeyCount) => {
          const steps = onboardingSteps(facts(kind, roles, { kybStatus, licences: licensed ? facts(kind, roles).licences : [], memberCount, apiKeyCount }));
          expect(new Set(steps.map((s) => s.key)).size).toBe(steps.length);
          expect(showOnboarding(steps)).toBe(steps.some((s) => !s.done));
          const allDone = kind !== 'operator' && kybStatus === 'approved' && (licensed || kind === 'grower' || kind === 'alliance') && memberCount > 1 && (apiKeyCount > 0 || !steps.some((s) => s.key === 'apiKey'));
          if (kind !== 'operator') expect(showOnboarding(steps)).toBe(!allDone);
        },
      ),
    );
  });
});
