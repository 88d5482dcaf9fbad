import { getFormatter, getTranslations } from 'next-intl/server';
import { TradingStatus } from '@/components/org/trading-status.tsx';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { serverApi } from '@/server/api/server-caller.ts';
import { regionLabel } from '@/server/domains/orgs/identity.core.ts';

export default async function OrgProfilePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  await requireOrgPage(locale, '/org', 'org:read');
  const t = await getTranslations('org.profile');
  const tc = await getTranslations('common');
  const format = await getFormatter();
  const { profile, tradingBlock, role, permissions } = await (await serverApi()).orgs.current();
  const kybTone = profile.kybStatus === 'approved' ? 'success' : profile.kybStatus === 'rejected' ? 'danger' : 'warning';
  const rows: [string, React.ReactNode][] = [
    [t('kyb'), <Badge key="kyb" tone={kybTone} data-testid="kyb-status">{tc(`kyb.${profile.kybStatus as 'pending'}`)}</Badge>],
    ...(profile.kybNote ? ([[t('kybNote'), profile.kybNote]] as [string, React.ReactNode][]) : []),
    ['USCC', <span key="uscc" className="font-mono">{profile.uscc}</span>],
    [t('region'), `${regionLabel(profile.regionCode) ?? ''}（${profile.regionCode}）`],
    [t('address'), profile.address],
    [t('coords'), `${profile.lat.toFixed(5)}, ${profile.lng.toFixed(5)}`],
    [t('created'), format.dateTime(profile.createdAt, { dateStyle: 'medium', timeStyle: 'short' })],
    [t('yourRole'), role ? tc(`role.${role as 'owner'}`) : 'API'],
  ];
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-xl font-semibold">{profile.name}</h1>
        <Badge tone="info">{tc(`kind.${profile.kind as 'pharmacy'}`)}</Badge>
      </div>
      <TradingStatus block={tradingBlock} />
      <Card>
        <CardHeader>
          <CardTitle>{t('title')}</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[10rem_1fr]">
            {rows.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-sm text-stone-500">{label}</dt>
                <dd className="text-sm">{value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('permissions')}</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-2" data-testid="permissions">
          {permissions.map((p) => (
            <Badge key={p} className="font-mono">
              {p}
            </Badge>
          ))}
        </CardContent>
      </Card>
    </div>
  );
}
