import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { shanghai, yuanPerKg } from './format.ts';
import { instrumentOtherName } from './market-view.core.ts';
import { MarketLegalNote } from './legal-note.tsx';
import { PriceChange } from './price-change.tsx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('market');
  return { title: t('title') };
}

/** The spot market's instruments: last price (¥/kg), change against the previous close, trading status. */
export default async function MarketPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const v = await requireOrgPage(locale, '/market', 'catalog:read');
  const t = await getTranslations('market');
  const quotes = await (await serverApi()).market.quotes();
  // On pages in English each instrument is also named in pinyin, Latin and English words.
  const tc = await getTranslations('catalog');
  const otherName = locale === 'zh' ? null : (q: (typeof quotes)[number]) => instrumentOtherName(q, (part, code) => tc(`${part}.${code}` as 'forms.raw'));
  const canTrade = v.permissions.includes('market:trade');
  return (
    <div className="space-y-4">
      <PageHeader title={t('title')} intro={t('intro')}>
        {canTrade ? (
          <Link href="/market/mine" className="text-sm text-brand-700 hover:underline" data-testid="market-mine-link">
            {t('mine.link')}
          </Link>
        ) : null}
      </PageHeader>
      <MarketLegalNote />
      <Card>
        <CardContent>
          {quotes.length === 0 ? (
            <EmptyState title={t('list.empty')} description={t('list.emptyHint')} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[640px] text-left text-sm" data-testid="instrument-table">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('list.name')}</th>
                    <th className="py-2 text-right font-medium">{t('list.last')}</th>
                    <th className="py-2 text-right font-medium">{t('list.change')}</th>
                    <th className="py-2 text-right font-medium">{t('list.lastTradeAt')}</th>
                    <th className="py-2 pl-4 font-medium">{t('list.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {quotes.map((q) => (
                    <tr key={q.id} className="border-t border-stone-100" data-testid="instrument-row" data-instrument-id={q.id}>
                      <td className="py-2">
                        <Link href={`/market/${q.id}`} className="font-medium text-brand-700 hover:underline">
                          {q.name}
                        </Link>
                        {otherName ? (
                          <span className="block text-xs text-stone-500" data-testid="instrument-other-name">
                            {otherName(q)}
                          </span>
                        ) : null}
                      </td>
                      <td className="py-2 text-right tabular-nums" data-testid="instrument-last">
                        {q.lastFenPerKg === null ? <span className="text-stone-400">{t('list.noTrades')}</span> : yuanPerKg(q.lastFenPerKg)}
                      </td>
                      <td className="py-2 text-right">
                        <PriceChange changeFenPerKg={q.changeFenPerKg} changeBp={q.changeBp} />
                      </td>
                      <td className="py-2 text-right text-stone-500 tabular-nums">{q.lastTradeAt ? shanghai(q.lastTradeAt) : '—'}</td>
                      <td className="py-2 pl-4">
                        <Badge tone={q.status === 'active' ? 'success' : 'warning'} data-testid="instrument-status" data-status={q.status}>
                          {t(q.status === 'active' ? 'status.active' : 'status.halted')}
                        </Badge>
                      </td>
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
