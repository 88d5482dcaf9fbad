import type { OrgKind } from '../../../lib/permissions.ts';
import { REQUIRED_LICENCE, type LicenceFacts, type LicenceType } from '../orgs/licences.core.ts';

/**
 * The getting-started checklist under the dashboard's work queue: each step is something the
 * organisation can finish, and the checklist goes away once every step is done. The platform
 * operator has none.
 */
export type OnboardingStep =
  | { key: 'kyb'; done: boolean; href: '/org' }
  | { key: 'licence'; done: boolean; href: '/org/licences'; licence: LicenceType }
  | { key: 'members'; done: boolean; href: '/org/members' }
  | { key: 'apiKey'; done: boolean; href: '/org/api-keys' };

export interface OnboardingFacts {
  kind: OrgKind;
  permissions: Iterable<string>;
  kybStatus: string;
  licences: readonly LicenceFacts[];
  /** Today in China (YYYY-MM-DD): a licence is valid from its first through its expiry date. */
  today: string;
  memberCount: number;
  /** The organisation's API keys; null when the caller may not see them. */
  apiKeyCount: number | null;
}

/** Whether the hospital's systems still need an API key step (only someone who may create keys sees it). */
export function needsApiKeyStep(kind: OrgKind, permissions: Iterable<string>): boolean {
  return kind === 'hospital' && new Set(permissions).has('apikey:manage');
}

export function onboardingSteps(facts: OnboardingFacts): OnboardingStep[] {
  if (facts.kind === 'operator') return [];
  const steps: OnboardingStep[] = [{ key: 'kyb', done: facts.kybStatus === 'approved', href: '/org' }];
  const required = REQUIRED_LICENCE[facts.kind];
  if (required) {
    const valid = facts.licences.some((l) => l.type === required && l.validFrom <= facts.today && l.expiresOn >= facts.today);
    steps.push({ key: 'licence', done: valid, href: '/org/licences', licence: required });
  }
  steps.push({ key: 'members', done: facts.memberCount > 1, href: '/org/members' });
  if (needsApiKeyStep(facts.kind, facts.permissions)) steps.push({ key: 'apiKey', done: (facts.apiKeyCount ?? 0) > 0, href: '/org/api-keys' });
  return steps;
}

/** The checklist shows while any step is left; with every step done (or none at all) it is hidden. */
export function showOnboarding(steps: readonly OnboardingStep[]): boolean {
  return steps.some((s) => !s.done);
}
