import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { isOrderStatus } from '@/server/domains/orders/orders.core.ts';
import type { OrderDetail } from '@/server/domains/orders/orders.service.ts';
import { kg, shanghai, yuan } from '../format.ts';
import { OrderActions } from './order-actions.tsx';
import { allowedOrderActions } from './order-actions.core.ts';
import { isDemoMode } from '@/server/env.ts';
import { SIM_SCENARIOS } from '@/server/integrations/carriers/simulated.core.ts';
import { PaymentPanel } from './payment-panel.tsx';

const PAYMENT_STATUSES = ['none', 'authorized', 'declined', 'captured', 'canceled', 'awaiting_transfer', 'on_terms'] as const;
const TIMELINE_NOTES = ['authorized', 'charged', 'declined', 'captured', 'refund_requested', 'refunded', 'refunded_offline', 'retry', 'transfer_received', 'invoiced', 'invoice_overdue', 'invoice_paid', 'net_terms', 'authorization_canceled'] as const;
const percent = (bp: number) => `${bp / 100}%`;

export default async function OrderPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  const v = await requireOrgPage(locale, `/orders/${id}`, 'order:read');
  const t = await getTranslations('orders');
  let o: OrderDetail;
  try {
    o = await (await serverApi()).orders.order({ id });
  } catch {
    notFound();
  }
  const ts = await getTranslations('shipments');
  const shipments = v.permissions.includes('shipment:read') ? (await (await serverApi()).shipments.list({ side: 'all', orderId: o.id, limit: 20 })).items : [];
  const statusLabel = (s: string) => (isOrderStatus(s) ? t(`statuses.${s}`) : s);
  const noteLabel = (note: unknown) => ((TIMELINE_NOTES as readonly unknown[]).includes(note) ? t(`timelineNotes.${note as (typeof TIMELINE_NOTES)[number]}`) : t('timelineNotes.noted'));
  const reasonLabel = (reason: string) => (reason === 'payment_window_closed' ? t('closeReasons.payment_window_closed') : reason);
  // The actions card shows only when this side of the order has something to do now.
  const actionContext = { side: o.side, source: o.source, status: o.status, capturedFen: o.capturedFen, refundedFen: o.refundedFen, canSell: v.permissions.includes('listing:manage'), canBuy: v.permissions.includes('order:create') };
  const paymentLabel = (s: string) => ((PAYMENT_STATUSES as readonly string[]).includes(s) ? t(`paymentStatuses.${s as (typeof PAYMENT_STATUSES)[number]}`) : s);
  return (
    <div className="space-y-4">
      <PageHeader title={t('detailTitle', { id: o.id })}>
        <Link href={`/orders?side=${o.side}`} className="text-sm text-brand-700 hover:underline">
          {t('back')}
        </Link>
      </PageHeader>
      {o.callOff ? (
        <Card data-testid="order-call-off">
          <CardContent className="flex flex-wrap items-center gap-3 text-sm">
            <Badge tone="info">{t('callOff.badge')}</Badge>
            <span>{t('callOff.intro', { tender: o.callOff.tenderTitle, lotNo: o.callOff.lotNo, herb: o.callOff.herbName, spec: o.callOff.spec })}</span>
            <Link href={`/tenders/${o.callOff.tenderId}`} className="text-brand-700 hover:underline" data-testid="order-tender-link">
              {t('callOff.tenderLink')}
            </Link>
          </CardContent>
        </Card>
      ) : null}
      {o.marketTrade ? (
        <Card data-testid="order-market-trade">
          <CardContent className="flex flex-wrap items-center gap-3 text-sm">
            <Badge tone="info">{t('marketTrade.badge')}</Badge>
            <span>{t('marketTrade.intro', { instrument: o.marketTrade.instrumentName, kg: kg(o.marketTrade.grams), price: yuan(o.marketTrade.fenPerKg) })}</span>
            <Link href={`/market/${o.marketTrade.instrumentId}`} className="text-brand-700 hover:underline" data-testid="order-market-link">
              {t('marketTrade.marketLink')}
            </Link>
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardContent className="grid gap-2 text-sm sm:grid-cols-3">
          <div>
            {t('status')}: <Badge data-testid="order-detail-status">{statusLabel(o.status)}</Badge>
          </div>
          <div>
            {t('buyer')}: {o.buyerName}
          </div>
          <div>
            {t('seller')}: {o.sellerName}
          </div>
          <div data-testid="order-payment-status">
            {t('payment')}: {paymentLabel(o.paymentStatus)}
          </div>
          <div>
            {t('captured')}: {yuan(o.capturedFen)}
          </div>
          <div>
            {t('refunded')}: {yuan(o.refundedFen)}
          </div>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[560px] text-left text-sm" data-testid="order-lines-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('product')}</th>
                  <th className="whitespace-nowrap py-2 pl-3 text-right font-medium">{t('grams')}</th>
                  <th className="whitespace-nowrap py-2 pl-3 text-right font-medium">{t('unitPrice')}</th>
                  <th className="whitespace-nowrap py-2 pl-3 text-right font-medium">{t('lineTotal')}</th>
                </tr>
              </thead>
              <tbody>
                {o.lines.map((l) => (
                  <tr key={l.id} className="border-t border-stone-100" data-testid="order-line-row">
                    <td className="whitespace-nowrap py-2 pr-3">{l.productName}</td>
                    <td className="whitespace-nowrap py-2 pl-3 text-right tabular-nums">{kg(l.grams)}</td>
                    <td className="whitespace-nowrap py-2 pl-3 text-right tabular-nums">{yuan(l.priceFenPerKg)}</td>
                    <td className="whitespace-nowrap py-2 pl-3 text-right tabular-nums">{yuan(l.lineTotalFen)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot className="font-medium">
                <tr className="border-t border-stone-200">
                  <td className="py-1" colSpan={3}>
                    {t('subtotal')}
                  </td>
                  <td className="whitespace-nowrap py-1 pl-3 text-right tabular-nums">{yuan(o.subtotalFen)}</td>
                </tr>
                <tr>
                  <td className="py-1" colSpan={3}>
                    {t('shipping')}
                  </td>
                  <td className="whitespace-nowrap py-1 pl-3 text-right tabular-nums">{yuan(o.shippingFen)}</td>
                </tr>
                <tr>
                  <td className="py-1" colSpan={3}>
                    {t('total')}
                  </td>
                  <td className="whitespace-nowrap py-1 pl-3 text-right tabular-nums" data-testid="order-total">
                    {yuan(o.totalFen)}
                  </td>
                </tr>
                {o.taxLines.map((line) => (
                  <tr key={line.rateBp} className="font-normal text-stone-600" data-testid="order-tax-line">
                    <td className="py-1" colSpan={3}>
                      {t('tax')} · {t('taxRate', { rate: percent(line.rateBp) })} · {t('net')} {yuan(line.netFen)}
                    </td>
                    <td className="whitespace-nowrap py-1 pl-3 text-right tabular-nums">{yuan(line.taxFen)}</td>
                  </tr>
                ))}
              </tfoot>
            </table>
          </div>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <h2 className="mb-2 font-medium">{t('payment')}</h2>
          <PaymentPanel
            id={o.id}
            side={o.side}
            status={o.status}
            paymentMethod={o.paymentMethod}
            paymentReference={o.paymentReference}
            checkoutKey={o.checkoutKey}
            totalFen={o.totalFen}
            sellerName={o.sellerName}
            invoice={o.invoice}
            canSell={v.permissions.includes('listing:manage')}
          />
        </CardContent>
      </Card>
      {shipments.length > 0 ? (
        <Card data-testid="order-shipments">
          <CardContent>
            <h2 className="mb-2 font-medium">{t('ship.title')}</h2>
            <ul className="space-y-1 text-sm">
              {shipments.map((s) => (
                <li key={s.id} className="flex flex-wrap items-center gap-3">
                  <span>
                    {s.carrierName} · <span className="font-mono">{s.trackingNumber}</span>
                  </span>
                  <Badge tone={s.state === 'delivered' ? 'success' : s.state === 'exception' ? 'danger' : 'info'}>{ts(`states.${s.state}`)}</Badge>
                  <Link href={`/shipments/${s.id}`} className="text-brand-700 hover:underline" data-testid="order-shipment-link">
                    {ts('open')}
                  </Link>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}
      {allowedOrderActions(actionContext).length > 0 ? (
        <Card>
          <CardContent>
            <h2 className="mb-2 font-medium">{t('actions')}</h2>
            <OrderActions
              id={o.id}
              {...actionContext}
              shipping={
                o.side === 'seller'
                  ? {
                      carriers: (isDemoMode() ? (['sim', 'sf', 'jd'] as const) : (['sf', 'jd'] as const)).map((code) => ({ code, name: t(`ship.carriers.${code}`) })),
                      scenarios: SIM_SCENARIOS.map((code) => ({ code, label: t(`ship.scenarios.${code}`) })),
                      defaultWeightG: o.lines.reduce((sum, l) => sum + l.grams, 0),
                    }
                  : null
              }
              lotChoices={
                o.lotChoices && o.callOff
                  ? {
                      options: o.lotChoices.map((l) => ({ id: l.lotId, label: t('callOff.lotOption', { batch: l.batchNo, product: l.productName, kg: kg(l.availableG), expiry: l.expiryDate }) })),
                      empty: t('callOff.noLots', { herb: o.callOff.herbName, spec: o.callOff.spec }),
                    }
                  : null
              }
            />
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardContent>
          <h2 className="mb-2 font-medium">{t('timeline')}</h2>
          <ol className="space-y-1 text-sm" data-testid="order-timeline">
            {o.timeline.map((e) => (
              <li key={e.id} data-testid="order-timeline-row" className="flex gap-3">
                <span className="text-stone-500">{shanghai(e.at)}</span>
                <span>{e.from === e.to || e.data.payment ? `${statusLabel(e.to)} · ${noteLabel(e.data.payment)}` : statusLabel(e.to)}</span>
                <span className="text-stone-500">{t(`roles.${e.role === 'buyer' || e.role === 'seller' ? e.role : 'system'}`)}</span>
                {typeof e.data.amountFen === 'number' ? <span>{yuan(e.data.amountFen)}</span> : null}
                {e.reason ? <span>“{reasonLabel(e.reason)}”</span> : null}
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>
    </div>
  );
}
