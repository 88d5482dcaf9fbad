import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { FilterSelect, FilterSubmit } from '@/components/ui/filter-bar.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { kg, shanghai, yuan, yuanPerKg } from '../format.ts';
import { MarketLegalNote } from '../legal-note.tsx';
import { MyMarketLive } from '../live-refresh.tsx';
import { marketOrderIdOf, ORDER_STATES, orderState, ordinaryOrderIdOf, parseMineQuery, selectOrders, selectTrades } from '../market-view.core.ts';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('market.mine');
  return { title: t('title') };
}

const STATE_TONES = { open: 'info', partial: 'warning', filled: 'success', cancelled: 'neutral', expired: 'neutral', ioc_rest: 'neutral' } as const;

/**
 * The organisation's market orders and trades: filters and sorting in the URL, each trade linked to
 * the order it filled and to the ordinary order (payment, delivery) it became, with the counterparty
 * named (trading is disclosed between the parties). Live over the organisation's market stream.
 */
export default async function MyMarketPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  await requireOrgPage(locale, '/market/mine', 'market:trade');
  const t = await getTranslations('market');
  const q = parseMineQuery(await searchParams);
  const api = await serverApi();
  const [orders, trades, quotes, counterparties] = await Promise.all([api.market.myOrders({ limit: 500 }), api.market.myTrades({ limit: 500 }), api.market.quotes(), api.market.counterparties()]);
  const instrumentName = new Map(quotes.map((i) => [i.id, i.name]));
  const counterpartyName = new Map(counterparties.map((c) => [c.orgId, c.name]));
  const shownOrders = selectOrders(orders, q);
  const shownTrades = selectTrades(trades, q);
  const nameOf = (id: string) => instrumentName.get(id) ?? id;
  const sideBadge = (side: 'buy' | 'sell') => <Badge tone={side === 'buy' ? 'danger' : 'success'}>{t(`sides.${side}`)}</Badge>;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <PageHeader title={t('mine.title')} intro={t('mine.intro')}>
          <Link href="/market" className="mt-1 inline-block text-sm text-brand-700 hover:underline">
            {t('instrument.back')}
          </Link>
        </PageHeader>
        <MyMarketLive />
      </div>
      <MarketLegalNote />

      <form method="get" className="flex flex-wrap items-end gap-3 text-sm" data-testid="market-mine-filter">
        <FilterSelect name="instrument" label={t('mine.instrument')} value={q.instrument ?? ''} options={[{ value: '', label: t('mine.all') }, ...quotes.map((i) => ({ value: i.id, label: i.name }))]} testId="mine-filter-instrument" />
        <FilterSelect
          name="side"
          label={t('mine.side')}
          value={q.side ?? ''}
          options={[
            { value: '', label: t('mine.all') },
            { value: 'buy', label: t('sides.buy') },
            { value: 'sell', label: t('sides.sell') },
          ]}
          testId="mine-filter-side"
        />
        <FilterSelect name="state" label={t('mine.state')} value={q.state ?? ''} options={[{ value: '', label: t('mine.all') }, ...ORDER_STATES.map((s) => ({ value: s, label: t(`states.${s}`) }))]} testId="mine-filter-state" />
        <FilterSelect name="counterparty" label={t('mine.counterparty')} value={q.counterparty ?? ''} options={[{ value: '', label: t('mine.all') }, ...counterparties.map((c) => ({ value: c.orgId, label: c.name }))]} testId="mine-filter-counterparty" />
        <FilterSelect
          name="orderSort"
          label={t('mine.orderSort')}
          value={q.orderSort}
          options={(['placed_desc', 'placed_asc', 'price_desc', 'price_asc', 'qty_desc'] as const).map((s) => ({ value: s, label: t(`mine.orderSorts.${s}`) }))}
          testId="mine-order-sort"
        />
        <FilterSelect
          name="tradeSort"
          label={t('mine.tradeSort')}
          value={q.tradeSort}
          options={(['time_desc', 'time_asc', 'amount_desc', 'amount_asc', 'price_desc', 'price_asc'] as const).map((s) => ({ value: s, label: t(`mine.tradeSorts.${s}`) }))}
          testId="mine-trade-sort"
        />
        <FilterSubmit label={t('mine.apply')} testId="mine-filter-submit" />
        <Link href="/market/mine" className="py-1.5 text-brand-700 hover:underline">
          {t('mine.reset')}
        </Link>
      </form>

      <Card>
        <CardHeader>
          <CardTitle>{t('mine.orders', { count: shownOrders.length })}</CardTitle>
        </CardHeader>
        <CardContent>
          {shownOrders.length === 0 ? (
            <EmptyState title={orders.length === 0 ? t('mine.noOrders') : t('mine.noMatch')} description={orders.length === 0 ? t('mine.noOrdersHint') : t('mine.noMatchHint')} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[900px] text-left text-sm" data-testid="mine-orders">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('myOrders.order')}</th>
                    <th className="py-2 font-medium">{t('mine.instrument')}</th>
                    <th className="py-2 font-medium">{t('mine.side')}</th>
                    <th className="py-2 text-right font-medium">{t('myOrders.price')}</th>
                    <th className="py-2 text-right font-medium">{t('myOrders.qty')}</th>
                    <th className="py-2 text-right font-medium">{t('myOrders.filled')}</th>
                    <th className="py-2 text-right font-medium">{t('myOrders.open')}</th>
                    <th className="py-2 pl-3 font-medium">{t('mine.state')}</th>
                    <th className="py-2 text-right font-medium">{t('myOrders.placedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shownOrders.map((o) => {
                    const state = orderState(o);
                    return (
                      <tr key={o.orderId} id={`order-${o.orderId}`} className="scroll-mt-20 border-t border-stone-100 target:bg-amber-50" data-testid="mine-order" data-order-id={o.orderId} data-state={state}>
                        <td className="py-2 font-mono text-xs">{o.orderId}</td>
                        <td className="py-2">
                          <Link href={`/market/${o.instrumentId}`} className="text-brand-700 hover:underline">
                            {nameOf(o.instrumentId)}
                          </Link>
                        </td>
                        <td className="py-2">
                          {sideBadge(o.side)} <span className="text-xs text-stone-500">{o.tif === 'IOC' || o.tif === 'GTC' ? t(`tifs.${o.tif}`) : o.tif}</span>
                        </td>
                        <td className="py-2 text-right tabular-nums">{yuanPerKg(o.fenPerKg)}</td>
                        <td className="py-2 text-right tabular-nums">{kg(o.qtyG)}</td>
                        <td className="py-2 text-right tabular-nums">{kg(o.filledG)}</td>
                        <td className="py-2 text-right tabular-nums">{kg(o.openG)}</td>
                        <td className="py-2 pl-3">
                          <Badge tone={STATE_TONES[state]}>{t(`states.${state}`)}</Badge>
                        </td>
                        <td className="py-2 text-right text-stone-500 tabular-nums">{shanghai(o.placedAt)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t('mine.trades', { count: shownTrades.length })}</CardTitle>
        </CardHeader>
        <CardContent>
          {shownTrades.length === 0 ? (
            <EmptyState title={trades.length === 0 ? t('mine.noTrades') : t('mine.noMatch')} description={trades.length === 0 ? t('mine.noTradesHint') : t('mine.noMatchHint')} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[960px] text-left text-sm" data-testid="mine-trades">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('trades.time')}</th>
                    <th className="py-2 font-medium">{t('mine.instrument')}</th>
                    <th className="py-2 font-medium">{t('mine.side')}</th>
                    <th className="py-2 font-medium">{t('mine.counterparty')}</th>
                    <th className="py-2 text-right font-medium">{t('trades.price')}</th>
                    <th className="py-2 text-right font-medium">{t('trades.qty')}</th>
                    <th className="py-2 text-right font-medium">{t('mine.amount')}</th>
                    <th className="py-2 pl-3 font-medium">{t('mine.marketOrder')}</th>
                    <th className="py-2 pl-3 font-medium">{t('mine.tradeOrder')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shownTrades.map((tr) => {
                    const marketOrderId = marketOrderIdOf(tr);
                    const ordinaryOrderId = ordinaryOrderIdOf(tr);
                    return (
                      <tr key={tr.tradeId} className="border-t border-stone-100" data-testid="mine-trade" data-trade-id={tr.tradeId}>
                        <td className="py-2 text-stone-500 tabular-nums">{shanghai(tr.at)}</td>
                        <td className="py-2">
                          <Link href={`/market/${tr.instrumentId}`} className="text-brand-700 hover:underline">
                            {nameOf(tr.instrumentId)}
                          </Link>
                        </td>
                        <td className="py-2">{sideBadge(tr.side)}</td>
                        <td className="py-2" data-testid="mine-trade-counterparty">
                          {counterpartyName.get(tr.counterpartyOrgId) ?? tr.counterpartyOrgId}
                        </td>
                        <td className="py-2 text-right tabular-nums">{yuanPerKg(tr.fenPerKg)}</td>
                        <td className="py-2 text-right tabular-nums">{kg(tr.grams)}</td>
                        <td className="py-2 text-right tabular-nums">{yuan(tr.totalFen)}</td>
                        <td className="py-2 pl-3 font-mono text-xs">
                          {marketOrderId ? (
                            <a href={`#order-${marketOrderId}`} className="text-brand-700 hover:underline" data-testid="mine-trade-market-order">
                              {marketOrderId}
                            </a>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td className="py-2 pl-3 font-mono text-xs">
                          {ordinaryOrderId ? (
                            <Link href={`/orders/${ordinaryOrderId}`} className="text-brand-700 hover:underline" data-testid="mine-trade-order">
                              {ordinaryOrderId}
                            </Link>
                          ) : (
                            <span className="font-sans text-stone-400">{t('mine.noTradeOrder')}</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
