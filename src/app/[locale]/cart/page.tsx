import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { CartView } from './cart-view.tsx';

export default async function CartPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  await requireOrgPage(locale, '/cart', 'order:create');
  const t = await getTranslations('orders');
  return (
    <div className="space-y-4">
      <PageHeader title={t('cartTitle')} intro={t('cartIntro')} />
      <CartView />
    </div>
  );
}
