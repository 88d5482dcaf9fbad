import { TRPCError } from '@trpc/server';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { serverApi } from '@/server/api/server-caller.ts';
import { AwardView } from '../award-view.tsx';
import { TenderLotsTable, TenderSchedule } from '../tender-overview.tsx';

/** The public tender notice: no login; lots and schedule, and after the opening the result and its hash. */
export default async function PublicTenderPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  setRequestLocale(locale);
  const t = await getTranslations('tenders');
  let tender;
  try {
    tender = await (await serverApi()).tenders.publicView({ id });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
  return (
    <div className="space-y-4" data-testid="tender-public">
      <PageHeader title={`${t('publicTitle')}：${tender.title}`} intro={t('publicIntro')}>
        <Badge>{t(`statuses.${tender.status}`)}</Badge>
      </PageHeader>
      <Card>
        <CardHeader>
          <CardTitle>{t('schedule')}</CardTitle>
        </CardHeader>
        <CardContent>
          <p className="mb-2 text-sm">
            {tender.allianceName} · {t(`methods.${tender.method}`)}
          </p>
          <TenderSchedule tender={tender} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('lots')}</CardTitle>
        </CardHeader>
        <CardContent>
          <TenderLotsTable lots={tender.lots} demandG={(lotId) => tender.lots.find((l) => l.id === lotId)?.demandG ?? 0} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('award')}</CardTitle>
        </CardHeader>
        <CardContent>
          <AwardView award={tender.award} lots={tender.lots} />
        </CardContent>
      </Card>
    </div>
  );
}
