import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { isRxStatus } from '@/server/domains/prescriptions/prescriptions.core.ts';
import { shanghai, statusTone } from '../prescriptions/format.ts';
import { CapabilityForm } from './capability-form.tsx';
import { OffersBoard } from './offers-board.tsx';

/** The pharmacy workbench: incoming offers (countdown), prescriptions in work, capability. */
export default async function PharmacyPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const v = await requireOrgPage(locale, '/pharmacy', 'rx:dispense');
  const t = await getTranslations('rx');
  if (v.activeOrg.kind !== 'pharmacy') {
    return (
      <div className="space-y-4">
        <PageHeader title={t('workbench.title')} />
        <EmptyState title={t('workbench.pharmaciesOnly')} />
      </div>
    );
  }
  const api = await serverApi();
  const [offers, work, capability] = await Promise.all([api.prescriptions.offers(), api.prescriptions.work(), api.prescriptions.capability()]);
  return (
    <div className="space-y-4">
      <PageHeader title={t('workbench.title')} intro={t('workbench.intro')} />
      <Card>
        <CardHeader>
          <CardTitle>{t('workbench.offers')}</CardTitle>
        </CardHeader>
        <CardContent>
          <OffersBoard offers={offers.map((o) => ({ offerId: o.offerId, prescriptionId: o.prescriptionId, expiresAt: new Date(o.expiresAt).toISOString(), hospitalName: o.hospitalName, doses: o.doses, decoction: o.decoction, fulfilment: o.fulfilment, km: o.distanceM / 1000 }))} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('workbench.work')}</CardTitle>
        </CardHeader>
        <CardContent>
          {work.length === 0 ? (
            <p className="text-sm text-stone-500">{t('workbench.noWork')}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[640px] text-left text-sm" data-testid="rx-work-table">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('rxNo')}</th>
                    <th className="py-2 font-medium">{t('hospital')}</th>
                    <th className="py-2 font-medium">{t('patient')}</th>
                    <th className="py-2 font-medium">{t('status')}</th>
                    <th className="py-2 text-right font-medium">{t('updatedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {work.map((w) => (
                    <tr key={w.id} className="border-t border-stone-100">
                      <td className="py-2">
                        <Link href={`/prescriptions/${w.id}`} className="text-brand-700 hover:underline">
                          {w.id}
                        </Link>
                      </td>
                      <td className="py-2 whitespace-nowrap">{w.hospitalName}</td>
                      <td className="py-2">{w.patientName}</td>
                      <td className="py-2">
                        <Badge tone={statusTone(w.status)}>{isRxStatus(w.status) ? t(`statuses.${w.status}`) : w.status}</Badge>
                      </td>
                      <td className="py-2 text-right">{shanghai(w.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('workbench.capability')}</CardTitle>
        </CardHeader>
        <CardContent>
          <CapabilityForm initial={capability} />
        </CardContent>
      </Card>
    </div>
  );
}
