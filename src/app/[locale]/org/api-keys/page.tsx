import { getTranslations } from 'next-intl/server';
import { ApiKeysPanel } from '@/components/org/api-keys-panel.tsx';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Card, CardContent, CardHeader } from '@/components/ui/card.tsx';

export default async function ApiKeysPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  await requireOrgPage(locale, '/org/api-keys', 'apikey:manage');
  const t = await getTranslations('org.apiKeys');
  return (
    <Card>
      <CardHeader>
        <h1 className="text-lg font-semibold">{t('title')}</h1>
        <p className="mt-1 text-sm text-stone-600">{t('intro')}</p>
      </CardHeader>
      <CardContent>
        <ApiKeysPanel />
      </CardContent>
    </Card>
  );
}
