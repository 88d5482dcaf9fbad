import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { PRODUCT_FORMS, PRODUCT_GRADES, type ProductGrade } from '@/server/domains/catalog/products.core.ts';
import { LISTING_CERTIFICATES } from '@/server/integrations/search/search.documents.ts';
import { facetOptions, parseMarketQuery } from './market-query.core.ts';
import { OfferCells, OfferHeaders } from './offer-cells.tsx';

type Api = Awaited<ReturnType<typeof serverApi>>;
type ListingRow = Awaited<ReturnType<Api['catalog']['listings']>>[number];

const SELECT = 'rounded-md border border-stone-300 px-2 py-1.5';

export default async function CatalogPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale } = await params;
  const mq = parseMarketQuery(await searchParams);
  const v = await requireOrgPage(locale, '/catalog', 'catalog:read');
  const t = await getTranslations('catalog');
  const api = await serverApi();
  // Every view goes through the search port: the query (pinyin, initials, traditional, aliases…), the
  // facet filters and the sort; the hits are joined to the market's listing rows for the offer columns.
  const [found, all] = await Promise.all([
    api.catalog.search({ q: mq.q || undefined, form: mq.form, grade: mq.grade, origin: mq.origin, daoDi: mq.daoDi, certificate: mq.certificate, inStock: mq.inStock, priceMin: mq.priceMin, priceMax: mq.priceMax, sort: mq.sort, limit: 100, offset: 0 }),
    api.catalog.listings({}),
  ]);
  const byId = new Map(all.map((row) => [row.id, row]));
  const sorted = found.items.map((hit) => byId.get(hit.id)).filter((row): row is ListingRow => row !== undefined);
  const canBuy = v.permissions.includes('order:create');
  const yuanText = (fen: number | undefined) => (fen === undefined ? '' : (fen / 100).toString());
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
          <input name="q" defaultValue={mq.q} maxLength={50} placeholder={t('searchHint')} className="w-56 rounded-md border border-stone-300 px-2 py-1.5" data-testid="catalog-search" />
        </label>
        <label className="space-y-1">
          <span className="block text-stone-600">{t('form')}</span>
          <select name="form" defaultValue={mq.form ?? ''} className={SELECT} data-testid="catalog-form">
            <option value="">{t('allForms')}</option>
            {PRODUCT_FORMS.map((f) => (
              <option key={f} value={f}>
                {t('facetCount', { label: t(`forms.${f}`), count: found.facets.form[f] ?? 0 })}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-stone-600">{t('grade')}</span>
          <select name="grade" defaultValue={mq.grade ?? ''} className={SELECT} data-testid="catalog-grade">
            <option value="">{t('allGrades')}</option>
            {PRODUCT_GRADES.map((g) => (
              <option key={g} value={g}>
                {t('facetCount', { label: t(`grades.${g}`), count: found.facets.grade[g] ?? 0 })}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-stone-600">{t('origin')}</span>
          <select name="origin" defaultValue={mq.origin ?? ''} className={SELECT} data-testid="catalog-origin">
            <option value="">{t('allOrigins')}</option>
            {mq.origin && !(mq.origin in found.facets.origin) ? <option value={mq.origin}>{mq.origin}</option> : null}
            {facetOptions(found.facets.origin).map((o) => (
              <option key={o.value} value={o.value}>
                {t('facetCount', { label: o.value, count: o.count })}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-stone-600">{t('certificate')}</span>
          <select name="certificate" defaultValue={mq.certificate ?? ''} className={SELECT} data-testid="catalog-certificate">
            <option value="">{t('anyCertificate')}</option>
            {LISTING_CERTIFICATES.map((c) => (
              <option key={c} value={c}>
                {t(`certificates.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="space-y-1">
          <legend className="block text-stone-600">{t('priceRange')}</legend>
          <span className="flex items-center gap-1">
            <input name="priceMin" defaultValue={yuanText(mq.priceMin)} inputMode="decimal" aria-label={t('priceMin')} placeholder={t('priceMin')} className="w-20 rounded-md border border-stone-300 px-2 py-1.5" />
            –
            <input name="priceMax" defaultValue={yuanText(mq.priceMax)} inputMode="decimal" aria-label={t('priceMax')} placeholder={t('priceMax')} className="w-20 rounded-md border border-stone-300 px-2 py-1.5" />
          </span>
        </fieldset>
        <label className="flex items-center gap-1 pb-2">
          <input type="checkbox" name="daoDi" value="true" defaultChecked={mq.daoDi === true} data-testid="catalog-daodi" />
          {t('onlyDaoDi')}
        </label>
        <label className="flex items-center gap-1 pb-2">
          <input type="checkbox" name="inStock" value="true" defaultChecked={mq.inStock === true} data-testid="catalog-instock" />
          {t('onlyInStock')}
        </label>
        <label className="space-y-1">
          <span className="block text-stone-600">{t('sortBy')}</span>
          <select name="sort" defaultValue={mq.sort} className={SELECT} data-testid="catalog-sort">
            {mq.q ? <option value="relevance">{t('sortRelevance')}</option> : null}
            <option value="price_asc">{t('sortPriceAsc')}</option>
            <option value="price_desc">{t('sortPriceDesc')}</option>
            <option value="newest">{t('sortNewest')}</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 text-white" data-testid="catalog-filter-submit">
          {t('filter')}
        </button>
        <Link href="/catalog" className="pb-2 text-brand-700 hover:underline">
          {t('clear')}
        </Link>
      </form>
      <p className="text-sm text-stone-600" data-testid="catalog-total">
        {t('results', { total: found.total })}
      </p>
      <Card>
        <CardContent>
          {sorted.length === 0 ? (
            <EmptyState title={t('empty')} description={t('emptyHint')} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[1040px] text-left text-sm" data-testid="listings-table">
                <thead className="text-stone-500">
                  <tr>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('product')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('seller')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('origin')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('grade')}</th>
                    <OfferHeaders labels={{ price: t('price'), available: t('available'), minOrder: t('minOrder'), quantityKg: t('cart.quantityKg') }} canBuy={canBuy} />
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((l) => (
                    <tr key={l.id} className="border-t border-stone-100" data-testid="listing-row" data-listing-id={l.id}>
                      <td className="whitespace-nowrap py-2 pr-3">
                        <Link className="text-brand-700 hover:underline" href={`/catalog/products/${l.productId}`} data-testid="product-link">
                          {l.productName}
                        </Link>
                      </td>
                      <td className="whitespace-nowrap py-2 pr-3">{l.sellerName}</td>
                      <td className="whitespace-nowrap py-2 pr-3">
                        {l.origin} {l.daoDi ? <Badge tone="success">{t('daoDi')}</Badge> : null}
                      </td>
                      <td className="whitespace-nowrap py-2 pr-3">{t(`grades.${l.grade as ProductGrade}`)}</td>
                      <OfferCells offer={l} canBuy={canBuy} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
