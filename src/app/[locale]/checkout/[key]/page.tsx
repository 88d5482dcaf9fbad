import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { appPayments } from '@/server/integrations/payments/payments.ts';
import { PayView } from './pay-view.tsx';

/** The checkout page: the buyer pays the orders of one checkout (the payments sandbox's test page in the demo). */
export default async function CheckoutPage({ params }: { params: Promise<{ locale: string; key: string }> }) {
  const { locale, key } = await params;
  const checkoutKey = decodeURIComponent(key);
  await requireOrgPage(locale, `/checkout/${key}`, 'order:create');
  const t = await getTranslations('orders');
  return (
    <div className="space-y-4">
      <PageHeader title={t('pay.title')} intro={t('pay.intro')} />
      <PayView checkoutKey={checkoutKey} sandbox={appPayments().kind === 'sandbox'} />
    </div>
  );
}
