'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { gramsFromKg } from '@/lib/input-format.ts';
import { kg, shanghai, yuanPerKg } from '../format.ts';
import { kgInputOf } from '../market-view.core.ts';

export interface OpenOrder {
  orderId: string;
  side: 'buy' | 'sell';
  tif: string;
  qtyG: number;
  fenPerKg: number;
  filledG: number;
  openG: number;
  placedAt: Date | string;
}

const newKey = (what: string) => `mkt-${what}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

function firstError(error: unknown): string | null {
  const e = fieldErrorsOf(error);
  return e.message ?? Object.values(e.byField)[0] ?? null;
}

/** One resting order: cancel it, or reduce its open quantity (it keeps its time priority). */
function OpenOrderRow({ instrumentId, order, halted }: { instrumentId: string; order: OpenOrder; halted: boolean }) {
  const t = useTranslations('market.myOrders');
  const ts = useTranslations('market.sides');
  const trpc = useTRPC();
  const router = useRouter();
  const [amending, setAmending] = useState(false);
  const [qty, setQty] = useState(kgInputOf(order.openG));
  const cancelKey = useRef(newKey('cancel'));
  const amendKey = useRef(newKey('amend'));
  const cancel = useMutation(
    trpc.market.cancel.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: (error) => {
        if (error.data) cancelKey.current = newKey('cancel');
      },
    }),
  );
  const amend = useMutation(
    trpc.market.amend.mutationOptions({
      onSuccess: () => {
        amendKey.current = newKey('amend');
        setAmending(false);
        router.refresh();
      },
      onError: (error) => {
        if (error.data) amendKey.current = newKey('amend');
      },
    }),
  );
  const busy = cancel.isPending || amend.isPending;
  const error = firstError(cancel.error) ?? firstError(amend.error);
  const newQtyG = gramsFromKg(qty);
  const canAmend = Number.isSafeInteger(newQtyG) && newQtyG > 0 && newQtyG < order.openG;

  return (
    <tr className="border-t border-stone-100 align-top" data-testid="my-open-order" data-order-id={order.orderId} data-open={order.openG}>
      <td className="py-2">
        <Badge tone={order.side === 'buy' ? 'danger' : 'success'}>{ts(order.side)}</Badge>
        {/* The order's number, short: its last characters tell one's own few resting orders apart (whole number on hover). */}
        <span className="ml-2 font-mono text-xs text-stone-500" title={order.orderId}>
          …{order.orderId.slice(-6)}
        </span>
      </td>
      <td className="py-2 text-right tabular-nums">{yuanPerKg(order.fenPerKg)}</td>
      <td className="hidden py-2 text-right tabular-nums md:table-cell">{kg(order.qtyG)}</td>
      <td className="py-2 text-right tabular-nums">{kg(order.filledG)}</td>
      <td className="py-2 text-right font-medium tabular-nums">{kg(order.openG)}</td>
      <td className="hidden py-2 text-right text-stone-500 tabular-nums md:table-cell">{shanghai(order.placedAt)}</td>
      <td className="py-2 pl-3">
        <div className="flex flex-wrap items-center justify-end gap-2">
          {amending ? (
            <>
              <label className="sr-only" htmlFor={`amend-${order.orderId}`}>
                {t('amendTo')}
              </label>
              <Input id={`amend-${order.orderId}`} className="h-8 w-24" inputMode="decimal" value={qty} onChange={(e) => setQty(e.target.value)} data-testid="amend-qty" />
              <span className="text-xs text-stone-500">kg</span>
              <Button size="sm" disabled={busy || halted || !canAmend} onClick={() => amend.mutate({ instrumentId, idempotencyKey: amendKey.current, orderId: order.orderId, qtyG: newQtyG })} data-testid="amend-save">
                {t('amendSave')}
              </Button>
              <Button size="sm" variant="ghost" disabled={busy} onClick={() => setAmending(false)}>
                {t('amendCancel')}
              </Button>
            </>
          ) : (
            <Button size="sm" variant="outline" disabled={busy || halted || order.openG <= 1} onClick={() => setAmending(true)} data-testid="amend-open">
              {t('amend')}
            </Button>
          )}
          <Button size="sm" variant="outline" disabled={busy || halted} onClick={() => cancel.mutate({ instrumentId, idempotencyKey: cancelKey.current, orderId: order.orderId })} data-testid="cancel-order">
            {t('cancel')}
          </Button>
        </div>
        {amending && !canAmend && qty.trim() !== '' ? <p className="mt-1 text-right text-xs text-stone-500">{t('amendHint', { open: kg(order.openG) })}</p> : null}
        {error ? (
          <p role="alert" className="mt-1 text-right text-xs text-cinnabar-500" data-testid="my-open-order-error">
            {error}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

/** The organisation's resting orders on this instrument, with cancel and amend-down. */
export function MyOpenOrders({ instrumentId, orders, halted }: { instrumentId: string; orders: readonly OpenOrder[]; halted: boolean }) {
  const t = useTranslations('market.myOrders');
  return (
    <div className="overflow-x-auto">
      {/* On a phone the original quantity and the time give way, so cancel and amend stay on screen. */}
      <table className="w-full min-w-[520px] text-left text-sm md:min-w-[760px]" data-testid="my-open-orders">
        <thead className="text-stone-500">
          <tr>
            <th className="py-2 font-medium">{t('order')}</th>
            <th className="py-2 text-right font-medium">{t('price')}</th>
            <th className="hidden py-2 text-right font-medium md:table-cell">{t('qty')}</th>
            <th className="py-2 text-right font-medium">{t('filled')}</th>
            <th className="py-2 text-right font-medium">{t('open')}</th>
            <th className="hidden py-2 text-right font-medium md:table-cell">{t('placedAt')}</th>
            <th className="py-2 pl-3 text-right font-medium">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <OpenOrderRow key={o.orderId} instrumentId={instrumentId} order={o} halted={halted} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
