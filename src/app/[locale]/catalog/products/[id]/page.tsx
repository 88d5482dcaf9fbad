import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from '@/server/domains/catalog/products.core.ts';
import type { ProductPriceHistory } from '@/server/domains/orders/price-history.service.ts';
import { OfferCells, OfferHeaders } from '../../offer-cells.tsx';
import { kg, yuan } from '../../format.ts';
import { PriceHistoryChart } from './price-history-chart.tsx';

const HISTORY_WEEKS = 26;

const oneOf = <T extends string>(values: readonly T[], value: string): T | undefined => values.find((v) => v === value);

export default async function ProductPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  const v = await requireOrgPage(locale, `/catalog/products/${id}`, 'catalog:read');
  const t = await getTranslations('catalog');
  const api = await serverApi();
  let history: ProductPriceHistory;
  try {
    history = await api.catalog.priceHistory({ productId: id, weeks: HISTORY_WEEKS });
  } catch {
    notFound();
  }
  const p = history.product;
  const listings = (await api.catalog.listings({ herbId: p.herbId })).filter((l) => l.productId === p.id);
  const canBuy = v.permissions.includes('order:create');
  const form = oneOf(PRODUCT_FORMS, p.form);
  const cut = oneOf(PRODUCT_CUTS, p.cut);
  const processing = oneOf(PRODUCT_PROCESSINGS, p.processing);
  const grade = oneOf(PRODUCT_GRADES, p.grade);
  const spec: [label: string, value: string, badge?: boolean][] = [
    [t('herb'), p.herbName],
    [t('form'), form ? t(`forms.${form}`) : p.form],
    [t('cut'), cut ? t(`cuts.${cut}`) : p.cut],
    [t('processing'), processing ? t(`processings.${processing}`) : p.processing],
    [t('grade'), grade ? t(`grades.${grade}`) : p.grade],
    [t('origin'), p.origin],
    [t('daoDi'), p.daoDi ? t('productPage.yes') : t('productPage.no'), p.daoDi],
  ];
  const labels = { min: t('productPage.min'), median: t('productPage.median'), max: t('productPage.max'), unit: t('productPage.unit') };

  return (
    <div className="space-y-4">
      <PageHeader title={p.name}>
        <Link href="/catalog" className="text-sm text-brand-700 hover:underline">
          {t('productPage.back')}
        </Link>
      </PageHeader>
      <Card>
        <CardHeader>
          <CardTitle>{t('productPage.spec')}</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-2 text-sm sm:grid-cols-4" data-testid="product-spec">
            {spec.map(([label, value, badge]) => (
              <div key={label}>
                <dt className="text-stone-500">{label}</dt>
                <dd>{badge ? <Badge tone="success">{value}</Badge> : value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('productPage.priceHistory', { weeks: HISTORY_WEEKS })}</CardTitle>
          <p className="mt-1 text-sm text-stone-500">{t('productPage.priceHistoryIntro')}</p>
        </CardHeader>
        <CardContent>
          {history.weeks.length === 0 ? (
            <EmptyState title={t('productPage.noTrades')} description={t('productPage.noTradesHint')} />
          ) : (
            <div className="space-y-4">
              <PriceHistoryChart weeks={history.weeks} labels={labels} />
              <table className="w-full text-left text-sm" data-testid="price-history-table">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('productPage.week')}</th>
                    <th className="py-2 text-right font-medium">{labels.min}</th>
                    <th className="py-2 text-right font-medium">{labels.median}</th>
                    <th className="py-2 text-right font-medium">{labels.max}</th>
                    <th className="py-2 text-right font-medium">{t('productPage.volume')}</th>
                  </tr>
                </thead>
                <tbody>
                  {history.weeks.map((w) => (
                    <tr key={w.week} className="border-t border-stone-100">
                      <td className="py-2">
                        {w.week} <span className="text-stone-500">({w.weekStart})</span>
                      </td>
                      <td className="py-2 text-right tabular-nums">{yuan(w.minFenPerKg)}</td>
                      <td className="py-2 text-right tabular-nums">{yuan(w.medianFenPerKg)}</td>
                      <td className="py-2 text-right tabular-nums">{yuan(w.maxFenPerKg)}</td>
                      <td className="py-2 text-right tabular-nums">{kg(w.volumeG)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('productPage.listingsTitle')}</CardTitle>
        </CardHeader>
        <CardContent>
          {listings.length === 0 ? (
            <EmptyState title={t('productPage.noListings')} description={t('productPage.noListingsHint')} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[920px] text-left text-sm" data-testid="product-listings-table">
                <thead className="text-stone-500">
                  <tr>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('seller')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('batchNo')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('expiryDate')}</th>
                    <OfferHeaders labels={{ price: t('price'), available: t('available'), minOrder: t('minOrder'), quantityKg: t('cart.quantityKg') }} canBuy={canBuy} />
                  </tr>
                </thead>
                <tbody>
                  {listings.map((l) => (
                    <tr key={l.id} className="border-t border-stone-100" data-testid="listing-row" data-listing-id={l.id}>
                      <td className="whitespace-nowrap py-2 pr-3">{l.sellerName}</td>
                      <td className="whitespace-nowrap py-2 pr-3">{l.batchNo}</td>
                      <td className="whitespace-nowrap py-2 pr-3">{l.expiryDate}</td>
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
