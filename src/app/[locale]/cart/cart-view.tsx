'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { yuan } from '@/lib/display-format.ts';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { Link, useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { isOnlineMethod, PAYMENT_METHODS, type PaymentMethod } from '@/server/domains/orders/orders.core.ts';
import { checkKgQuantity } from '../catalog/quantity-kg.core.ts';
import { useKgQuantityMessage } from '../catalog/quantity-message.ts';


function newKey(): string {
  return `chk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function CartView() {
  const t = useTranslations('orders');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cart = useQuery(trpc.orders.cart.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.orders.cart.queryKey() });
  const update = useMutation(trpc.orders.updateCartItem.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.orders.removeCartItem.mutationOptions({ onSuccess: refresh }));
  // One key per checkout attempt: a double click or a retry sends the same key and gets the same orders.
  const key = useRef(newKey());
  const [method, setMethod] = useState<PaymentMethod>('card');
  const router = useRouter();
  const credit = useQuery({ ...trpc.orders.myCredit.queryOptions(), enabled: method === 'net_terms' });
  const checkout = useMutation(
    trpc.orders.checkout.mutationOptions({
      onSuccess: (result) => {
        key.current = newKey();
        void refresh();
        // Online methods continue on the checkout page, where the buyer pays.
        if (result.checkoutKey && result.paymentMethod && isOnlineMethod(result.paymentMethod)) router.push(`/checkout/${encodeURIComponent(result.checkoutKey)}`);
      },
    }),
  );
  const quantityMessage = useKgQuantityMessage();
  // A quantity's problem shows on its own row: what the check here found, else the server's answer to that row's update.
  const [rowProblems, setRowProblems] = useState<Record<string, string>>({});
  const updateErrors = fieldErrorsOf(update.error);
  const rowError = (lineId: string) => rowProblems[lineId] ?? (update.error && update.variables?.id === lineId ? (updateErrors.byField.grams ?? updateErrors.byField.id ?? updateErrors.message) : null);
  const setRowProblem = (lineId: string, problem: string | null) =>
    setRowProblems((all) => {
      if ((all[lineId] ?? null) === problem) return all;
      const next = { ...all };
      if (problem === null) delete next[lineId];
      else next[lineId] = problem;
      return next;
    });
  const checkoutErrors = fieldErrorsOf(checkout.error);
  // A refusal of the payment method (no credit line, over the limit, above what one online payment may be) shows beside the method.
  const methodError = checkoutErrors.byField.paymentMethod ?? null;
  const checkoutError = checkoutErrors.message ?? Object.entries(checkoutErrors.byField).find(([field]) => field !== 'paymentMethod')?.[1] ?? null;
  const data = cart.data;

  if (checkout.data) {
    const offline = checkout.data.paymentMethod && !isOnlineMethod(checkout.data.paymentMethod);
    return (
      <Alert tone="success" title={t('checkedOut', { count: checkout.data.orders.length })}>
        {offline ? <p className="mb-2">{t(`methodNext.${checkout.data.paymentMethod as 'bank_transfer' | 'net_terms'}`)}</p> : <p className="mb-2">{t('redirectingToPay')}</p>}
        <Link href="/orders" className="text-brand-700 underline" data-testid="cart-view-orders">
          {t('viewOrders')}
        </Link>
      </Alert>
    );
  }
  if (!data) return null;
  if (data.itemCount === 0) {
    return (
      <Card>
        <CardContent>
          <EmptyState title={t('emptyCart')} description={t('emptyCartHint')} />
          <Link href="/catalog" className="text-sm text-brand-700 hover:underline" data-testid="cart-to-catalog">
            {t('toCatalog')}
          </Link>
        </CardContent>
      </Card>
    );
  }
  return (
    <div className="space-y-4">
      {checkoutError ? <Alert tone="danger">{checkoutError}</Alert> : null}
      {data.sellers.map((group) => (
        <Card key={group.sellerOrgId}>
          <CardContent>
            <h2 className="mb-2 font-medium">{group.sellerName}</h2>
            <div className="overflow-x-auto">
              <table className="w-full min-w-[720px] text-left text-sm" data-testid="cart-table" data-seller-id={group.sellerOrgId}>
                <thead className="text-stone-500">
                  <tr>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('product')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 font-medium">{t('quantityKg')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 text-right font-medium">{t('unitPrice')}</th>
                    <th className="whitespace-nowrap py-2 pr-3 text-right font-medium">{t('lineTotal')}</th>
                    <th className="py-2" />
                  </tr>
                </thead>
                <tbody>
                  {group.lines.map((line) => {
                    const inputId = `cart-kg-${line.id}`;
                    const error = rowError(line.id);
                    return (
                      <tr key={line.id} className="border-t border-stone-100 align-top" data-testid="cart-row" data-listing-id={line.listingId}>
                        <td className="whitespace-nowrap py-2 pr-3 leading-9">{line.productName}</td>
                        <td className="py-2 pr-3">
                          <form
                            noValidate
                            className="flex items-center gap-2"
                            onSubmit={(e) => {
                              e.preventDefault();
                              const checked = checkKgQuantity(String(new FormData(e.currentTarget).get('kg') ?? ''), { minOrderG: line.minOrderG, availableG: line.availableG });
                              if (!checked.ok) {
                                if (update.variables?.id === line.id) update.reset();
                                setRowProblem(line.id, quantityMessage(checked.problem));
                                return;
                              }
                              setRowProblem(line.id, null);
                              update.mutate({ id: line.id, grams: checked.grams });
                            }}
                          >
                            <Input
                              id={inputId}
                              name="kg"
                              defaultValue={String(line.grams / 1000)}
                              inputMode="decimal"
                              className="w-24"
                              aria-label={t('quantityKg')}
                              aria-invalid={Boolean(error)}
                              aria-describedby={error ? `${inputId}-error` : undefined}
                              onChange={() => {
                                setRowProblem(line.id, null);
                                if (update.error && update.variables?.id === line.id) update.reset();
                              }}
                              data-testid="cart-kg"
                            />
                            <SubmitButton size="sm" variant="outline" disabled={update.isPending} className="whitespace-nowrap" data-testid="cart-update">
                              {t('update')}
                            </SubmitButton>
                          </form>
                          {error ? (
                            <p id={`${inputId}-error`} role="alert" className="mt-1 w-max max-w-72 text-xs text-cinnabar-500" data-testid="cart-kg-error">
                              {error}
                            </p>
                          ) : null}
                        </td>
                        <td className="whitespace-nowrap py-2 pr-3 text-right leading-9 tabular-nums">{yuan(line.unitPriceFenPerKg)}</td>
                        <td className="whitespace-nowrap py-2 pr-3 text-right leading-9 tabular-nums" data-testid="cart-line-total">
                          {yuan(line.lineTotalFen)}
                        </td>
                        <td className="py-2 text-right">
                          <Button size="sm" variant="ghost" disabled={remove.isPending} onClick={() => remove.mutate({ id: line.id })} className="whitespace-nowrap" data-testid="cart-remove">
                            {t('remove')}
                          </Button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
                <tfoot>
                  <tr className="border-t border-stone-200 font-medium">
                    <td className="py-2" colSpan={3}>
                      {t('orderTotal')}
                    </td>
                    <td className="whitespace-nowrap py-2 pr-3 text-right tabular-nums" data-testid="cart-seller-total">
                      {yuan(group.totalFen)}
                    </td>
                    <td />
                  </tr>
                </tfoot>
              </table>
            </div>
          </CardContent>
        </Card>
      ))}
      <div className="flex flex-wrap items-center justify-end gap-3">
        <span className="font-medium" data-testid="cart-grand-total">
          {t('grandTotal')}: {yuan(data.totalFen)}
        </span>
        <label className="flex items-center gap-2 text-sm">
          {t('paymentMethod')}
          <Select
            value={method}
            onChange={(e) => setMethod(e.target.value as PaymentMethod)}
            aria-invalid={Boolean(methodError)}
            aria-describedby={methodError ? 'cart-payment-method-error' : undefined}
            data-testid="cart-payment-method"
          >
            {PAYMENT_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`method.${m}`)}
              </option>
            ))}
          </Select>
        </label>
        <Button disabled={checkout.isPending} onClick={() => checkout.mutate({ idempotencyKey: key.current, paymentMethod: method })} data-testid="cart-checkout">
          {checkout.isPending ? t('checkingOut') : t('checkout')}
        </Button>
      </div>
      {methodError ? (
        <p id="cart-payment-method-error" role="alert" className="text-right text-sm text-cinnabar-500" data-testid="cart-payment-method-error">
          {methodError}
        </p>
      ) : null}
      <p className="text-right text-sm text-stone-600" data-testid="cart-method-hint">
        {t(`methodHint.${method}`)}
      </p>
      {method === 'net_terms' && credit.data ? (
        <ul className="text-right text-sm text-stone-600" data-testid="cart-credit">
          {credit.data.length === 0 ? <li>{t('credit.none')}</li> : null}
          {credit.data.map((c) => (
            <li key={c.id}>
              {t('credit.available', { seller: c.sellerName, available: yuan(c.availableFen), limit: yuan(c.limitFen), days: c.termDays })}
              {c.overdueInvoices > 0 ? <span className="ml-2 text-red-700">{t('credit.overdue', { count: c.overdueInvoices })}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
