'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { Link } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { yuan } from '../../orders/format.ts';

/**
 * Pays every order of the checkout at once. While an attempt is in flight the page polls until each
 * order is paid or declined; a declined payment can be tried again while the stock is held.
 */
export function PayView({ checkoutKey, sandbox }: { checkoutKey: string; sandbox: boolean }) {
  const t = useTranslations('orders');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const view = useQuery({
    ...trpc.orders.checkoutPayment.queryOptions({ checkoutKey }),
    refetchInterval: (query) => (query.state.data?.orders.some((o) => o.inFlight) ? 700 : false),
  });
  const pay = useMutation(
    trpc.orders.pay.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.orders.checkoutPayment.queryKey({ checkoutKey }), data),
    }),
  );
  const error = fieldErrorsOf(view.error ?? pay.error);
  const data = view.data;
  if (!data) return error.message ? <Alert tone="danger">{error.message}</Alert> : null;

  const processing = data.orders.some((o) => o.inFlight) || pay.isPending;
  const failed = data.orders.filter((o) => o.status === 'payment_failed');
  const open = data.orders.some((o) => (o.status === 'pending_payment' && !o.inFlight) || o.status === 'payment_failed');
  const allPaid = data.orders.every((o) => o.status !== 'pending_payment' && o.status !== 'payment_failed' && o.status !== 'cancelled');
  const lapsed = data.orders.every((o) => o.status === 'cancelled');
  const taxFen = data.orders.reduce((sum, o) => sum + o.taxFen, 0);
  const method = data.orders[0]?.paymentMethod ?? 'card';
  // Known issuer codes in the user's language; otherwise the bank's own words.
  const declineReason = (o: { declineCode: string | null; declineMessage: string | null }) =>
    o.declineCode === 'generic_decline' || o.declineCode === 'insufficient_funds' || o.declineCode === 'card_declined' ? t(`pay.declines.${o.declineCode}`) : (o.declineMessage ?? '—');

  return (
    <div className="space-y-4" data-testid="pay-view">
      <Card>
        <CardContent>
          <table className="w-full text-left text-sm">
            <thead className="text-stone-500">
              <tr>
                <th className="py-2 font-medium">{t('orderNo')}</th>
                <th className="py-2 font-medium">{t('seller')}</th>
                <th className="py-2 font-medium">{t('status')}</th>
                <th className="py-2 text-right font-medium">{t('total')}</th>
              </tr>
            </thead>
            <tbody>
              {data.orders.map((o) => (
                <tr key={o.id} className="border-t border-stone-100" data-testid="pay-order-row">
                  <td className="py-2">
                    <Link href={`/orders/${o.id}`} className="text-brand-700 hover:underline">
                      {o.id}
                    </Link>
                  </td>
                  <td className="py-2">{o.sellerName}</td>
                  <td className="py-2">
                    <Badge data-testid="pay-order-status">{t(`statuses.${o.status}`)}</Badge>
                  </td>
                  <td className="py-2 text-right">{yuan(o.totalFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="border-t border-stone-200 font-medium">
                <td className="py-2" colSpan={3}>
                  {t('pay.total')} · {t('pay.method')}: {t(`method.${method as 'card'}`)}
                </td>
                <td className="py-2 text-right" data-testid="pay-total">
                  {yuan(data.totalFen)}
                </td>
              </tr>
              <tr className="text-stone-600">
                <td className="py-1" colSpan={3}>
                  {t('pay.tax')}
                </td>
                <td className="py-1 text-right">{yuan(taxFen)}</td>
              </tr>
            </tfoot>
          </table>
        </CardContent>
      </Card>

      {error.message ? <Alert tone="danger">{error.message}</Alert> : null}
      {processing ? (
        <div role="status" aria-live="polite" className="flex items-center gap-2 text-sm" data-testid="pay-processing">
          <span className="h-4 w-4 animate-spin rounded-full border-2 border-brand-600 border-t-transparent" aria-hidden />
          {t('pay.processing')}
        </div>
      ) : null}
      {!processing && failed.length > 0 ? (
        <div data-testid="pay-failed">
          <Alert tone="danger">{t('pay.failed', { reason: declineReason(failed[0]!) })}</Alert>
        </div>
      ) : null}
      {!processing && allPaid ? (
        <div data-testid="pay-success">
          <Alert tone="success" title={t('pay.allPaid')}>
            <Link href="/orders" className="text-brand-700 underline">
              {t('pay.toOrders')}
            </Link>
          </Alert>
        </div>
      ) : null}
      {lapsed ? <Alert tone="danger">{t('pay.lapsed')}</Alert> : null}

      {open && !processing ? (
        <Card>
          <CardContent className="space-y-3">
            {sandbox ? <p className="text-sm text-stone-600">{t('pay.sandboxNote')}</p> : null}
            <p className="text-sm text-stone-600">{t('pay.window')}</p>
            <div className="flex flex-wrap gap-2">
              <Button disabled={pay.isPending} onClick={() => pay.mutate({ checkoutKey, outcome: 'confirm' })} data-testid="pay-confirm">
                {failed.length > 0 ? t('pay.retry') : t('pay.confirm')} {yuan(data.totalFen)}
              </Button>
              {sandbox ? (
                <Button variant="outline" disabled={pay.isPending} onClick={() => pay.mutate({ checkoutKey, outcome: 'decline' })} data-testid="pay-decline">
                  {t('pay.decline')}
                </Button>
              ) : null}
            </div>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
