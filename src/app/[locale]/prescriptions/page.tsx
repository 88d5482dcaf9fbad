import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { FilterSelect, FilterSubmit } from '@/components/ui/filter-bar.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link, redirect } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { isRxStatus, RX_STATUSES } from '@/server/domains/prescriptions/prescriptions.core.ts';
import { shanghai, statusTone } from './format.ts';

/** The hospital's prescriptions, newest first, with status and the pharmacy that took each. */
export default async function PrescriptionsPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale } = await params;
  const query = await searchParams;
  const v = await requireOrgPage(locale, '/prescriptions', 'rx:read');
  // This list is a hospital's (the prescriptions it issued); a pharmacy's prescriptions are on its workbench.
  if (v.activeOrg.kind === 'pharmacy') return redirect({ href: '/pharmacy', locale });
  const t = await getTranslations('rx');
  const statusParam = typeof query.status === 'string' ? query.status : '';
  const status = isRxStatus(statusParam) ? statusParam : undefined;
  const rows = await (await serverApi()).prescriptions.list(status ? { status } : {});
  return (
    <div className="space-y-4">
      <PageHeader title={t('listTitle')} intro={t('listIntro')}>
        {v.permissions.includes('rx:sign') ? (
          <Link href="/prescriptions/new" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm text-white" data-testid="rx-new-link">
            {t('newTitle')}
          </Link>
        ) : null}
      </PageHeader>
      <form method="get" className="flex items-end gap-3 text-sm">
        <FilterSelect name="status" label={t('status')} value={status ?? ''} options={[{ value: '', label: t('allStatuses') }, ...RX_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))]} />
        <FilterSubmit label={t('filter')} />
      </form>
      <Card>
        <CardContent>
          {rows.length === 0 ? (
            <EmptyState title={t('none')} description={t('noneHint')} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[760px] text-left text-sm [&_td]:whitespace-nowrap" data-testid="rx-table">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('rxNo')}</th>
                    <th className="py-2 font-medium">{t('patient')}</th>
                    <th className="py-2 font-medium">{t('status')}</th>
                    <th className="py-2 font-medium">{t('pharmacy')}</th>
                    <th className="py-2 text-right font-medium">{t('issuedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} className="border-t border-stone-100" data-testid="rx-row" data-rx-id={r.id}>
                      <td className="py-2">
                        <Link href={`/prescriptions/${r.id}`} className="text-brand-700 hover:underline">
                          {r.id}
                        </Link>
                      </td>
                      <td className="py-2">
                        {r.patientName} · {t(`sex.${r.patientSex === 'M' ? 'M' : 'F'}`)} · {t('ageYears', { n: r.patientAgeYears })}
                      </td>
                      <td className="py-2">
                        <Badge tone={statusTone(r.status)}>{isRxStatus(r.status) ? t(`statuses.${r.status}`) : r.status}</Badge>
                        {r.blocked && !r.overridden ? (
                          <Badge tone="danger" className="ml-1">
                            {t('needsOverride')}
                          </Badge>
                        ) : null}
                        {r.routingNote ? (
                          <Badge tone="warning" className="ml-1">
                            {t('noPharmacy')}
                          </Badge>
                        ) : null}
                      </td>
                      <td className="py-2">{r.pharmacyName ?? '—'}</td>
                      <td className="py-2 text-right">{shanghai(r.issuedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
