import { getTranslations } from 'next-intl/server';
import { cn } from '@/lib/cn.ts';
import { kg, yuanPerKg } from '../format.ts';
import { spreadOf, type Level } from '../market-view.core.ts';

/** One side of the ladder, best price first, with the running total and a bar for it. */
async function Side({ side, levels }: { side: 'bids' | 'asks'; levels: readonly Level[] }) {
  const t = await getTranslations('market.book');
  const total = levels.reduce((s, l) => s + l[1], 0);
  let cum = 0;
  const bar = side === 'bids' ? 'bg-red-50' : 'bg-brand-50';
  const price = side === 'bids' ? 'text-cinnabar-500' : 'text-brand-600';
  return (
    <div>
      <h3 className={cn('mb-1 text-sm font-medium', price)}>{t(side)}</h3>
      {levels.length === 0 ? (
        <p className="py-3 text-sm text-stone-400" data-testid={`book-${side}-empty`}>
          {t(side === 'bids' ? 'noBids' : 'noAsks')}
        </p>
      ) : (
        <table className="w-full text-right text-sm tabular-nums" data-testid={`book-${side}`}>
          <thead className="text-xs text-stone-500">
            <tr>
              <th className="py-1 text-left font-medium">{t('price')}</th>
              <th className="py-1 font-medium">{t('qty')}</th>
              <th className="py-1 font-medium">{t('cum')}</th>
            </tr>
          </thead>
          <tbody>
            {levels.map(([fenPerKg, qtyG]) => {
              cum += qtyG;
              return (
                <tr key={fenPerKg} className="relative border-t border-stone-100" data-testid="book-level" data-price={fenPerKg} data-qty={qtyG}>
                  <td className={cn('relative py-1 text-left font-medium', price)}>
                    <span aria-hidden className={cn('absolute inset-y-0.5 left-0 -z-0 rounded-sm', bar)} style={{ width: `${Math.max(2, Math.round((cum / total) * 100))}%` }} />
                    <span className="relative">{yuanPerKg(fenPerKg)}</span>
                  </td>
                  <td className="py-1">{kg(qtyG)}</td>
                  <td className="py-1 text-stone-500">{kg(cum)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The order book ladder: bids (highest first) and asks (lowest first), grams summed per price. */
export async function OrderBookLadder({ bids, asks }: { bids: readonly Level[]; asks: readonly Level[] }) {
  const t = await getTranslations('market.book');
  const spread = spreadOf(bids, asks);
  return (
    <div className="space-y-3" data-testid="order-book">
      <div className="grid gap-4 sm:grid-cols-2">
        <Side side="bids" levels={bids} />
        <Side side="asks" levels={asks} />
      </div>
      <p className="text-xs text-stone-500" data-testid="book-spread">
        {spread === null ? t('noSpread') : spread <= 0 ? t('crossed') : t('spread', { spread: yuanPerKg(spread) })}
      </p>
    </div>
  );
}
