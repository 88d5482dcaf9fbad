import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { Alert } from '@/components/ui/alert.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { serverApi } from '@/server/api/server-caller.ts';
import { operatorAccess } from '../access.tsx';
import { TenderClockForm } from './tender-clock-form.tsx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('operator.tenderClock');
  return { title: t('title') };
}

/** Embedded demo only: the operator moves the tender clock forward (deadlines, opening, publicity). */
export default async function TenderClockPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const denied = await operatorAccess(locale, '/operator/tender-clock', 'jobs:manage');
  if (denied) return denied;
  const t = await getTranslations('operator.tenderClock');
  const clock = await (await serverApi()).operator.tenderClock();
  return (
    <div className="space-y-4">
      <PageHeader title={t('title')} intro={t('intro')} />
      {clock.enabled ? (
        <TenderClockForm now={clock.now} offsetMs={clock.offsetMs} />
      ) : (
        <Alert tone="info" title={t('disabledTitle')}>
          <p data-testid="tender-clock-disabled">{t('disabled')}</p>
        </Alert>
      )}
    </div>
  );
}
