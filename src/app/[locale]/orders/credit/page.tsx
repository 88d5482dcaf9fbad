import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { CreditLinesView } from './credit-lines-view.tsx';

/** Sellers grant hospitals and pharmacies credit limits and payment terms (账期). */
export default async function CreditLinesPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  await requireOrgPage(locale, '/orders/credit', 'listing:manage');
  const t = await getTranslations('orders');
  return (
    <div className="space-y-4">
      <PageHeader title={t('creditLines.title')} intro={t('creditLines.intro')} />
      <CreditLinesView />
    </div>
  );
}
