'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ConfirmBox } from '@/components/ui/confirm-box.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { Field } from '@/components/ui/field.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { HandoverFields, initialHandover, shipmentOf, type HandoverOptions } from './handover-fields.tsx';
import { numberFromText } from '@/lib/input-format.ts';

const STEPS = ['soak', 'first_boil', 'boil', 'late_add', 'second_boil', 'pack'] as const;
type Step = (typeof STEPS)[number];

export interface RxActionItem {
  id: string;
  label: string;
  dispensed: boolean;
  checked: boolean;
  dispensedByMe: boolean;
}

export interface RxActionProps {
  id: string;
  /** What the page lets this viewer try (the server decides). */
  can: {
    override: boolean;
    review: boolean;
    /** Within review: approving is open (not while a blocking flag awaits the countersignature). */
    approve: boolean;
    cancel: boolean;
    routeAgain: boolean;
    startDispensing: boolean;
    dispensing: boolean;
    decocting: boolean;
    pickup: boolean;
    delivered: boolean;
  };
  items: RxActionItem[];
  /** Delivery: the next step hands the medicine to a carrier (the hand-over form is shown). */
  ships?: { afterDispensing: boolean; afterDecoction: boolean; options: HandoverOptions } | null;
}

/** Moves that cannot be undone: each asks once more before it is sent. */
type Irreversible = 'override' | 'reject' | 'cancel' | 'finishDecoction';

/** A count on the decoction log (minutes, bags), its error under it. */
function StepCount({ id, label, value, onChange, error, testId }: { id: string; label: string; value: string; onChange: (value: string) => void; error: string | undefined; testId?: string }) {
  return (
    <label className="space-y-1">
      <span className="block text-stone-600">{label}</span>
      <Input
        inputMode="numeric"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="w-24"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={testId}
      />
      {error ? (
        <span id={`${id}-error`} role="alert" className="block max-w-48 text-xs text-cinnabar-500">
          {error}
        </span>
      ) : null}
    </label>
  );
}

/** Buttons and small forms for the moves the state table allows this viewer; errors shown as sent. */
export function RxActions({ id, can, items, ships = null }: RxActionProps) {
  const t = useTranslations('rx');
  const trpc = useTRPC();
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<Step>('soak');
  const [minutes, setMinutes] = useState('');
  const [bags, setBags] = useState('');
  const [handover, setHandover] = useState(() => (ships ? initialHandover(ships.options) : null));
  const done = { onSuccess: () => { setReason(''); router.refresh(); } };
  const override = useMutation(trpc.prescriptions.override.mutationOptions(done));
  const review = useMutation(trpc.prescriptions.review.mutationOptions(done));
  const cancel = useMutation(trpc.prescriptions.cancel.mutationOptions(done));
  const routeAgain = useMutation(trpc.prescriptions.routeAgain.mutationOptions(done));
  const start = useMutation(trpc.prescriptions.startDispensing.mutationOptions(done));
  const dispense = useMutation(trpc.prescriptions.dispenseItem.mutationOptions(done));
  const check = useMutation(trpc.prescriptions.checkItem.mutationOptions(done));
  const finishDispensing = useMutation(trpc.prescriptions.finishDispensing.mutationOptions(done));
  const logStep = useMutation(trpc.prescriptions.decoctionStep.mutationOptions({ onSuccess: () => { setMinutes(''); setBags(''); router.refresh(); } }));
  const finishDecoction = useMutation(trpc.prescriptions.finishDecoction.mutationOptions(done));
  const pickup = useMutation(trpc.prescriptions.confirmPickup.mutationOptions(done));
  const delivered = useMutation(trpc.prescriptions.confirmDelivered.mutationOptions(done));
  const all = [override, review, cancel, routeAgain, start, dispense, check, finishDispensing, logStep, finishDecoction, pickup, delivered];
  const busy = all.some((m) => m.isPending);
  const error = all.map((m) => fieldErrorsOf(m.error)).find((e) => e.message || Object.keys(e.byField).length);
  const needsReason = can.override || can.review || can.cancel;
  // The decoction log's own field errors show under their inputs, not at the top of the card.
  const stepErrors = fieldErrorsOf(logStep.error).byField;
  const stepFieldShown = Boolean(stepErrors.minutes || stepErrors.bags);
  const [pending, setPending] = useState<Irreversible | null>(null);
  const withShipment = (after: boolean) => (ships && handover && after ? { shipment: shipmentOf(handover) } : {});
  const irreversible: Record<Irreversible, () => void> = {
    override: () => override.mutate({ id, reason }),
    reject: () => review.mutate({ id, decision: 'rejected', reason }),
    cancel: () => cancel.mutate({ id, reason }),
    // Ends the decoction log and, for delivery, hands the parcel to the carrier.
    finishDecoction: () => finishDecoction.mutate({ id, ...withShipment(ships?.afterDecoction ?? false) }),
  };
  const ask = (action: Irreversible) => {
    // Without the reason they need, send at once: the refusal names the field.
    if ((action === 'override' || action === 'reject') && !reason.trim()) irreversible[action]();
    else setPending(action);
  };
  const confirmBox = pending ? (
    <ConfirmBox
      prompt={pending === 'finishDecoction' ? t(ships?.afterDecoction ? 'actions.finishDecoctionShipPrompt' : 'actions.finishDecoctionPrompt') : t('actions.confirmPrompt', { action: t(`actions.${pending}`) })}
      confirmLabel={pending === 'finishDecoction' ? t('actions.finishDecoctionConfirm') : t('actions.confirm', { action: t(`actions.${pending}`) })}
      backLabel={t('actions.back')}
      tone={pending === 'finishDecoction' ? 'neutral' : 'danger'}
      busy={busy}
      onConfirm={() => {
        irreversible[pending]();
        setPending(null);
      }}
      onBack={() => setPending(null)}
      testId="rx-confirm-box"
      confirmTestId="rx-confirm"
    />
  ) : null;
  const handoverShown = Boolean(ships && handover && ((can.dispensing && ships.afterDispensing) || (can.decocting && ships.afterDecoction)));
  const handoverErrors = handoverShown && error && Object.keys(error.byField).every((f) => f === 'shipment' || f.startsWith('shipment.')) && Object.keys(error.byField).length > 0;
  const handoverForm = ships && handover ? <HandoverFields value={handover} onChange={setHandover} options={ships.options} errors={error?.byField ?? {}} /> : null;

  return (
    <div className="space-y-3" data-testid="rx-actions">
      {error && !(needsReason && error.byField.reason) && !handoverErrors && !stepFieldShown ? <Alert tone="danger">{error.message ?? Object.values(error.byField)[0]}</Alert> : null}
      {needsReason ? (
        <Field id="rx-reason" label={t('actions.reason')} error={error?.byField.reason}>
          <Input id="rx-reason" aria-invalid={error?.byField.reason ? true : undefined} aria-describedby={error?.byField.reason ? 'rx-reason-error' : undefined} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="rx-reason" />
        </Field>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {can.override ? (
          <Button variant="destructive" disabled={busy} onClick={() => ask('override')} data-testid="rx-override">
            {t('actions.override')}
          </Button>
        ) : null}
        {can.review ? (
          <>
            <Button
              disabled={busy || !can.approve}
              aria-describedby={can.approve ? undefined : 'rx-approve-hint'}
              onClick={() => review.mutate({ id, decision: 'approved', ...(reason.trim() ? { reason } : {}) })}
              data-testid="rx-approve"
            >
              {t('actions.approve')}
            </Button>
            <Button variant="destructive" disabled={busy} onClick={() => ask('reject')} data-testid="rx-reject">
              {t('actions.reject')}
            </Button>
          </>
        ) : null}
        {can.routeAgain ? (
          <Button variant="outline" disabled={busy} onClick={() => routeAgain.mutate({ id })} data-testid="rx-route-again">
            {t('actions.routeAgain')}
          </Button>
        ) : null}
        {can.cancel ? (
          <Button variant="outline" disabled={busy} onClick={() => ask('cancel')} data-testid="rx-cancel">
            {t('actions.cancel')}
          </Button>
        ) : null}
        {can.startDispensing ? (
          <Button disabled={busy} onClick={() => start.mutate({ id })} data-testid="rx-start-dispensing">
            {t('actions.startDispensing')}
          </Button>
        ) : null}
        {can.delivered ? (
          <Button disabled={busy} onClick={() => delivered.mutate({ id })} data-testid="rx-delivered">
            {t('actions.delivered')}
          </Button>
        ) : null}
      </div>
      {can.review && !can.approve ? (
        <p id="rx-approve-hint" className="text-xs text-stone-600" data-testid="rx-approve-hint">
          {t('actions.approveAfterOverride')}
        </p>
      ) : null}
      {pending !== 'finishDecoction' ? confirmBox : null}

      {can.dispensing ? (
        <div className="space-y-2" data-testid="rx-checklist">
          <p className="text-sm font-medium">{t('actions.checklist')}</p>
          <ul className="space-y-1 text-sm">
            {items.map((item) => (
              <li key={item.id} className="flex items-center gap-2" data-testid="rx-checklist-item">
                <span className="w-40">{item.label}</span>
                {item.dispensed ? <span className="text-brand-700">✓ {t('actions.dispensed')}</span> : <Button size="sm" disabled={busy} onClick={() => dispense.mutate({ id, itemId: item.id })} data-testid="rx-dispense-item">{t('actions.dispense')}</Button>}
                {item.checked ? <span className="text-brand-700">✓ {t('actions.checked')}</span> : item.dispensed ? <Button size="sm" variant="outline" disabled={busy || item.dispensedByMe} title={item.dispensedByMe ? t('actions.secondPharmacist') : undefined} onClick={() => check.mutate({ id, itemId: item.id })} data-testid="rx-check-item">{t('actions.check')}</Button> : null}
              </li>
            ))}
          </ul>
          {ships?.afterDispensing ? handoverForm : null}
          <Button disabled={busy || items.some((i) => !i.checked)} onClick={() => finishDispensing.mutate({ id, ...withShipment(ships?.afterDispensing ?? false) })} data-testid="rx-finish-dispensing">
            {t('actions.finishDispensing')}
          </Button>
        </div>
      ) : null}

      {can.decocting ? (
        <div className="space-y-3">
          <div className="flex flex-wrap items-end gap-2 text-sm" data-testid="rx-decoction-form">
            <label className="space-y-1">
              <span className="block text-stone-600">{t('actions.step')}</span>
              <Select value={step} onChange={(e) => setStep(e.target.value as Step)}>
                {STEPS.map((s) => (
                  <option key={s} value={s}>
                    {t(`steps.${s}`)}
                  </option>
                ))}
              </Select>
            </label>
            <StepCount id="rx-minutes" label={t('actions.minutes')} value={minutes} onChange={setMinutes} error={stepErrors.minutes} testId="rx-step-minutes" />
            {step === 'pack' ? <StepCount id="rx-bags" label={t('actions.bags')} value={bags} onChange={setBags} error={stepErrors.bags} /> : null}
            <Button disabled={busy} onClick={() => logStep.mutate({ id, step, ...(minutes.trim() ? { minutes: numberFromText(minutes) } : {}), ...(bags.trim() ? { bags: numberFromText(bags) } : {}) })} data-testid="rx-log-step">
              {t('actions.logStep')}
            </Button>
            {ships?.afterDecoction ? null : (
              <Button variant="outline" disabled={busy} onClick={() => ask('finishDecoction')} data-testid="rx-finish-decoction">
                {t('actions.finishDecoction')}
              </Button>
            )}
          </div>
          {ships?.afterDecoction ? (
            <>
              {handoverForm}
              <Button disabled={busy} onClick={() => ask('finishDecoction')} data-testid="rx-finish-decoction">
                {t('actions.finishDecoction')}
              </Button>
            </>
          ) : null}
          {pending === 'finishDecoction' ? confirmBox : null}
        </div>
      ) : null}

      {can.pickup ? (
        <div className="flex items-end gap-2 text-sm">
          <label className="space-y-1">
            <span className="block text-stone-600">{t('actions.pickupCode')}</span>
            <Input inputMode="numeric" value={code} onChange={(e) => setCode(e.target.value)} className="w-32" data-testid="rx-pickup-code" />
          </label>
          <Button disabled={busy} onClick={() => pickup.mutate({ id, code })} data-testid="rx-confirm-pickup">
            {t('actions.confirmPickup')}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
