import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import type { ListingStatus } from '@/server/domains/catalog/listings.core.ts';
import type { ProductForm, ProductGrade } from '@/server/domains/catalog/products.core.ts';
import { kg, yuan } from '../format.ts';
import { ListingForm, ListingStatusButtons, LotForm, ProductForm as ProductCreateForm } from './seller-forms.tsx';

const STATUS_TONE = { draft: 'neutral', active: 'success', paused: 'warning', sold_out: 'warning', closed: 'neutral' } as const;

export default async function MyCatalogPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  await requireOrgPage(locale, '/catalog/mine', 'listing:manage');
  const t = await getTranslations('catalog');
  const api = await serverApi();
  const [products, lots, listings] = await Promise.all([api.catalog.myProducts(), api.catalog.myLots(), api.catalog.myListings()]);
  return (
    <div className="space-y-4">
      <PageHeader title={t('mine')}>
        <Link className="text-sm text-brand-700 hover:underline" href="/catalog">
          {t('toMarket')}
        </Link>
      </PageHeader>

      <Card>
        <CardHeader>
          <CardTitle>{t('products')}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          {products.length === 0 ? (
            <EmptyState title={t('noProducts')} description={t('noProductsHint')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="my-products-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('product')}</th>
                  <th className="py-2 font-medium">{t('form')}</th>
                  <th className="py-2 font-medium">{t('grade')}</th>
                  <th className="py-2 font-medium">{t('origin')}</th>
                </tr>
              </thead>
              <tbody>
                {products.map((p) => (
                  <tr key={p.id} className="border-t border-stone-100" data-testid="my-product-row">
                    <td className="py-2">{p.name}</td>
                    <td className="py-2">{t(`forms.${p.form as ProductForm}`)}</td>
                    <td className="py-2">{t(`grades.${p.grade as ProductGrade}`)}</td>
                    <td className="py-2">
                      {p.origin} {p.daoDi ? <Badge tone="success">{t('daoDi')}</Badge> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <details className="rounded-md border border-stone-200 p-3" open={products.length === 0}>
            <summary className="cursor-pointer text-sm font-medium">{t('createProduct')}</summary>
            <div className="mt-3">
              <ProductCreateForm />
            </div>
          </details>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('lots')}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          {lots.length === 0 ? (
            <EmptyState title={t('noLots')} description={t('noLotsHint')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="my-lots-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('batchNo')}</th>
                  <th className="py-2 font-medium">{t('product')}</th>
                  <th className="py-2 text-right font-medium">{t('quantity')}</th>
                  <th className="py-2 text-right font-medium">{t('reserved')}</th>
                  <th className="py-2 text-right font-medium">{t('available')}</th>
                  <th className="py-2 font-medium">{t('expiryDate')}</th>
                </tr>
              </thead>
              <tbody>
                {lots.map((l) => (
                  <tr key={l.id} className="border-t border-stone-100" data-testid="my-lot-row">
                    <td className="py-2 font-mono">{l.batchNo}</td>
                    <td className="py-2">{l.productName}</td>
                    <td className="py-2 text-right tabular-nums">{kg(l.quantityG)}</td>
                    <td className="py-2 text-right tabular-nums">{kg(l.reservedG)}</td>
                    <td className="py-2 text-right tabular-nums">{kg(l.availableG)}</td>
                    <td className="py-2">{l.expiryDate}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {products.length > 0 ? (
            <details className="rounded-md border border-stone-200 p-3" open={lots.length === 0}>
              <summary className="cursor-pointer text-sm font-medium">{t('createLot')}</summary>
              <div className="mt-3">
                <LotForm products={products.map((p) => ({ id: p.id, name: p.name }))} />
              </div>
            </details>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('listings')}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          {listings.length === 0 ? (
            <EmptyState title={t('noListings')} description={t('noListingsHint')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="my-listings-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('product')}</th>
                  <th className="py-2 font-medium">{t('batchNo')}</th>
                  <th className="py-2 text-right font-medium">{t('price')}</th>
                  <th className="py-2 text-right font-medium">{t('available')}</th>
                  <th className="py-2 text-right font-medium">{t('minOrder')}</th>
                  <th className="py-2 font-medium">{t('status')}</th>
                  <th className="py-2" />
                </tr>
              </thead>
              <tbody>
                {listings.map((l) => (
                  <tr key={l.id} className="border-t border-stone-100" data-testid="my-listing-row" data-listing-id={l.id}>
                    <td className="py-2">{l.productName}</td>
                    <td className="py-2 font-mono">{l.batchNo}</td>
                    <td className="py-2 text-right tabular-nums">{yuan(l.priceFenPerKg)}</td>
                    <td className="py-2 text-right tabular-nums">{kg(l.availableG)}</td>
                    <td className="py-2 text-right tabular-nums">{kg(l.minOrderG)}</td>
                    <td className="py-2">
                      <Badge tone={STATUS_TONE[l.status as ListingStatus]}>{t(`statuses.${l.status as ListingStatus}`)}</Badge>
                    </td>
                    <td className="py-2">
                      <ListingStatusButtons id={l.id} status={l.status as ListingStatus} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {lots.length > 0 ? (
            <details className="rounded-md border border-stone-200 p-3" open={listings.length === 0}>
              <summary className="cursor-pointer text-sm font-medium">{t('createListing')}</summary>
              <div className="mt-3">
                <ListingForm lots={lots.map((l) => ({ id: l.id, name: `${l.batchNo} · ${l.productName}` }))} />
              </div>
            </details>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
