import { getTranslations } from 'next-intl/server';
import { LicenceForm } from '@/components/org/licence-form.tsx';
import { TradingStatus } from '@/components/org/trading-status.tsx';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { serverApi } from '@/server/api/server-caller.ts';
import { chinaToday, REQUIRED_LICENCE } from '@/server/domains/orgs/licences.core.ts';
import type { OrgKind } from '@/lib/permissions.ts';

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export default async function LicencesPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const v = await requireOrgPage(locale, '/org/licences', 'org:read');
  const t = await getTranslations('org.licences');
  const { licences, tradingBlock } = await (await serverApi()).orgs.current();
  const today = chinaToday(new Date());
  const soon = addDays(today, 60);
  const canManage = v.permissions.includes('licence:manage');
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{t('title')}</h1>
      <TradingStatus block={tradingBlock} />
      <Card>
        <CardContent>
          {licences.length === 0 ? (
            <EmptyState title={t('empty')} description={t('emptyHint')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="licences-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('type')}</th>
                  <th className="py-2 font-medium">{t('number')}</th>
                  <th className="py-2 font-medium">{t('scope')}</th>
                  <th className="py-2 font-medium">{t('validFrom')}</th>
                  <th className="py-2 font-medium">{t('expiresOn')}</th>
                  <th className="py-2 font-medium">{t('status')}</th>
                  <th className="py-2 font-medium">{t('document')}</th>
                </tr>
              </thead>
              <tbody>
                {licences.map((l) => {
                  const status = l.expiresOn < today ? 'expired' : l.expiresOn <= soon ? 'expiring' : 'valid';
                  return (
                    <tr key={l.id} className="border-t border-stone-100">
                      <td className="py-2">{t(`types.${l.type as 'gap_base'}`)}</td>
                      <td className="py-2 font-mono">{l.number}</td>
                      <td className="py-2">{l.scope}</td>
                      <td className="py-2">{l.validFrom}</td>
                      <td className="py-2">{l.expiresOn}</td>
                      <td className="py-2">
                        <Badge tone={status === 'valid' ? 'success' : status === 'expiring' ? 'warning' : 'danger'}>{t(status)}</Badge>
                      </td>
                      <td className="py-2">
                        {l.documentId ? (
                          <a className="text-brand-700 hover:underline" href={`/api/uploads/${l.documentId}`} target="_blank" rel="noreferrer">
                            {t('view')}
                          </a>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
      {canManage ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('add')}</CardTitle>
          </CardHeader>
          <CardContent>
            <LicenceForm defaultType={REQUIRED_LICENCE[v.activeOrg.kind as OrgKind] ?? 'gap_base'} />
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
