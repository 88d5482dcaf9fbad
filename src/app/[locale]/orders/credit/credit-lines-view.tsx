'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { yuan } from '../format.ts';
import { fenFromYuan, numberFromText } from '@/lib/input-format.ts';

/** yuan as typed → integer fen (NaN for junk, so the server names the field). */

export function CreditLinesView() {
  const t = useTranslations('orders');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const credit = useQuery(trpc.orders.sellerCredit.queryOptions());
  const [buyerOrgId, setBuyerOrgId] = useState('');
  const [limit, setLimit] = useState('');
  const [days, setDays] = useState('30');
  const save = useMutation(
    trpc.orders.setCreditLine.mutationOptions({
      onSuccess: () => {
        setLimit('');
        void queryClient.invalidateQueries({ queryKey: trpc.orders.sellerCredit.queryKey() });
      },
    }),
  );
  const errors = fieldErrorsOf(save.error);
  const data = credit.data;
  if (credit.error) return <Alert tone="danger">{fieldErrorsOf(credit.error).message ?? credit.error.message}</Alert>;
  if (!data) return <p className="text-sm text-stone-500" role="status">{t('loading')}</p>;

  return (
    <div className="space-y-4">
      <Card>
        <CardContent>
          <form
            className="flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate({ buyerOrgId, limitFen: fenFromYuan(limit), termDays: numberFromText(days) });
            }}
            data-testid="credit-line-form"
          >
            <label className="flex flex-col gap-1 text-sm">
              {t('creditLines.buyer')}
              <Select value={buyerOrgId} onChange={(e) => setBuyerOrgId(e.target.value)} required aria-invalid={Boolean(errors.byField.buyerOrgId)} data-testid="credit-line-buyer">
                <option value="">{t('creditLines.chooseBuyer')}</option>
                {data.buyers.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </Select>
            </label>
            <label className="flex flex-col gap-1 text-sm">
              {t('creditLines.limit')}
              <Input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" required aria-invalid={Boolean(errors.byField.limitFen)} data-testid="credit-line-limit" />
            </label>
            <label className="flex flex-col gap-1 text-sm">
              {t('creditLines.termDays')}
              <Input value={days} onChange={(e) => setDays(e.target.value)} inputMode="numeric" required aria-invalid={Boolean(errors.byField.termDays)} data-testid="credit-line-days" />
            </label>
            <SubmitButton disabled={save.isPending} data-testid="credit-line-save">
              {t('creditLines.save')}
            </SubmitButton>
          </form>
          {errors.message || Object.keys(errors.byField).length ? (
            <div className="mt-3">
              <Alert tone="danger">{errors.message ?? Object.values(errors.byField)[0]}</Alert>
            </div>
          ) : null}
          {save.isSuccess ? <p className="mt-2 text-sm text-green-700">{t('creditLines.saved')}</p> : null}
        </CardContent>
      </Card>
      {data.lines.length === 0 ? (
        <EmptyState title={t('creditLines.empty')} />
      ) : (
        <Card>
          <CardContent>
            <table className="w-full text-left text-sm" data-testid="credit-lines-table">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('creditLines.buyer')}</th>
                  <th className="py-2 text-right font-medium">{t('creditLines.limit')}</th>
                  <th className="py-2 text-right font-medium">{t('creditLines.termDays')}</th>
                  <th className="py-2 text-right font-medium">{t('creditLines.outstanding')}</th>
                  <th className="py-2 text-right font-medium">{t('creditLines.available')}</th>
                  <th className="py-2 text-right font-medium">{t('creditLines.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {data.lines.map((l) => (
                  <tr key={l.id} className="border-t border-stone-100" data-testid="credit-line-row">
                    <td className="py-2">{l.buyerName}</td>
                    <td className="py-2 text-right">{yuan(l.limitFen)}</td>
                    <td className="py-2 text-right">{l.termDays}</td>
                    <td className="py-2 text-right">{yuan(l.outstandingFen)}</td>
                    <td className="py-2 text-right">{yuan(l.availableFen)}</td>
                    <td className={`py-2 text-right ${l.overdueInvoices > 0 ? 'font-medium text-red-700' : ''}`}>{l.overdueInvoices}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
