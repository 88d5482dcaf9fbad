import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { IMPORT_COLUMNS } from '@/server/domains/catalog/import.core.ts';
import { ImportPanel } from './import-panel.tsx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('trace');
  return { title: t('import.title') };
}

/** Bulk import of products, lots and listings from CSV/XLSX, with progress and per-row error reports. */
export default async function CatalogImportPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  await requireOrgPage(locale, '/catalog/import', 'listing:manage');
  const t = await getTranslations('trace');
  const tc = await getTranslations('catalog');
  return (
    <div className="space-y-4">
      <PageHeader title={t('import.title')} intro={t('import.intro')}>
        <Link className="text-sm text-brand-700 hover:underline" href="/catalog/mine">
          {tc('mine')}
        </Link>
      </PageHeader>
      <ImportPanel />
      <Card>
        <CardHeader>
          <CardTitle>{t('import.headersTitle')}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-2 text-sm">
          <ul className="grid gap-1 sm:grid-cols-3">
            {IMPORT_COLUMNS.map((c) => (
              <li key={c.field}>
                <code>
                  {c.zh}/{c.field}
                </code>{' '}
                <span className="text-stone-500">({c.required ? t('import.required') : t('import.optional')})</span>
              </li>
            ))}
          </ul>
          <a className="text-brand-700 hover:underline" href="/samples/catalog-import-sample.csv" download>
            {t('import.sample')}
          </a>
        </CardContent>
      </Card>
    </div>
  );
}
