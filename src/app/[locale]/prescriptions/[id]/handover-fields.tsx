'use client';

import { useTranslations } from 'next-intl';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { numberFromText } from '@/lib/input-format.ts';

export const HANDOVER_CARRIERS = ['sf', 'jd', 'sim'] as const;
export const HANDOVER_SCENARIOS = ['normal', 'excursion', 'refused', 'address_problem', 'damaged'] as const;
type Carrier = (typeof HANDOVER_CARRIERS)[number];
type Scenario = (typeof HANDOVER_SCENARIOS)[number];

/** What the page knows for the hand-over form (the server decides; these only prefill and label). */
export interface HandoverOptions {
  simulatedAvailable: boolean;
  estimatedWeightG: number;
  /** How the estimate was made: bags of decocted medicine, or herbs plus packaging. */
  estimate: { bags: number } | null;
  address: string;
  phoneMasked: string | null;
}

export interface HandoverValue {
  carrier: Carrier;
  trackingNumber: string;
  parcels: string;
  weightG: string;
  address: string;
  phone: string;
  scenario: Scenario;
}

export function initialHandover(options: HandoverOptions): HandoverValue {
  return { carrier: options.simulatedAvailable ? 'sim' : 'sf', trackingNumber: '', parcels: '1', weightG: String(options.estimatedWeightG), address: options.address, phone: '', scenario: 'normal' };
}

/** The `shipment` input of finishDispensing / finishDecoction, as typed (the server checks it). */
export function shipmentOf(v: HandoverValue) {
  const sim = v.carrier === 'sim';
  return {
    carrier: v.carrier,
    ...(!sim && v.trackingNumber.trim() ? { trackingNumber: v.trackingNumber.trim() } : {}),
    parcels: numberFromText(v.parcels),
    ...(v.weightG.trim() ? { weightG: numberFromText(v.weightG) } : {}),
    ...(v.address.trim() ? { address: v.address } : {}),
    ...(v.phone.trim() ? { phone: v.phone } : {}),
    ...(sim ? { scenario: v.scenario } : {}),
  };
}

/** Carrier, tracking number, parcels, weight, address, phone and (demo carrier) scenario for the hand-over. */
export function HandoverFields({ value, onChange, options, errors }: { value: HandoverValue; onChange: (v: HandoverValue) => void; options: HandoverOptions; errors: Record<string, string> }) {
  const t = useTranslations('rx.handover');
  const set = (patch: Partial<HandoverValue>) => onChange({ ...value, ...patch });
  const err = (field: string) => errors[`shipment.${field}`] ?? null;
  const carriers = HANDOVER_CARRIERS.filter((c) => c !== 'sim' || options.simulatedAvailable);
  const sim = value.carrier === 'sim';
  return (
    <fieldset className="grid gap-3 rounded-md border border-stone-200 p-3 text-sm sm:grid-cols-3" data-testid="rx-handover">
      <legend className="px-1 font-medium">{t('title')}</legend>
      {errors.shipment ? (
        <p role="alert" className="text-xs text-cinnabar-500 sm:col-span-3">
          {errors.shipment}
        </p>
      ) : null}
      <Field id="rx-ship-carrier" label={t('carrier')} error={err('carrier')}>
        <Select id="rx-ship-carrier" value={value.carrier} onChange={(e) => set({ carrier: e.target.value as Carrier })} data-testid="rx-ship-carrier">
          {carriers.map((c) => (
            <option key={c} value={c}>
              {t(`carriers.${c}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="rx-ship-tracking" label={t('trackingNumber')} error={err('trackingNumber')} hint={sim ? t('trackingGenerated') : undefined}>
        <Input id="rx-ship-tracking" value={sim ? '' : value.trackingNumber} disabled={sim} aria-invalid={err('trackingNumber') ? true : undefined} onChange={(e) => set({ trackingNumber: e.target.value })} data-testid="rx-ship-tracking" />
      </Field>
      {sim ? (
        <Field id="rx-ship-scenario" label={t('scenario')} error={err('scenario')}>
          <Select id="rx-ship-scenario" value={value.scenario} onChange={(e) => set({ scenario: e.target.value as Scenario })} data-testid="rx-ship-scenario">
            {HANDOVER_SCENARIOS.map((s) => (
              <option key={s} value={s}>
                {t(`scenarios.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
      ) : (
        <div />
      )}
      <Field id="rx-ship-parcels" label={t('parcels')} error={err('parcels')}>
        <Input id="rx-ship-parcels" inputMode="numeric" value={value.parcels} onChange={(e) => set({ parcels: e.target.value })} data-testid="rx-ship-parcels" />
      </Field>
      <Field id="rx-ship-weight" label={t('weight')} error={err('weightG')} hint={t('weightHint', { hint: options.estimate ? t('weightBags', { bags: options.estimate.bags }) : t('weightHerbs') })}>
        <Input id="rx-ship-weight" inputMode="numeric" value={value.weightG} aria-invalid={err('weightG') ? true : undefined} onChange={(e) => set({ weightG: e.target.value })} data-testid="rx-ship-weight" />
      </Field>
      <Field id="rx-ship-phone" label={t('phone')} error={err('phone')} hint={options.phoneMasked ? t('phoneKeep', { masked: options.phoneMasked }) : undefined}>
        <Input id="rx-ship-phone" inputMode="tel" value={value.phone} onChange={(e) => set({ phone: e.target.value })} data-testid="rx-ship-phone" />
      </Field>
      <div className="sm:col-span-3">
        <Field id="rx-ship-address" label={t('address')} error={err('address')}>
          <Input id="rx-ship-address" value={value.address} maxLength={300} aria-invalid={err('address') ? true : undefined} onChange={(e) => set({ address: e.target.value })} data-testid="rx-ship-address" />
        </Field>
      </div>
    </fieldset>
  );
}
