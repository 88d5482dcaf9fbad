import { getTranslations } from 'next-intl/server';
import { TradingStatus } from '@/components/org/trading-status.tsx';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';
import type { OrgKind } from '@/lib/permissions.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { chinaToday, REQUIRED_LICENCE } from '@/server/domains/orgs/licences.core.ts';

export default async function DashboardPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const v = await requireOrgPage(locale, '/dashboard');
  const t = await getTranslations('dashboard');
  const tl = await getTranslations('org.licences.types');
  const tc = await getTranslations('common');
  const api = await serverApi();
  const kind = v.activeOrg.kind as OrgKind;
  const current = await api.orgs.current();
  const members = await api.orgs.members();
  const isOperator = v.permissions.includes('kyb:review');
  const pendingKyb = isOperator ? (await api.operator.kybQueue({ status: 'pending' })).length : null;
  const required = REQUIRED_LICENCE[kind];
  const today = chinaToday(new Date());
  const steps = [
    { key: 'kyb', done: current.profile.kybStatus === 'approved', href: '/org', label: t('steps.kyb') },
    ...(required ? [{ key: 'licence', done: current.licences.some((l) => l.type === required && l.validFrom <= today && l.expiresOn >= today), href: '/org/licences', label: t('steps.licence', { licence: tl(required) }) }] : []),
    { key: 'members', done: members.members.length > 1, href: '/org/members', label: t('steps.members') },
    ...(v.permissions.includes('apikey:manage') && kind === 'hospital' ? [{ key: 'apiKey', done: false, href: '/org/api-keys', label: t('steps.apiKey') }] : []),
    { key: 'herbs', done: false, href: '/herbs', label: t('steps.herbs') },
  ];
  return (
    <div className="space-y-5">
      <div>
        <p className="text-sm text-stone-500">{t('welcome', { name: v.user.name })}</p>
        <h1 className="text-2xl font-semibold" data-testid="dashboard-title">
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
      {kind !== 'operator' ? <TradingStatus block={current.tradingBlock} /> : null}
      <div className="grid gap-4 sm:grid-cols-3">
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
        {pendingKyb !== null ? (
          <Card>
            <CardContent>
              <p className="text-sm text-stone-500">{t('stats.pendingKyb')}</p>
              <Link href="/operator/kyb" className="text-2xl font-semibold text-brand-700 hover:underline" data-testid="pending-kyb-count">
                {pendingKyb}
              </Link>
            </CardContent>
          </Card>
        ) : null}
      </div>
      {kind !== 'operator' ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('nextSteps')}</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="space-y-2">
              {steps.map((s) => (
                <li key={s.key} className="flex items-center gap-3">
                  <Badge tone={s.done ? 'success' : 'neutral'}>{s.done ? t('done') : t('todo')}</Badge>
                  <Link href={s.href} className="text-sm hover:underline">
                    {s.label}
                  </Link>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
