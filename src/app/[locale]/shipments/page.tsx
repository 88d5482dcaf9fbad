import { getTranslations } from 'next-intl/server';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { FilterSelect, FilterSubmit } from '@/components/ui/filter-bar.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { isShipmentState, SHIPMENT_STATES } from '@/server/domains/delivery/shipments.core.ts';
import { shanghai } from '../orders/format.ts';
import { ShipmentFlags, ShipmentStateBadge } from './shipment-badges.tsx';

const SORTS = ['newest', 'eta'] as const;
type Sort = (typeof SORTS)[number];
const SIDES = ['all', 'sent', 'received'] as const;
type Side = (typeof SIDES)[number];

/** Logistics staff's list: every shipment the organisation sent, receives or follows, with filters. */
export default async function ShipmentsPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { locale } = await params;
  const query = await searchParams;
  await requireOrgPage(locale, '/shipments', 'shipment:read');
  const t = await getTranslations('shipments');
  const side: Side = (SIDES as readonly string[]).includes(String(query.side)) ? (query.side as Side) : 'all';
  const stateParam = typeof query.state === 'string' ? query.state : '';
  const state = isShipmentState(stateParam) ? stateParam : undefined;
  const sort: Sort = (SORTS as readonly string[]).includes(String(query.sort)) ? (query.sort as Sort) : 'newest';
  const flag = (name: string) => query[name] === '1';
  const { items } = await (await serverApi()).shipments.list({
    side,
    limit: 200,
    ...(state ? { state } : {}),
    ...(flag('late') ? { late: true } : {}),
    ...(flag('exception') ? { exception: true } : {}),
    ...(flag('coldChain') ? { coldChain: true } : {}),
  });
  const rows = sort === 'eta' ? [...items].sort((a, b) => (a.eta ?? '9999').localeCompare(b.eta ?? '9999') || a.id.localeCompare(b.id)) : items;
  const tab = (s: Side) => `rounded-md px-3 py-1.5 text-sm ${side === s ? 'bg-brand-700 text-white' : 'border border-stone-300'}`;

  return (
    <div className="space-y-4">
      <PageHeader title={t('title')} intro={t('intro')} />
      <nav className="flex gap-2" aria-label={t('title')}>
        {SIDES.map((s) => (
          <Link key={s} className={tab(s)} href={`/shipments?side=${s}`} data-testid={`shipments-tab-${s}`}>
            {t(`side.${s}`)}
          </Link>
        ))}
      </nav>
      <form method="get" className="flex flex-wrap items-end gap-4 text-sm" data-testid="shipments-filter">
        <input type="hidden" name="side" value={side} />
        <FilterSelect name="state" label={t('filters.state')} value={state ?? ''} options={[{ value: '', label: t('filters.allStates') }, ...SHIPMENT_STATES.map((s) => ({ value: s, label: t(`states.${s}`) }))]} />
        {(['late', 'exception', 'coldChain'] as const).map((name) => (
          <label key={name} className="flex items-center gap-1.5 pb-1.5">
            <input type="checkbox" name={name} value="1" defaultChecked={flag(name)} data-testid={`shipments-filter-${name}`} />
            {t(`filters.${name}`)}
          </label>
        ))}
        <FilterSelect
          name="sort"
          label={t('filters.sort')}
          value={sort}
          options={[
            { value: 'newest', label: t('filters.sortNewest') },
            { value: 'eta', label: t('filters.sortEta') },
          ]}
        />
        <FilterSubmit label={t('filters.apply')} testId="shipments-filter-submit" />
      </form>
      <Card>
        <CardContent>
          {rows.length === 0 ? (
            <EmptyState title={t('empty')} description={t('emptyHint')} />
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[900px] text-left text-sm [&_td]:whitespace-nowrap" data-testid="shipments-table">
                <thead className="text-stone-500">
                  <tr className="border-b border-stone-200">
                    <th className="py-2 font-medium">{t('columns.tracking')}</th>
                    <th className="py-2 font-medium">{t('columns.carrier')}</th>
                    <th className="py-2 font-medium">{t('columns.route')}</th>
                    <th className="py-2 font-medium">{t('columns.state')}</th>
                    <th className="py-2 font-medium">{t('columns.eta')}</th>
                    <th className="py-2 font-medium">{t('columns.lastEvent')}</th>
                    <th className="py-2 font-medium">{t('columns.flags')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => (
                    <tr key={s.id} className="border-b border-stone-100" data-testid="shipment-row">
                      <td className="py-2">
                        <Link href={`/shipments/${s.id}`} className="font-mono text-brand-700 hover:underline">
                          {s.trackingNumber}
                        </Link>
                      </td>
                      <td className="py-2">{s.carrierName}</td>
                      <td className="py-2">
                        {s.sender.name} → {s.receiver.name}
                      </td>
                      <td className="py-2">
                        <ShipmentStateBadge state={s.state} label={t(`states.${s.state}`)} />
                      </td>
                      <td className="py-2">{s.eta ? shanghai(s.eta) : '—'}</td>
                      <td className="py-2">{s.lastEventAt ? shanghai(s.lastEventAt) : '—'}</td>
                      <td className="py-2">
                        <ShipmentFlags shipment={s} labels={{ late: t('badges.late'), coldChain: t('badges.coldChain'), excursion: t('badges.excursion'), return: t('badges.return') }} />
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
