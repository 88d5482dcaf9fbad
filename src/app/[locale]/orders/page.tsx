import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { FilterSelect, FilterSubmit } from '@/components/ui/filter-bar.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { isOrderStatus, ORDER_STATUSES } from '@/server/domains/orders/orders.core.ts';
import { kg, shanghai, yuan } from './format.ts';

const SORTS = ['date_desc', 'date_asc', 'total_desc', 'total_asc'] as const;
type Sort = (typeof SORTS)[number];

export default async function OrdersPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale } = await params;
  const query = await searchParams;
  const v = await requireOrgPage(locale, '/orders', 'order:read');
  const t = await getTranslations('orders');
  const side = query.side === 'seller' ? 'seller' : 'buyer';
  const statusParam = typeof query.status === 'string' ? query.status : '';
  const status = isOrderStatus(statusParam) ? statusParam : undefined;
  const sort: Sort = (SORTS as readonly string[]).includes(String(query.sort)) ? (query.sort as Sort) : 'date_desc';
  const rows = await (await serverApi()).orders.myOrders(status ? { side, status } : { side });
  const sorted = [...rows].sort((a, b) => {
    const byDate = new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime();
    const byTotal = a.totalFen - b.totalFen;
    const d = sort === 'date_asc' ? byDate : sort === 'date_desc' ? -byDate : sort === 'total_asc' ? byTotal : -byTotal;
    return d || a.id.localeCompare(b.id);
  });
  const tab = (s: 'buyer' | 'seller') => `rounded-md px-3 py-1.5 text-sm ${side === s ? 'bg-brand-700 text-white' : 'border border-stone-300'}`;
  return (
    <div className="space-y-4">
      <PageHeader title={t('ordersTitle')} intro={t('ordersIntro')}>
        {v.permissions.includes('listing:manage') ? (
          <Link href="/orders/credit" className="text-sm text-brand-700 hover:underline" data-testid="orders-credit-link">
            {t('creditLines.title')}
          </Link>
        ) : null}
      </PageHeader>
      <nav className="flex gap-2" data-testid="orders-tabs">
        <Link className={tab('buyer')} href="/orders?side=buyer" data-testid="orders-tab-buyer">
          {t('tabBuyer')}
        </Link>
        <Link className={tab('seller')} href="/orders?side=seller" data-testid="orders-tab-seller">
          {t('tabSeller')}
        </Link>
      </nav>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm" data-testid="orders-filter">
        <input type="hidden" name="side" value={side} />
        <FilterSelect name="status" label={t('status')} value={status ?? ''} options={[{ value: '', label: t('allStatuses') }, ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))]} />
        <FilterSelect
          name="sort"
          label={t('sortBy')}
          value={sort}
          options={[
            { value: 'date_desc', label: t('sortDateDesc') },
            { value: 'date_asc', label: t('sortDateAsc') },
            { value: 'total_desc', label: t('sortTotalDesc') },
            { value: 'total_asc', label: t('sortTotalAsc') },
          ]}
        />
        <FilterSubmit label={t('filter')} testId="orders-filter-submit" />
      </form>
      <Card>
        <CardContent>
          {sorted.length === 0 ? (
            <EmptyState title={t('noOrders')} description={t('noOrdersHint')} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[900px] text-left text-sm" data-testid="orders-table">
                <thead className="text-stone-500">
                  <tr>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('orderNo')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('product')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 text-right font-medium">{t('totalQuantity')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('counterparty')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('status')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 text-right font-medium">{t('total')}</th>
                    <th className="whitespace-nowrap py-2 text-right font-medium">{t('createdAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((o) => (
                    <tr key={o.id} className="border-t border-stone-100" data-testid="order-row" data-order-id={o.id}>
                      <td className="whitespace-nowrap py-2 pr-3">
                        <Link href={`/orders/${o.id}`} className="text-brand-700 hover:underline">
                          {o.id}
                        </Link>
                        {o.source === 'call_off' ? (
                          <Badge tone="info" className="ml-2" data-testid="order-call-off-badge">
                            {t('callOff.badge')}
                          </Badge>
                        ) : null}
                      </td>
                      <td className="whitespace-nowrap py-2 pr-3" data-testid="order-products">
                        {o.firstProductName === null ? '—' : o.lineCount > 1 ? t('lineProducts', { product: o.firstProductName, more: o.lineCount - 1 }) : o.firstProductName}
                      </td>
                      <td className="whitespace-nowrap py-2 pr-3 text-right tabular-nums" data-testid="order-quantity">
                        {o.lineCount > 0 ? kg(o.totalGrams) : '—'}
                      </td>
                      <td className="whitespace-nowrap py-2 pr-3">{o.counterpartyName}</td>
                      <td className="whitespace-nowrap py-2 pr-3">
                        <Badge data-testid="order-status">{isOrderStatus(o.status) ? t(`statuses.${o.status}`) : o.status}</Badge>
                      </td>
                      <td className="whitespace-nowrap py-2 pr-3 text-right tabular-nums">{yuan(o.totalFen)}</td>
                      <td className="whitespace-nowrap py-2 text-right tabular-nums">{shanghai(o.createdAt)}</td>
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
