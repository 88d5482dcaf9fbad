'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { Link, useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { isOnlineMethod, PAYMENT_METHODS, type PaymentMethod } from '@/server/domains/orders/orders.core.ts';
import { yuan } from '@/lib/display-format.ts';
import { lineTotalFen } from '@/server/domains/catalog/listings.core.ts';
import { kg as kgText } from '../format.ts';
import { gramsFromKg } from '@/lib/input-format.ts';

const newKey = () => `cof-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

function firstError(error: unknown): string | null {
  const e = fieldErrorsOf(error);
  return e.message ?? Object.values(e.byField)[0] ?? null;
}

/**
 * A member's winner choice for one lot and its call-offs on the chosen contract. A call-off is an
 * order to the winner at the contract price: once placed, the member is pointed at the order (and,
 * for card and wallets, at the checkout page to pay it).
 */
export function LotCallOff({ lotLabel, contracts, chosenContractId, leftG }: { lotLabel: string; contracts: { id: string; label: string; fenPerKg: number }[]; chosenContractId: string | null; leftG: number | null }) {
  const t = useTranslations('tenders');
  const to = useTranslations('orders');
  const trpc = useTRPC();
  const router = useRouter();
  const [choice, setChoice] = useState(chosenContractId ?? contracts[0]?.id ?? '');
  const [kg, setKg] = useState('');
  const [badKg, setBadKg] = useState(false);
  const [method, setMethod] = useState<PaymentMethod>('card');
  const key = useRef(newKey());
  const choose = useMutation(trpc.tenders.chooseWinner.mutationOptions({ onSuccess: () => router.refresh() }));
  const place = useMutation(
    trpc.tenders.placeCallOff.mutationOptions({
      onSuccess: () => {
        key.current = newKey();
        setKg('');
        router.refresh();
      },
    }),
  );
  const error = (badKg ? t('badCallOffKg') : null) ?? firstError(choose.error) ?? firstError(place.error);
  // What the call-off will cost at the contract price, shown before it is placed (it is an order to pay).
  const grams = gramsFromKg(kg);
  const price = contracts.find((c) => c.id === chosenContractId)?.fenPerKg;
  const totalFen = price !== undefined && Number.isSafeInteger(grams) && grams > 0 ? lineTotalFen(price, grams) : null;
  const placed = place.data;
  return (
    <div className="space-y-2 rounded-md border border-stone-200 p-3" data-testid="lot-call-off">
      <p className="text-sm font-medium">{lotLabel}</p>
      <div className="flex flex-wrap items-center gap-2">
        <Select className="w-full sm:w-80" value={choice} onChange={(e) => setChoice(e.target.value)} aria-label={t('chooseWinner')} data-testid="choose-winner-select">
          {contracts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </Select>
        <Button size="sm" variant="outline" disabled={choose.isPending || choice === chosenContractId} onClick={() => choose.mutate({ contractId: choice })} data-testid="choose-winner">
          {choice === chosenContractId ? t('chosen') : t('chooseWinner')}
        </Button>
      </div>
      {chosenContractId ? (
        <div className="flex flex-wrap items-center gap-2">
          <Input className="w-40" inputMode="decimal" value={kg} onChange={(e) => setKg(e.target.value)} placeholder={t('callOffKg')} aria-label={t('callOffKg')} data-testid="call-off-kg" />
          <Select className="w-40" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)} aria-label={to('paymentMethodLabel')} data-testid="call-off-method">
            {PAYMENT_METHODS.map((m) => (
              <option key={m} value={m}>
                {to(`method.${m}`)}
              </option>
            ))}
          </Select>
          <Button
            size="sm"
            disabled={place.isPending}
            onClick={() => {
              // A quantity that does not read as kilograms to the gram is named here, not sent.
              setBadKg(!(grams > 0));
              if (grams > 0) place.mutate({ contractId: chosenContractId, grams, idempotencyKey: key.current, paymentMethod: method });
              else place.reset();
            }}
            data-testid="call-off-place"
          >
            {t('placeCallOff')}
          </Button>
          {totalFen !== null ? (
            <span className="text-sm font-medium" data-testid="call-off-total">
              {t('callOffTotal', { total: yuan(totalFen) })}
            </span>
          ) : null}
          {leftG !== null ? <span className="text-xs text-stone-500">{t('callOffLeft', { kg: kgText(leftG) })}</span> : null}
        </div>
      ) : null}
      {placed ? (
        <p className="flex flex-wrap items-center gap-3 text-sm text-brand-700" role="status" data-testid="call-off-placed">
          <span>{t('callOffPlaced', { order: placed.orderId })}</span>
          <Link href={`/orders/${placed.orderId}`} className="underline" data-testid="call-off-order-link">
            {t('viewOrder')}
          </Link>
          {isOnlineMethod(placed.paymentMethod) && placed.orderStatus === 'pending_payment' ? (
            <Link href={`/checkout/${encodeURIComponent(placed.checkoutKey)}`} className="font-medium underline" data-testid="call-off-pay-link">
              {to('payNow')}
            </Link>
          ) : null}
        </p>
      ) : null}
      {error ? (
        <p className="text-xs text-cinnabar-500" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
