'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { asciiNumberText, numberFromText } from '@/lib/input-format.ts';

const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
const minutesOf = (text: string) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(asciiNumberText(text));
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

export interface CapabilityValues {
  decoction: boolean;
  dailyCapacity: number;
  opensAtMin: number;
  closesAtMin: number;
  serviceRadiusKm: number;
  active: boolean;
}

/** Decoction capability, daily capacity, opening hours (Asia/Shanghai) and service radius. */
export function CapabilityForm({ initial }: { initial: CapabilityValues | null }) {
  const t = useTranslations('rx');
  const trpc = useTRPC();
  const router = useRouter();
  const [v, setV] = useState({
    decoction: initial?.decoction ?? false,
    dailyCapacity: String(initial?.dailyCapacity ?? 50),
    opens: hhmm(initial?.opensAtMin ?? 8 * 60),
    closes: hhmm(initial?.closesAtMin ?? 21 * 60),
    radius: String(initial?.serviceRadiusKm ?? 20),
    active: initial?.active ?? true,
  });
  const save = useMutation(trpc.prescriptions.setCapability.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrorsOf(save.error);
  return (
    <form className="grid gap-3 sm:grid-cols-3" onSubmit={(e) => { e.preventDefault(); save.mutate({ decoction: v.decoction, dailyCapacity: numberFromText(v.dailyCapacity), opensAtMin: minutesOf(v.opens), closesAtMin: minutesOf(v.closes), serviceRadiusKm: numberFromText(v.radius), active: v.active }); }} data-testid="rx-capability-form">
      {errors.message ? <Alert tone="danger">{errors.message}</Alert> : null}
      {save.isSuccess ? <Alert tone="success">{t('workbench.saved')}</Alert> : null}
      <Field id="cap-capacity" label={t('workbench.dailyCapacity')} error={errors.byField.dailyCapacity}>
        <Input id="cap-capacity" inputMode="numeric" value={v.dailyCapacity} onChange={(e) => setV({ ...v, dailyCapacity: e.target.value })} />
      </Field>
      <Field id="cap-opens" label={t('workbench.opens')} error={errors.byField.opensAtMin} hint={t('workbench.hoursHint')}>
        <Input id="cap-opens" value={v.opens} onChange={(e) => setV({ ...v, opens: e.target.value })} />
      </Field>
      <Field id="cap-closes" label={t('workbench.closes')} error={errors.byField.closesAtMin}>
        <Input id="cap-closes" value={v.closes} onChange={(e) => setV({ ...v, closes: e.target.value })} />
      </Field>
      <Field id="cap-radius" label={t('workbench.radius')} error={errors.byField.serviceRadiusKm}>
        <Input id="cap-radius" inputMode="numeric" value={v.radius} onChange={(e) => setV({ ...v, radius: e.target.value })} />
      </Field>
      <label className="flex items-center gap-2 self-end pb-2 text-sm">
        <input type="checkbox" checked={v.decoction} onChange={(e) => setV({ ...v, decoction: e.target.checked })} />
        {t('workbench.decoction')}
      </label>
      <label className="flex items-center gap-2 self-end pb-2 text-sm">
        <input type="checkbox" checked={v.active} onChange={(e) => setV({ ...v, active: e.target.checked })} />
        {t('workbench.active')}
      </label>
      <div>
        <SubmitButton disabled={save.isPending}>
          {t('workbench.save')}
        </SubmitButton>
      </div>
    </form>
  );
}
