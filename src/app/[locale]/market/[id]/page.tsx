import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { addDays, shanghaiDay } from '@/server/domains/market/ohlc.core.ts';
import { kg, shanghai, yuanPerKg } from '../format.ts';
import { MarketLegalNote } from '../legal-note.tsx';
import { InstrumentLive } from '../live-refresh.tsx';
import { cumulativeDepth, instrumentOtherName } from '../market-view.core.ts';
import { PriceChange } from '../price-change.tsx';
import { CandleChart } from './candle-chart.tsx';
import { DepthChart } from './depth-chart.tsx';
import { MyOpenOrders } from './my-open-orders.tsx';
import { OrderBookLadder } from './order-book.tsx';
import { MAX_GTC_DAYS } from '@/server/domains/market/market.core.ts';
import { OrderForm } from './order-form.tsx';

const BOOK_DEPTH = 20;
/** The date picker's last day: a day inside the longest a GTC order may rest (the server checks the exact instant). */
const EXPIRY_PICKER_DAYS = MAX_GTC_DAYS - 1;
const RECENT_TRADES = 30;

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  const t = await getTranslations('market');
  const ins = await (await serverApi()).market.instrument({ instrumentId: id }).catch(() => null);
  return { title: ins ? ins.name : t('title') };
}

/**
 * One instrument: quote, order book ladder and depth chart, recent trades, daily candles with volume
 * and their export, and — for traders — the order form and the organisation's open orders on it.
 * Live: each book or trade message re-renders the page from the server.
 */
export default async function InstrumentPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  setRequestLocale(locale);
  const v = await requireOrgPage(locale, `/market/${id}`, 'catalog:read');
  const t = await getTranslations('market');
  const api = await serverApi();
  const ins = await api.market.instrument({ instrumentId: id }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
    throw error;
  });
  const canTrade = v.permissions.includes('market:trade');
  const tc = await getTranslations('catalog');
  const otherName = locale === 'zh' ? null : instrumentOtherName(ins, (part, code) => tc(`${part}.${code}` as 'forms.raw'));
  const [book, trades, ohlc, lots, orders] = await Promise.all([
    api.market.book({ instrumentId: id, depth: BOOK_DEPTH }),
    api.market.trades({ instrumentId: id, limit: RECENT_TRADES }),
    api.market.ohlc({ instrumentId: id }),
    canTrade ? api.market.sellableLots({ instrumentId: id }) : Promise.resolve([]),
    canTrade ? api.market.myOrders({ limit: 500 }) : Promise.resolve([]),
  ]);
  const openOrders = orders.filter((o) => o.instrumentId === id && o.openG > 0);
  const halted = ins.status !== 'active';
  const today = shanghaiDay(new Date());
  const depth = cumulativeDepth(book.bids, book.asks);
  const exportHref = (format: 'csv' | 'json') => `/api/market/ohlc?${new URLSearchParams({ instrument: id, from: ohlc.from, to: ohlc.to, format }).toString()}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold" data-testid="instrument-name">
            {ins.name}
          </h1>
          {otherName ? (
            <p className="text-sm text-stone-600" data-testid="instrument-other-name">
              {otherName}
            </p>
          ) : null}
          <div className="mt-1 flex flex-wrap items-center gap-3 text-sm">
            <Link href="/market" className="text-brand-700 hover:underline">
              {t('instrument.back')}
            </Link>
            {canTrade ? (
              <Link href={`/market/mine?instrument=${id}`} className="text-brand-700 hover:underline">
                {t('mine.link')}
              </Link>
            ) : null}
          </div>
        </div>
        <InstrumentLive instrumentId={id} />
      </div>

      <Card>
        <CardContent className="flex flex-wrap items-end gap-x-8 gap-y-3 pt-5">
          <div>
            <p className="text-xs text-stone-500">{t('instrument.last')}</p>
            <p className="text-2xl font-semibold tabular-nums" data-testid="instrument-last">
              {ins.lastFenPerKg === null ? '—' : yuanPerKg(ins.lastFenPerKg)}
            </p>
          </div>
          <div>
            <p className="text-xs text-stone-500">{t('instrument.change')}</p>
            <PriceChange changeFenPerKg={ins.changeFenPerKg} changeBp={ins.changeBp} className="text-lg" />
          </div>
          <div>
            <p className="text-xs text-stone-500">{t('instrument.prevClose')}</p>
            <p className="tabular-nums">{ins.prevCloseFenPerKg === null ? '—' : yuanPerKg(ins.prevCloseFenPerKg)}</p>
          </div>
          <div>
            <p className="text-xs text-stone-500">{t('instrument.lastTradeAt')}</p>
            <p className="tabular-nums">{ins.lastTradeAt ? shanghai(ins.lastTradeAt) : t('instrument.noTrades')}</p>
          </div>
          <div>
            <p className="text-xs text-stone-500">{t('list.status')}</p>
            <Badge tone={halted ? 'warning' : 'success'} data-testid="instrument-status" data-status={ins.status}>
              {t(halted ? 'status.halted' : 'status.active')}
            </Badge>
          </div>
        </CardContent>
      </Card>
      {halted ? <Alert tone="warning">{t('instrument.haltedNote')}</Alert> : null}
      <MarketLegalNote />

      <div className="grid gap-4 lg:grid-cols-5">
        <div className="space-y-4 lg:col-span-3">
          <Card>
            <CardHeader>
              <CardTitle>{t('book.title')}</CardTitle>
            </CardHeader>
            <CardContent className="space-y-4">
              <OrderBookLadder bids={book.bids} asks={book.asks} />
              {book.bids.length + book.asks.length > 0 ? (
                <DepthChart bids={depth.bids} asks={depth.asks} labels={{ bids: t('book.bids'), asks: t('book.asks'), price: t('book.priceAxis'), qty: t('book.qtyAxis') }} />
              ) : null}
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <CardTitle>{t('candles.title')}</CardTitle>
                <span className="flex gap-3 text-sm" data-testid="ohlc-export">
                  <span className="text-stone-500">{t('candles.export', { from: ohlc.from, to: ohlc.to })}</span>
                  <a href={exportHref('csv')} className="text-brand-700 hover:underline" data-testid="ohlc-export-csv">
                    CSV
                  </a>
                  <a href={exportHref('json')} className="text-brand-700 hover:underline" data-testid="ohlc-export-json">
                    JSON
                  </a>
                </span>
              </div>
              <p className="mt-1 text-xs text-stone-500">{t('candles.intro')}</p>
            </CardHeader>
            <CardContent>
              {ohlc.days.length === 0 ? (
                <EmptyState title={t('candles.empty')} description={t('candles.emptyHint')} />
              ) : (
                <CandleChart
                  days={ohlc.days}
                  labels={{ price: t('candles.priceAxis'), volume: t('candles.volume'), open: t('candles.open'), close: t('candles.close'), low: t('candles.low'), high: t('candles.high') }}
                />
              )}
            </CardContent>
          </Card>
        </div>

        <div className="space-y-4 lg:col-span-2">
          {canTrade ? (
            <Card>
              <CardHeader>
                <CardTitle>{t('form.title')}</CardTitle>
              </CardHeader>
              <CardContent>
                <OrderForm instrumentId={id} lots={lots} halted={halted} today={today} lastExpiryDay={addDays(today, EXPIRY_PICKER_DAYS)} />
              </CardContent>
            </Card>
          ) : (
            <Alert tone="info">
              <span data-testid="market-no-trade">{t(v.permissions.includes('market:operate') ? 'instrument.operatorNoTrade' : 'instrument.cannotTrade')}</span>
            </Alert>
          )}

          <Card>
            <CardHeader>
              <CardTitle>{t('trades.title')}</CardTitle>
            </CardHeader>
            <CardContent>
              {trades.length === 0 ? (
                <EmptyState title={t('trades.empty')} description={t('trades.emptyHint')} />
              ) : (
                <table className="w-full text-left text-sm" data-testid="recent-trades">
                  <thead className="text-stone-500">
                    <tr>
                      <th className="py-1.5 font-medium">{t('trades.time')}</th>
                      <th className="py-1.5 pl-2 text-right font-medium">{t('trades.price')}</th>
                      <th className="py-1.5 pl-2 text-right font-medium">{t('trades.qty')}</th>
                      <th className="py-1.5 pl-3 font-medium">{t('trades.mine')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {trades.map((tr) => (
                      <tr key={tr.tradeId} className="border-t border-stone-100" data-testid="recent-trade" data-mine={tr.mySide ?? ''}>
                        <td className="py-1.5 text-stone-500 tabular-nums">{shanghai(tr.at)}</td>
                        <td className="py-1.5 pl-2 text-right whitespace-nowrap tabular-nums">{yuanPerKg(tr.fenPerKg)}</td>
                        <td className="py-1.5 pl-2 text-right whitespace-nowrap tabular-nums">{kg(tr.grams)}</td>
                        <td className="py-1.5 pl-3 text-xs">
                          {tr.mySide ? (
                            <span>
                              <Badge tone={tr.mySide === 'buy' ? 'danger' : 'success'}>{t(`sides.${tr.mySide}`)}</Badge>
                              {tr.counterpartyName ? <span className="ml-1 text-stone-600">{t('trades.with', { name: tr.counterpartyName })}</span> : null}
                            </span>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </CardContent>
          </Card>
        </div>
      </div>

      {canTrade ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('myOrders.title')}</CardTitle>
          </CardHeader>
          <CardContent>
            {openOrders.length === 0 ? <EmptyState title={t('myOrders.empty')} description={t('myOrders.emptyHint')} /> : <MyOpenOrders instrumentId={id} orders={openOrders} halted={halted} />}
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
