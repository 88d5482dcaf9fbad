import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { CreateTenderForm } from './create-tender-form.tsx';

export default async function NewTenderPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  await requireOrgPage(locale, '/tenders/new', 'tender:manage');
  const t = await getTranslations('tenders');
  return (
    <div className="space-y-4">
      <PageHeader title={t('newTender')} intro={t('intro')} />
      <CreateTenderForm />
    </div>
  );
}
