'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Link, useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { isOnlineMethod } from '@/server/domains/orders/orders.core.ts';
import { shanghai, yuan } from '../format.ts';
import { fenFromYuan } from '@/lib/input-format.ts';

interface InvoiceView {
  status: string;
  issuedAt: Date;
  dueAt: Date;
  paidAt: Date | null;
  paymentReference: string | null;
}

/**
 * How this order is paid, and what each side does about it: pay on the checkout page (online methods),
 * transfer and reconcile (bank transfer), or the invoice on terms.
 */
export function PaymentPanel(props: {
  id: string;
  side: 'buyer' | 'seller';
  status: string;
  paymentMethod: string;
  paymentReference: string | null;
  checkoutKey: string;
  totalFen: number;
  sellerName: string;
  invoice: InvoiceView | null;
  canSell: boolean;
}) {
  const t = useTranslations('orders');
  const trpc = useTRPC();
  const router = useRouter();
  const [reference, setReference] = useState('');
  const [amount, setAmount] = useState('');
  const confirmTransfer = useMutation(trpc.orders.confirmTransfer.mutationOptions({ onSuccess: () => router.refresh() }));
  const markInvoicePaid = useMutation(trpc.orders.markInvoicePaid.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = [confirmTransfer, markInvoicePaid].map((m) => fieldErrorsOf(m.error)).find((e) => e.message || Object.keys(e.byField).length);
  const seller = props.side === 'seller' && props.canSell;
  const unpaid = props.status === 'pending_payment' || props.status === 'payment_failed';

  return (
    <div className="space-y-3 text-sm" data-testid="order-payment-panel">
      <p>
        {t('paymentMethodLabel')}: <span data-testid="order-payment-method">{t(`method.${props.paymentMethod as 'card'}`)}</span>
      </p>
      {error ? <Alert tone="danger">{error.message ?? Object.values(error.byField)[0]}</Alert> : null}

      {isOnlineMethod(props.paymentMethod) && unpaid && props.side === 'buyer' ? (
        <Link href={`/checkout/${encodeURIComponent(props.checkoutKey)}`} className="text-brand-700 underline" data-testid="order-pay-now">
          {t('payNow')}
        </Link>
      ) : null}

      {props.paymentMethod === 'bank_transfer' ? (
        <div className="space-y-2">
          <h3 className="font-medium">{seller ? t('bank.sellerTitle') : t('bank.buyerTitle')}</h3>
          {props.paymentReference ? (
            <p data-testid="order-transfer-received">{t('bank.received', { reference: props.paymentReference })}</p>
          ) : props.side === 'buyer' ? (
            <p>{t('bank.buyerHint', { seller: props.sellerName, amount: yuan(props.totalFen), order: props.id })}</p>
          ) : seller && props.status === 'pending_payment' ? (
            <form
              className="flex flex-wrap items-end gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                confirmTransfer.mutate({ id: props.id, reference, amountFen: fenFromYuan(amount) });
              }}
            >
              <p className="w-full text-stone-600">{t('bank.sellerHint')}</p>
              <label className="flex flex-col gap-1">
                {t('bank.amount')}
                <Input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" required data-testid="transfer-amount" />
              </label>
              <label className="flex flex-col gap-1">
                {t('bank.reference')}
                <Input value={reference} onChange={(e) => setReference(e.target.value)} maxLength={64} required data-testid="transfer-reference" />
              </label>
              <SubmitButton disabled={confirmTransfer.isPending} data-testid="transfer-confirm">
                {t('bank.confirm')}
              </SubmitButton>
            </form>
          ) : null}
        </div>
      ) : null}

      {props.invoice ? (
        <div className="space-y-2" data-testid="order-invoice">
          <h3 className="font-medium">{t('invoice.title')}</h3>
          <dl className="grid grid-cols-2 gap-1 sm:grid-cols-4">
            <dt className="text-stone-500">{t('invoice.issued')}</dt>
            <dd>{shanghai(props.invoice.issuedAt)}</dd>
            <dt className="text-stone-500">{t('invoice.due')}</dt>
            <dd>{shanghai(props.invoice.dueAt)}</dd>
            <dt className="text-stone-500">{t('invoice.status')}</dt>
            <dd data-testid="order-invoice-status" className={props.invoice.status === 'overdue' ? 'font-medium text-red-700' : ''}>
              {t(`invoice.statuses.${props.invoice.status as 'open'}`)}
            </dd>
          </dl>
          {props.invoice.paidAt ? <p>{t('invoice.paidWith', { date: shanghai(props.invoice.paidAt), reference: props.invoice.paymentReference ?? '' })}</p> : null}
          {seller && props.invoice.status !== 'paid' ? (
            <form
              className="flex flex-wrap items-end gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                markInvoicePaid.mutate({ id: props.id, reference });
              }}
            >
              <label className="flex flex-col gap-1">
                {t('invoice.reference')}
                <Input value={reference} onChange={(e) => setReference(e.target.value)} maxLength={64} required data-testid="invoice-reference" />
              </label>
              <SubmitButton disabled={markInvoicePaid.isPending} data-testid="invoice-mark-paid">
                {t('invoice.markPaid')}
              </SubmitButton>
            </form>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
