import { getTranslations } from 'next-intl/server';
import { TradingStatus } from '@/components/org/trading-status.tsx';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';
import type { OrgKind } from '@/lib/permissions.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { needsApiKeyStep, onboardingSteps, showOnboarding, type OnboardingStep } from '@/server/domains/dashboard/onboarding.core.ts';
import { chinaToday } from '@/server/domains/orgs/licences.core.ts';
import { WorkQueueSection } from './work-queue-section.tsx';

export default async function DashboardPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const v = await requireOrgPage(locale, '/dashboard');
  const t = await getTranslations('dashboard');
  const tl = await getTranslations('org.licences.types');
  const tc = await getTranslations('common');
  const api = await serverApi();
  const kind = v.activeOrg.kind as OrgKind;
  const [current, members, work] = await Promise.all([api.orgs.current(), api.orgs.members(), api.dashboard.workQueue()]);
  const apiKeyCount = needsApiKeyStep(kind, v.permissions) ? (await api.orgs.apiKeys()).length : null;
  const steps = onboardingSteps({
    kind,
    permissions: v.permissions,
    kybStatus: current.profile.kybStatus,
    licences: current.licences,
    today: chinaToday(new Date()),
    memberCount: members.members.length,
    apiKeyCount,
  });
  const stepLabel = (s: OnboardingStep) => (s.key === 'licence' ? t('steps.licence', { licence: tl(s.licence) }) : t(`steps.${s.key}`));
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-stone-500">{t('welcome', { name: v.user.name })}</p>
        <h1 className="text-2xl font-semibold [overflow-wrap:anywhere]" data-testid="dashboard-title">
          {t('title', { org: v.activeOrg.name })}
        </h1>
        <p className="mt-1 text-sm text-stone-600">
          <Badge tone="info" className="mr-2">
            {tc(`kind.${kind}`)}
          </Badge>
          {v.activeOrg.role ? <Badge className="mr-2">{tc(`role.${v.activeOrg.role as 'owner'}`)}</Badge> : null}
          {t(`kindIntro.${kind}`)}
        </p>
      </div>
      <WorkQueueSection items={work.items} />
      {kind !== 'operator' ? <TradingStatus block={current.tradingBlock} /> : null}
      {showOnboarding(steps) ? (
        <Card data-testid="onboarding-checklist">
          <CardHeader>
            <CardTitle>{t('nextSteps')}</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            <ul className="space-y-2">
              {steps.map((s) => (
                <li key={s.key} className="flex items-center gap-3" data-testid="onboarding-step" data-step={s.key} data-done={s.done}>
                  <Badge tone={s.done ? 'success' : 'neutral'} className="shrink-0">
                    {s.done ? t('done') : t('todo')}
                  </Badge>
                  <Link href={s.href} className="min-w-0 text-sm hover:underline [overflow-wrap:anywhere]">
                    {stepLabel(s)}
                  </Link>
                </li>
              ))}
            </ul>
            <Link href="/herbs" className="inline-block text-sm text-brand-700 hover:underline">
              {t('steps.herbs')}
            </Link>
          </CardContent>
        </Card>
      ) : null}
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-3">
        <Card>
          <CardContent>
            <p className="text-sm text-stone-500">{t('stats.members')}</p>
            <p className="text-2xl font-semibold">{members.members.length}</p>
          </CardContent>
        </Card>
        <Card>
          <CardContent>
            <p className="text-sm text-stone-500">{t('stats.licences')}</p>
            <p className="text-2xl font-semibold">{current.licences.length}</p>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
