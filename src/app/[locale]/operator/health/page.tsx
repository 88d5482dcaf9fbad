import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { operatorAccess } from '../access.tsx';
import { HealthBoard } from './health-board.tsx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('operator.health');
  return { title: t('title') };
}

/** Adapter health, queue depths and failed jobs (retry / discard), for platform operators. */
export default async function HealthPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const denied = await operatorAccess(locale, '/operator/health', 'jobs:manage');
  if (denied) return denied;
  const t = await getTranslations('operator.health');
  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} intro={t('intro')} />
      <HealthBoard />
    </div>
  );
}
