import { getTranslations } from 'next-intl/server';
import { Badge } from '@/components/ui/badge.tsx';
import type { TenderDetail } from '@/server/domains/tenders/tenders.service.ts';
import { kg, shanghai, yuanPerKg } from '../format.ts';

type Award = NonNullable<TenderDetail['award']>;

/** The evaluation result per lot with the award hash (officer, members, suppliers and the public page). */
export async function AwardView({ award, lots }: { award: Award | null; lots: { id: string; lotNo: number; herbName: string }[] }) {
  const t = await getTranslations('tenders');
  if (!award) return <p className="text-sm text-stone-500">{t('resultPending')}</p>;
  const label = (lotId: string) => {
    const lot = lots.find((l) => l.id === lotId);
    return lot ? `${lot.lotNo} · ${lot.herbName}` : lotId;
  };
  return (
    <div className="space-y-4" data-testid="award-view">
      <p className="text-sm">
        <Badge tone={award.finalizedAt ? 'success' : 'info'}>{award.finalizedAt ? t('finalized') : t('proposed')}</Badge>{' '}
        <span className="text-stone-500">{shanghai(award.finalizedAt ?? award.proposedAt)}</span>
      </p>
      <p className="text-xs">
        <span className="text-stone-500">{t('awardHash')}: </span>
        <code className="break-all" data-testid="award-hash">
          {award.sha256}
        </code>
      </p>
      {award.lots.map((lot) => (
        <div key={lot.lotId} className="rounded-md border border-stone-200 p-3" data-testid="award-lot">
          <p className="font-medium">
            {label(lot.lotId)} <Badge tone={lot.status === 'awarded' ? 'success' : 'warning'}>{t(`lotStatuses.${lot.status}`)}</Badge>
          </p>
          {lot.status === 'failed' ? (
            <p className="mt-1 text-sm text-stone-600">{t('failedLot')}</p>
          ) : (
            <>
              <p className="mt-1 text-sm text-stone-600">
                {t('validSuppliers')}: {lot.validSuppliers} · {t('anchor')}: {lot.anchorFenPerKg === null ? '—' : yuanPerKg(lot.anchorFenPerKg)} · {t('share')}: {Math.round(lot.share * 100)}% · {t('agreedVolume')}: {kg(lot.agreedG)}
              </p>
              <div className="mt-2 overflow-x-auto">
                <table className="w-full text-left text-sm">
                  <thead className="text-stone-500">
                    <tr>
                      <th className="py-1 font-medium">{t('rank')}</th>
                      <th className="py-1 font-medium">{t('supplier')}</th>
                      <th className="py-1 text-right font-medium">{t('price')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {lot.winners.map((w) => (
                      <tr key={w.bidId} className="border-t border-stone-100">
                        <td className="py-1">{w.rank}</td>
                        <td className="py-1">{w.supplierName}</td>
                        <td className="py-1 text-right">{yuanPerKg(w.fenPerKg)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {lot.rejected.length > 0 ? (
            <p className="mt-2 text-xs text-stone-500">
              {t('rejected')}: {lot.rejected.map((r) => t(`rejectReasons.${r.reason}`)).join('、')}
            </p>
          ) : null}
        </div>
      ))}
    </div>
  );
}
