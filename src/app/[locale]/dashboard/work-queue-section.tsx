import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';
import { cn } from '@/lib/cn.ts';
import { workTone, type WorkItemKey } from '@/server/domains/dashboard/work-queue.core.ts';

export interface WorkQueueCard {
  key: WorkItemKey;
  href: string;
  count: number;
}

/**
 * "待办 / Waiting for you": one card per queue the person works, each a link to the page where the
 * work is done. An empty queue shows 0 in a calm tone, so the person knows nothing is waiting.
 */
export async function WorkQueueSection({ items }: { items: readonly WorkQueueCard[] }) {
  const t = await getTranslations('dashboard.work');
  return (
    <section aria-labelledby="work-queue-title" className="space-y-3" data-testid="work-queue">
      <div>
        <h2 id="work-queue-title" className="text-lg font-semibold">
          {t('title')}
        </h2>
        <p className="text-sm text-stone-600">{t('intro')}</p>
      </div>
      {items.length === 0 ? (
        <p className="text-sm text-stone-500" data-testid="work-queue-none">
          {t('none')}
        </p>
      ) : (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
          {items.map((item) => {
            const label = t(`items.${item.key}`);
            const waiting = workTone(item.count) === 'attention';
            return (
              <li key={item.key} className="min-w-0">
                <Link
                  href={item.href}
                  aria-label={t('cardLabel', { label, count: item.count })}
                  className="group block h-full rounded-lg"
                  data-testid="work-item"
                  data-key={item.key}
                  data-count={item.count}
                >
                  <Card className={cn('flex h-full flex-col justify-between gap-2 px-4 py-3 transition-colors group-hover:border-brand-600', waiting ? 'border-amber-300 bg-amber-50' : 'bg-stone-50')}>
                    <span className={cn('text-sm [overflow-wrap:anywhere]', waiting ? 'font-medium text-stone-900' : 'text-stone-600')}>{label}</span>
                    <span className={cn('text-2xl font-semibold tabular-nums', waiting ? 'text-amber-800' : 'text-stone-500')} data-testid={`work-count-${item.key}`}>
                      {item.count}
                    </span>
                  </Card>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
