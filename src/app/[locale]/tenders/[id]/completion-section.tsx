import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Link } from '@/i18n/navigation.ts';
import { isOrderStatus } from '@/server/domains/orders/orders.core.ts';
import type { TenderCompletion } from '@/server/domains/orders/call-off.service.ts';
import type { TenderDetail } from '@/server/domains/tenders/tenders.service.ts';
import { kg, shanghai, yuanPerKg } from '../format.ts';
import { LotCallOff } from './call-off-forms.tsx';
import { CompletionChart } from './completion-chart.tsx';
import { yuan } from '@/lib/display-format.ts';


/**
 * Winner choice and call-offs (members), the call-off orders with their order state (each links to
 * its order, where it is paid, accepted, shipped and delivered), and the completion dashboard.
 */
export async function CompletionSection({ tender, completion, canOrder }: { tender: TenderDetail; completion: TenderCompletion; canOrder: boolean }) {
  const t = await getTranslations('tenders');
  const to = await getTranslations('orders');
  const lotLabel = (lotId: string) => {
    const lot = tender.lots.find((l) => l.id === lotId);
    return lot ? `${lot.lotNo} · ${lot.herbName}` : lotId;
  };
  const awardedLots = tender.lots.filter((l) => tender.contracts.some((c) => c.lotId === l.id));
  const leftOf = (lotId: string) => {
    const row = completion.scope === 'member' ? completion.rows.find((r) => r.lotId === lotId) : undefined;
    return row ? Math.max(0, row.agreedG - row.orderedG) : null;
  };
  return (
    <div className="space-y-4" data-testid="tender-completion">
      {completion.alerts.length > 0 ? (
        <Alert tone="warning" title={t('alertsTitle')}>
          <ul data-testid="completion-alerts">
            {completion.alerts.map((a) => (
              <li key={`${a.memberOrgId}:${a.lotId}`}>{t('alertBehind', { member: a.memberName, lot: lotLabel(a.lotId), ordered: kg(a.orderedG), expected: kg(a.expectedG) })}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      {tender.role === 'member' && canOrder ? (
        <div className="space-y-2">
          {awardedLots.map((l) => (
            <LotCallOff
              key={l.id}
              lotLabel={lotLabel(l.id)}
              contracts={tender.contracts.filter((c) => c.lotId === l.id).map((c) => ({ id: c.id, label: `${c.rank}. ${c.supplierName} · ${yuanPerKg(c.fenPerKg)}`, fenPerKg: c.fenPerKg }))}
              chosenContractId={completion.allocations.find((a) => a.lotId === l.id)?.contractId ?? null}
              leftG={leftOf(l.id)}
            />
          ))}
        </div>
      ) : null}

      {completion.byLot.length > 0 ? (
        <CompletionChart
          lots={completion.byLot.map((b) => ({ label: lotLabel(b.key), agreedG: b.agreedG, orderedG: b.orderedG, deliveredG: b.deliveredG }))}
          labels={{ agreed: t('agreed'), ordered: t('ordered'), delivered: t('delivered'), chart: t('completionChartLabel') }}
        />
      ) : (
        <p className="text-sm text-stone-500">{t('noAllocations')}</p>
      )}

      {completion.rows.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[640px] text-left text-sm" data-testid="completion-table">
            <thead className="text-stone-500">
              <tr>
                <th className="py-2 font-medium">{t('lotNo')}</th>
                <th className="py-2 font-medium">{t('member')}</th>
                <th className="py-2 font-medium">{t('supplier')}</th>
                <th className="py-2 text-right font-medium">{t('agreed')}</th>
                <th className="py-2 text-right font-medium">{t('ordered')}</th>
                <th className="py-2 text-right font-medium">{t('delivered')}</th>
                <th className="py-2 text-right font-medium">{t('expected')}</th>
                <th className="py-2 font-medium" />
              </tr>
            </thead>
            <tbody>
              {completion.rows.map((r) => (
                <tr key={`${r.contractId}:${r.memberOrgId}`} className="border-t border-stone-100" data-testid="completion-row">
                  <td className="py-2">{lotLabel(r.lotId)}</td>
                  <td className="py-2">{r.memberName}</td>
                  <td className="py-2">{r.supplierName}</td>
                  <td className="py-2 text-right" data-testid="completion-agreed">{kg(r.agreedG)}</td>
                  <td className="py-2 text-right" data-testid="completion-ordered">{kg(r.orderedG)}</td>
                  <td className="py-2 text-right" data-testid="completion-delivered">{kg(r.deliveredG)}</td>
                  <td className="py-2 text-right">{kg(r.expectedG)}</td>
                  <td className="py-2">
                    <Badge tone={r.behind ? 'warning' : 'success'}>{r.behind ? t('behind') : t('onTrack')}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {completion.scope === 'officer' && completion.bySupplier.length > 0 ? (
        <div className="grid gap-4 md:grid-cols-2 text-sm">
          {(
            [
              ['bySupplier', completion.bySupplier],
              ['byMember', completion.byMember],
            ] as const
          ).map(([title, list]) => (
            <div key={title}>
              <h3 className="font-medium">{t(title)}</h3>
              <ul>
                {list.map((x) => (
                  <li key={x.key}>
                    {x.name}: {kg(x.orderedG)} / {kg(x.agreedG)} · {t('delivered')} {kg(x.deliveredG)}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      ) : null}

      <h3 className="text-sm font-medium">{t('callOffs')}</h3>
      <p className="text-xs text-stone-500">{t('callOffNote')}</p>
      {completion.callOffs.length === 0 ? (
        <p className="text-sm text-stone-500">{t('noCallOffs')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[640px] text-left text-sm" data-testid="call-offs">
            <thead className="text-stone-500">
              <tr>
                <th className="py-2 font-medium">{t('placedAt')}</th>
                <th className="py-2 font-medium">{t('lotNo')}</th>
                <th className="py-2 font-medium">{t('member')}</th>
                <th className="py-2 font-medium">{t('supplier')}</th>
                <th className="py-2 text-right font-medium">{t('callOffKg')}</th>
                <th className="py-2 text-right font-medium">{t('total')}</th>
                <th className="py-2 pl-4 font-medium">{t('orderStatus')}</th>
                <th className="py-2 pl-4 font-medium">{t('order')}</th>
              </tr>
            </thead>
            <tbody>
              {completion.callOffs.map((c) => (
                <tr key={c.id} className="border-t border-stone-100" data-testid="call-off-row" data-order-id={c.orderId}>
                  <td className="py-2">{shanghai(c.createdAt)}</td>
                  <td className="py-2">{lotLabel(c.lotId)}</td>
                  <td className="py-2">{c.memberName}</td>
                  <td className="py-2">{c.supplierName}</td>
                  <td className="py-2 text-right">{kg(c.grams)}</td>
                  <td className="py-2 text-right">{yuan(c.totalFen)}</td>
                  <td className="py-2 pl-4">
                    <Badge tone={c.deliveredG > 0 ? 'success' : c.orderedG === 0 ? 'neutral' : 'info'} data-testid="call-off-order-status">
                      {isOrderStatus(c.orderStatus) ? to(`statuses.${c.orderStatus}`) : c.orderStatus}
                    </Badge>
                  </td>
                  <td className="py-2 pl-4">
                    {completion.scope === 'officer' ? (
                      <span className="font-mono text-xs">{c.orderId}</span>
                    ) : (
                      <Link href={`/orders/${c.orderId}`} className="text-brand-700 hover:underline" data-testid="call-off-order">
                        {c.orderId}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
