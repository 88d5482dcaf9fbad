import { getTranslations } from 'next-intl/server';
import { regionName } from '@/server/domains/orgs/identity.core.ts';
import { kg, shanghai, yuanPerKg } from '../format.ts';

type ScheduleKey = 'demandDeadline' | 'bidDeadline' | 'openingAt' | 'publicityEndsAt';

/** The four schedule dates and the tender documents, shared by the member/officer and the public pages. */
export async function TenderSchedule({ tender }: { tender: Record<ScheduleKey, Date | string> & { documents: readonly { name: string }[] } }) {
  const t = await getTranslations('tenders');
  return (
    <>
      <dl className="grid gap-2 text-sm md:grid-cols-4">
        {(['demandDeadline', 'bidDeadline', 'openingAt', 'publicityEndsAt'] as const).map((k) => (
          <div key={k}>
            <dt className="text-stone-500">{t(k)}</dt>
            <dd>{shanghai(tender[k])}</dd>
          </div>
        ))}
      </dl>
      {tender.documents.length > 0 ? (
        <p className="text-sm">
          {t('documents')}: {tender.documents.map((d) => d.name).join('、')}
        </p>
      ) : null}
    </>
  );
}

interface LotRow {
  id: string;
  lotNo: number;
  herbName: string;
  spec: string;
  qualityTier: string;
  ceilingFenPerKg: number;
  deliveryRegions: readonly string[];
  status?: string;
}

/** The lots table; the demand column shows when `demandG` is given, the status column when `showStatus`. */
export async function TenderLotsTable({ lots, demandG, showStatus = false }: { lots: readonly LotRow[]; demandG?: (lotId: string) => number; showStatus?: boolean }) {
  const t = await getTranslations('tenders');
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[640px] text-left text-sm">
        <thead className="text-stone-500">
          <tr>
            <th className="py-2 font-medium">{t('lotNo')}</th>
            <th className="py-2 font-medium">{t('herbName')}</th>
            <th className="py-2 font-medium">{t('spec')}</th>
            <th className="py-2 font-medium">{t('qualityTier')}</th>
            <th className="py-2 text-right font-medium">{t('ceiling')}</th>
            <th className="py-2 pl-6 font-medium">{t('deliveryRegions')}</th>
            {demandG ? <th className="py-2 text-right font-medium">{t('totalDemand')}</th> : null}
            {showStatus ? <th className="py-2 pl-6 font-medium">{t('lotStatus')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {lots.map((l) => (
            <tr key={l.id} className="border-t border-stone-100" data-testid="tender-lot">
              <td className="py-2">{l.lotNo}</td>
              <td className="py-2">{l.herbName}</td>
              <td className="py-2">{l.spec}</td>
              <td className="py-2">{l.qualityTier}</td>
              <td className="py-2 text-right">{yuanPerKg(l.ceilingFenPerKg)}</td>
              <td className="py-2 pl-6">{l.deliveryRegions.map(regionName).join('、')}</td>
              {demandG ? <td className="py-2 text-right">{kg(demandG(l.id))}</td> : null}
              {showStatus && l.status ? <td className="py-2 pl-6">{t(`lotStatuses.${l.status as 'open'}`)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
