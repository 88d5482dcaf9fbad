import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
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
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">{t('title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-stone-600">{t('intro')}</p>
      </div>
      <JobsBoard />
    </div>
  );
}
