'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ConfirmBox } from '@/components/ui/confirm-box.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import type { CarrierCode } from '@/server/integrations/carriers/carriers.port.ts';
import type { SimScenario as SimScenarioCode } from '@/server/integrations/carriers/simulated.core.ts';
import { allowedOrderActions, type OrderAction as Action, type OrderActionContext } from './order-actions.core.ts';
import { fenFromYuan, gramsFromKg, numberFromText } from '@/lib/input-format.ts';

const newKey = () => `rfd-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * The actions the state table allows this side of the order, each behind a confirmation. A tender
 * call-off is accepted with the lot it ships from (`lotChoices`: the seller's lots that fit).
 */
export function OrderActions(
  props: OrderActionContext & {
    id: string;
    lotChoices?: { options: { id: string; label: string }[]; empty: string } | null;
    /** The seller's shipping choices: carriers (the simulated one only in the demo), its scenarios, the goods' weight. */
    shipping?: { carriers: { code: CarrierCode; name: string }[]; scenarios: { code: SimScenarioCode; label: string }[]; defaultWeightG: number } | null;
  },
) {
  const t = useTranslations('orders');
  const trpc = useTRPC();
  const router = useRouter();
  const [pending, setPending] = useState<Action | null>(null);
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [lotId, setLotId] = useState(props.lotChoices?.options[0]?.id ?? '');
  const refundKey = useRef(newKey());
  const [carrier, setCarrier] = useState(props.shipping?.carriers[0]?.code ?? 'sf');
  const [tracking, setTracking] = useState('');
  const [parcels, setParcels] = useState('1');
  const [weightKg, setWeightKg] = useState(props.shipping ? String(props.shipping.defaultWeightG / 1000) : '');
  const [scenario, setScenario] = useState<SimScenarioCode>('normal');
  const done = { onSuccess: () => { setPending(null); setReason(''); router.refresh(); } };
  const accept = useMutation(trpc.orders.accept.mutationOptions(done));
  const reject = useMutation(trpc.orders.reject.mutationOptions(done));
  const ship = useMutation(trpc.orders.ship.mutationOptions(done));
  const confirmDelivery = useMutation(trpc.orders.confirmDelivery.mutationOptions(done));
  const cancel = useMutation(trpc.orders.cancel.mutationOptions(done));
  const refund = useMutation(trpc.orders.refund.mutationOptions({ onSuccess: () => { refundKey.current = newKey(); setAmount(''); done.onSuccess(); } }));
  const dispute = useMutation(trpc.orders.dispute.mutationOptions(done));
  const withdrawDispute = useMutation(trpc.orders.withdrawDispute.mutationOptions(done));
  const all = [accept, reject, ship, confirmDelivery, cancel, refund, dispute, withdrawDispute];
  const busy = all.some((m) => m.isPending);
  const error = all.map((m) => fieldErrorsOf(m.error)).find((e) => e.message || Object.keys(e.byField).length);

  const allowed = allowedOrderActions(props);

  function run(action: Action) {
    if (action === 'accept') accept.mutate(props.lotChoices ? { id: props.id, lotId } : { id: props.id });
    if (action === 'reject') reject.mutate({ id: props.id, reason });
    if (action === 'ship') {
      const shipment = props.shipping
        ? {
            carrier,
            parcels: numberFromText(parcels),
            weightG: gramsFromKg(weightKg),
            ...(tracking.trim() ? { trackingNumber: tracking.trim() } : {}),
            ...(carrier === 'sim' ? { scenario } : {}),
          }
        : undefined;
      ship.mutate(shipment ? { id: props.id, shipment } : { id: props.id });
    }
    if (action === 'confirmDelivery') confirmDelivery.mutate({ id: props.id });
    if (action === 'cancel') cancel.mutate(reason.trim() ? { id: props.id, reason } : { id: props.id });
    if (action === 'dispute') dispute.mutate({ id: props.id, reason });
    if (action === 'withdrawDispute') withdrawDispute.mutate({ id: props.id });
    if (action === 'refund') {
      const fen = amount.trim() === '' ? undefined : fenFromYuan(amount);
      refund.mutate(fen === undefined ? { id: props.id, idempotencyKey: refundKey.current } : { id: props.id, idempotencyKey: refundKey.current, amountFen: fen });
    }
  }

  if (allowed.length === 0) return null;
  return (
    <div className="space-y-3" data-testid="order-actions">
      {error ? <Alert tone="danger">{error.message ?? Object.values(error.byField)[0]}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        {allowed.map((a) => (
          <Button key={a} variant={a === 'reject' || a === 'cancel' || a === 'dispute' ? 'destructive' : a === 'refund' || a === 'withdrawDispute' ? 'outline' : 'default'} disabled={busy} onClick={() => setPending(a)} data-testid={`order-action-${a}`}>
            {t(a)}
          </Button>
        ))}
      </div>
      {pending ? (
        <ConfirmBox
          prompt={t('confirmPrompt', { action: t(pending) })}
          confirmLabel={t('confirm')}
          backLabel={t('back')}
          tone={pending === 'reject' || pending === 'cancel' || pending === 'dispute' ? 'danger' : 'neutral'}
          busy={busy}
          onConfirm={() => run(pending)}
          onBack={() => setPending(null)}
          testId="order-action-confirm"
          confirmTestId="order-action-confirm-button"
          backTestId="order-action-dismiss"
        >
          {pending === 'dispute' ? <p className="text-sm text-stone-600">{t('disputeHint')}</p> : null}
          {pending === 'reject' || pending === 'cancel' || pending === 'dispute' ? (
            <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder={t('reason')} aria-label={t('reason')} data-testid="order-action-reason" />
          ) : null}
          {pending === 'accept' && props.lotChoices ? (
            props.lotChoices.options.length > 0 ? (
              <label className="flex flex-col gap-1 text-sm">
                {t('callOff.chooseLot')}
                <Select value={lotId} onChange={(e) => setLotId(e.target.value)} data-testid="order-accept-lot">
                  {props.lotChoices.options.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </Select>
                <span className="text-stone-500">{t('callOff.lotHint')}</span>
              </label>
            ) : (
              <p className="text-sm text-amber-800" data-testid="order-accept-no-lots">
                {props.lotChoices.empty}
              </p>
            )
          ) : null}
          {pending === 'ship' && props.shipping ? (
            <div className="grid gap-3 sm:grid-cols-2" data-testid="order-ship-form">
              <Field id="ship-carrier" label={t('ship.carrier')} error={error?.byField['shipment.carrier']}>
                <Select id="ship-carrier" value={carrier} onChange={(e) => setCarrier(e.target.value as typeof carrier)} data-testid="order-ship-carrier">
                  {props.shipping.carriers.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field id="ship-tracking" label={t('ship.tracking')} hint={carrier === 'sim' ? t('ship.trackingGenerated') : t('ship.trackingHint')} error={error?.byField['shipment.trackingNumber'] ?? error?.byField.trackingNumber}>
                <Input id="ship-tracking" value={tracking} maxLength={40} onChange={(e) => setTracking(e.target.value)} data-testid="order-ship-tracking" />
              </Field>
              <Field id="ship-parcels" label={t('ship.parcels')} error={error?.byField['shipment.parcels']}>
                <Input id="ship-parcels" inputMode="numeric" value={parcels} onChange={(e) => setParcels(e.target.value)} data-testid="order-ship-parcels" />
              </Field>
              <Field id="ship-weight" label={t('ship.weightKg')} error={error?.byField['shipment.weightG']}>
                <Input id="ship-weight" inputMode="decimal" value={weightKg} onChange={(e) => setWeightKg(e.target.value)} data-testid="order-ship-weight" />
              </Field>
              {carrier === 'sim' ? (
                <Field id="ship-scenario" label={t('ship.scenario')}>
                  <Select id="ship-scenario" value={scenario} onChange={(e) => setScenario(e.target.value as SimScenarioCode)} data-testid="order-ship-scenario">
                    {props.shipping.scenarios.map((sc) => (
                      <option key={sc.code} value={sc.code}>
                        {sc.label}
                      </option>
                    ))}
                  </Select>
                </Field>
              ) : null}
            </div>
          ) : null}
          {pending === 'refund' ? <Input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" placeholder={t('refundAmount')} aria-label={t('refundAmount')} data-testid="order-action-amount" /> : null}
        </ConfirmBox>
      ) : null}
    </div>
  );
}
