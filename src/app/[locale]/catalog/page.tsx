import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { PRODUCT_GRADES, type ProductGrade } from '@/server/domains/catalog/products.core.ts';
import { OfferCells, OfferHeaders } from './offer-cells.tsx';

type Sort = 'price_asc' | 'price_desc';
type Api = Awaited<ReturnType<typeof serverApi>>;
type ListingRow = Awaited<ReturnType<Api['catalog']['listings']>>[number];

async function searchRows(api: Api, all: ListingRow[], input: { q: string; grade?: ProductGrade }): Promise<ListingRow[]> {
  const found = await api.catalog.search({ q: input.q, grade: input.grade, sort: 'relevance', limit: 100, offset: 0 });
  const byId = new Map(all.map((row) => [row.id, row]));
  return found.items.map((hit) => byId.get(hit.id)).filter((row): row is ListingRow => row !== undefined);
}

export default async function CatalogPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale } = await params;
  const query = await searchParams;
  const v = await requireOrgPage(locale, '/catalog', 'catalog:read');
  const t = await getTranslations('catalog');
  const gradeParam = typeof query.grade === 'string' ? query.grade : '';
  const grade = (PRODUCT_GRADES as readonly string[]).includes(gradeParam) ? (gradeParam as ProductGrade) : undefined;
  const q = typeof query.q === 'string' ? query.q.trim().slice(0, 50) : '';
  const sort: Sort | 'relevance' = query.sort === 'price_desc' ? 'price_desc' : query.sort === 'price_asc' || !q ? 'price_asc' : 'relevance';
  const api = await serverApi();
  const all = await api.catalog.listings(grade ? { grade } : {});
  // A text query goes through the search port (pinyin, initials, traditional, aliases…); its hits keep
  // their relevance order unless a price sort is chosen.
  const rows = q ? await searchRows(api, all, { q, grade }) : all;
  const canBuy = v.permissions.includes('order:create');
  const sorted = sort === 'relevance' ? rows : [...rows].sort((a, b) => (sort === 'price_asc' ? a.priceFenPerKg - b.priceFenPerKg : b.priceFenPerKg - a.priceFenPerKg) || a.id.localeCompare(b.id));
  return (
    <div className="space-y-4">
      <PageHeader title={t('title')} intro={t('intro')}>
        {v.permissions.includes('listing:manage') ? (
          <Link className="text-sm text-brand-700 hover:underline" href="/catalog/mine">
            {t('toMine')}
          </Link>
        ) : null}
      </PageHeader>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm" data-testid="catalog-filter">
        <label className="space-y-1">
          <span className="block text-stone-600">{t('search')}</span>
          <input name="q" defaultValue={q} maxLength={50} placeholder={t('searchHint')} className="w-64 rounded-md border border-stone-300 px-2 py-1.5" data-testid="catalog-search" />
        </label>
        <label className="space-y-1">
          <span className="block text-stone-600">{t('grade')}</span>
          <select name="grade" defaultValue={grade ?? ''} className="rounded-md border border-stone-300 px-2 py-1.5">
            <option value="">{t('allGrades')}</option>
            {PRODUCT_GRADES.map((g) => (
              <option key={g} value={g}>
                {t(`grades.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-stone-600">{t('sortBy')}</span>
          <select name="sort" defaultValue={sort} className="rounded-md border border-stone-300 px-2 py-1.5">
            {q ? <option value="relevance">{t('sortRelevance')}</option> : null}
            <option value="price_asc">{t('sortPriceAsc')}</option>
            <option value="price_desc">{t('sortPriceDesc')}</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 text-white">
          {t('filter')}
        </button>
      </form>
      <Card>
        <CardContent>
          {sorted.length === 0 ? (
            <EmptyState title={t('empty')} description={t('emptyHint')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="listings-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('product')}</th>
                  <th className="py-2 font-medium">{t('seller')}</th>
                  <th className="py-2 font-medium">{t('origin')}</th>
                  <th className="py-2 font-medium">{t('grade')}</th>
                  <OfferHeaders labels={{ price: t('price'), available: t('available'), minOrder: t('minOrder'), quantityKg: t('cart.quantityKg') }} canBuy={canBuy} />
                </tr>
              </thead>
              <tbody>
                {sorted.map((l) => (
                  <tr key={l.id} className="border-t border-stone-100" data-testid="listing-row" data-listing-id={l.id}>
                    <td className="py-2">
                      <Link className="text-brand-700 hover:underline" href={`/catalog/products/${l.productId}`} data-testid="product-link">
                        {l.productName}
                      </Link>
                    </td>
                    <td className="py-2">{l.sellerName}</td>
                    <td className="py-2">
                      {l.origin} {l.daoDi ? <Badge tone="success">{t('daoDi')}</Badge> : null}
                    </td>
                    <td className="py-2">{t(`grades.${l.grade as ProductGrade}`)}</td>
                    <OfferCells offer={l} canBuy={canBuy} />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
