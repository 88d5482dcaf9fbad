import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { operatorAccess } from '../access.tsx';
import { JobsBoard } from './jobs-board.tsx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('operator.jobs');
  return { title: t('title') };
}

/** The outbox seen by an operator: counts per status, the newest jobs, retry / discard of failed ones. */
export default async function JobsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const denied = await operatorAccess(locale, '/operator/jobs', 'jobs:manage');
  if (denied) return denied;
  const t = await getTranslations('operator.jobs');
  const tc = await getTranslations('operator.tenderClock');
  const clock = await (await serverApi()).operator.tenderClock();
  return (
    <div className="space-y-4">
      <PageHeader title={t('title')} intro={t('intro')}>
        {clock.enabled ? (
          <Link href="/operator/tender-clock" className="text-sm text-brand-700 hover:underline" data-testid="tender-clock-link">
            {tc('link')}
          </Link>
        ) : null}
      </PageHeader>
      <JobsBoard />
    </div>
  );
}
