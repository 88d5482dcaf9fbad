'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { severityTone } from '../format.ts';
import { numberFromText } from '@/lib/input-format.ts';

const HANDLINGS = ['先煎', '后下', '包煎', '另煎', '烊化', '冲服'] as const;
type Handling = (typeof HANDLINGS)[number];

interface Line {
  herb: string;
  grams: string;
  handling: Handling | '';
}

const newKey = () => `rx-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
const emptyLine = (): Line => ({ herb: '', grams: '', handling: '' });

/** Herb name input with autocomplete from the catalogue search (names, pinyin, initials). */
function HerbInput({ id, value, onChange, invalid }: { id: string; value: string; onChange: (v: string) => void; invalid: boolean }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const q = value.trim();
  const found = useQuery({ ...trpc.herbs.search.queryOptions({ q, limit: 8 }), enabled: open && q.length > 0 });
  return (
    <div className="relative">
      <Input id={id} value={value} aria-invalid={invalid} autoComplete="off" onFocus={() => setOpen(true)} onBlur={() => setTimeout(() => setOpen(false), 150)} onChange={(e) => { onChange(e.target.value); setOpen(true); }} data-testid="rx-herb-input" />
      {open && found.data && found.data.items.length > 0 ? (
        <ul className="absolute z-10 mt-1 max-h-56 w-64 overflow-auto rounded-md border border-stone-200 bg-white text-sm shadow" role="listbox" data-testid="rx-herb-options">
          {found.data.items.map((h) => (
            <li key={h.id}>
              <button type="button" className="flex w-full justify-between px-3 py-1.5 text-left hover:bg-stone-100" onMouseDown={(e) => e.preventDefault()} onClick={() => { onChange(h.name); setOpen(false); }}>
                <span>{h.name}</span>
                <span className="text-stone-400">{h.pinyin}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The physician's prescription form: items, doses, usage, 代煎, pickup or delivery; flags before signing. */
export function RxForm({ defaultLat, defaultLng }: { defaultLat: number; defaultLng: number }) {
  const t = useTranslations('rx');
  const trpc = useTRPC();
  const router = useRouter();
  const key = useRef(newKey());
  const [patient, setPatient] = useState({ name: '', sex: 'F' as 'M' | 'F', ageYears: '', pregnant: false, allergies: '' });
  const [lines, setLines] = useState<Line[]>([emptyLine(), emptyLine(), emptyLine(), emptyLine()]);
  const [doses, setDoses] = useState('7');
  const [usage, setUsage] = useState(t('form.usageDefault'));
  const [decoction, setDecoction] = useState(true);
  const [bags, setBags] = useState('14');
  const [ml, setMl] = useState('200');
  const [fulfilment, setFulfilment] = useState<'pickup' | 'delivery'>('delivery');
  const [lat, setLat] = useState(String(defaultLat));
  const [lng, setLng] = useState(String(defaultLng));
  const [validDays, setValidDays] = useState('3');
  const [storeId, setStoreId] = useState('');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [addressMissing, setAddressMissing] = useState(false);
  const at = { lat: numberFromText(lat), lng: numberFromText(lng) };
  const locationOk = Number.isFinite(at.lat) && Number.isFinite(at.lng) && Math.abs(at.lat) <= 90 && Math.abs(at.lng) <= 180;
  const stores = useQuery({ ...trpc.prescriptions.stores.queryOptions(at), enabled: fulfilment === 'pickup' && locationOk });

  const screen = useMutation(trpc.prescriptions.screen.mutationOptions());
  const create = useMutation(trpc.prescriptions.create.mutationOptions({ onSuccess: (r) => router.push(`/prescriptions/${r.id}`) }));
  const errors = fieldErrorsOf(create.error ?? screen.error);
  const err = (field: string) => errors.byField[field] ?? null;

  // Blank rows are left out; errors name positions in the request, `kept` maps them back to rows.
  const kept = lines.flatMap((l, i) => (l.herb.trim() !== '' || l.grams.trim() !== '' ? [i] : []));
  const items = kept.map((i) => lines[i]!).map((l) => ({ herb: l.herb.trim(), grams: numberFromText(l.grams), ...(l.handling ? { handling: l.handling } : {}) }));
  const itemErr = (row: number, field: 'herb' | 'grams') => {
    const at = kept.indexOf(row);
    return at < 0 ? null : err(`items.${at}.${field}`);
  };
  const setLine = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const screenInput = { patient: { sex: patient.sex, ageYears: numberFromText(patient.ageYears), pregnant: patient.pregnant }, decoction, doses: numberFromText(doses), items };

  function submit() {
    // Delivery needs an address (the server refuses it too, naming deliveryAddress.address).
    if (fulfilment === 'delivery' && address.trim() === '') {
      setAddressMissing(true);
      return;
    }
    setAddressMissing(false);
    create.mutate({
      patient: { name: patient.name, sex: patient.sex, ageYears: numberFromText(patient.ageYears), pregnant: patient.pregnant, ...(patient.allergies.trim() ? { allergies: patient.allergies } : {}) },
      items,
      doses: numberFromText(doses),
      usage,
      decoction,
      ...(decoction ? { decoctionBags: numberFromText(bags), decoctionMl: numberFromText(ml) } : {}),
      fulfilment,
      location: { lat: numberFromText(lat), lng: numberFromText(lng) },
      validDays: numberFromText(validDays),
      ...(fulfilment === 'pickup' && storeId ? { storeId } : {}),
      ...(fulfilment === 'delivery' ? { deliveryAddress: { address, ...(phone.trim() ? { phone } : {}) } } : {}),
      idempotencyKey: key.current,
    });
  }

  const flags = screen.data?.flags ?? [];
  return (
    <form className="space-y-6" onSubmit={(e) => { e.preventDefault(); submit(); }} data-testid="rx-form">
      {errors.message ? <Alert tone="danger">{errors.message}</Alert> : null}
      <fieldset className="grid gap-4 sm:grid-cols-5">
        <legend className="mb-2 font-medium">{t('form.patient')}</legend>
        <Field id="rx-name" label={t('form.patientName')} error={err('patient.name')} hint={t('form.patientNameHint')}>
          <Input id="rx-name" value={patient.name} onChange={(e) => setPatient({ ...patient, name: e.target.value })} data-testid="rx-patient-name" />
        </Field>
        <Field id="rx-sex" label={t('form.sex')} error={err('patient.sex')}>
          <Select id="rx-sex" value={patient.sex} onChange={(e) => setPatient({ ...patient, sex: e.target.value as 'M' | 'F', pregnant: e.target.value === 'F' && patient.pregnant })}>
            <option value="F">{t('sex.F')}</option>
            <option value="M">{t('sex.M')}</option>
          </Select>
        </Field>
        <Field id="rx-age" label={t('form.age')} error={err('patient.ageYears')}>
          <Input id="rx-age" inputMode="numeric" value={patient.ageYears} onChange={(e) => setPatient({ ...patient, ageYears: e.target.value })} data-testid="rx-patient-age" />
        </Field>
        <Field id="rx-allergies" label={t('form.allergies')} error={err('patient.allergies')}>
          <Input id="rx-allergies" value={patient.allergies} onChange={(e) => setPatient({ ...patient, allergies: e.target.value })} />
        </Field>
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" checked={patient.pregnant} disabled={patient.sex !== 'F'} onChange={(e) => setPatient({ ...patient, pregnant: e.target.checked })} />
          {t('form.pregnant')}
        </label>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="mb-2 font-medium">{t('form.items')}</legend>
        {err('items') ? <p className="text-xs text-cinnabar-500">{err('items')}</p> : null}
        <table className="w-full text-sm" data-testid="rx-items">
          <thead className="text-left text-stone-500">
            <tr>
              <th className="py-1 font-medium">{t('form.herb')}</th>
              <th className="py-1 font-medium">{t('form.grams')}</th>
              <th className="py-1 font-medium">{t('form.handling')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i} className="align-top">
                <td className="py-1 pr-2">
                  <HerbInput id={`rx-herb-${i}`} value={l.herb} onChange={(v) => setLine(i, { herb: v })} invalid={Boolean(itemErr(i, 'herb'))} />
                  {itemErr(i, 'herb') ? <p className="text-xs text-cinnabar-500">{itemErr(i, 'herb')}</p> : null}
                </td>
                <td className="py-1 pr-2">
                  <Input inputMode="decimal" value={l.grams} aria-invalid={Boolean(itemErr(i, 'grams'))} onChange={(e) => setLine(i, { grams: e.target.value })} data-testid="rx-grams-input" />
                  {itemErr(i, 'grams') ? <p className="text-xs text-cinnabar-500">{itemErr(i, 'grams')}</p> : null}
                </td>
                <td className="py-1 pr-2">
                  <Select value={l.handling} onChange={(e) => setLine(i, { handling: e.target.value as Handling | '' })}>
                    <option value="">—</option>
                    {HANDLINGS.map((h) => (
                      <option key={h} value={h}>
                        {h}
                      </option>
                    ))}
                  </Select>
                </td>
                <td className="py-1">
                  <Button variant="ghost" size="sm" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} aria-label={t('form.removeItem')}>
                    ×
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Button variant="outline" size="sm" onClick={() => setLines((ls) => [...ls, emptyLine()])} data-testid="rx-add-item">
          {t('form.addItem')}
        </Button>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-4">
        <Field id="rx-doses" label={t('form.doses')} error={err('doses')}>
          <Input id="rx-doses" inputMode="numeric" value={doses} onChange={(e) => setDoses(e.target.value)} data-testid="rx-doses" />
        </Field>
        <Field id="rx-usage" label={t('form.usage')} error={err('usage')}>
          <Input id="rx-usage" value={usage} onChange={(e) => setUsage(e.target.value)} />
        </Field>
        <Field id="rx-valid" label={t('form.validDays')} error={err('validDays')}>
          <Select id="rx-valid" value={validDays} onChange={(e) => setValidDays(e.target.value)}>
            {['1', '2', '3'].map((d) => (
              <option key={d} value={d}>
                {t('form.days', { n: d })}
              </option>
            ))}
          </Select>
        </Field>
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" checked={decoction} onChange={(e) => setDecoction(e.target.checked)} data-testid="rx-decoction" />
          {t('form.decoction')}
        </label>
        {decoction ? (
          <>
            <Field id="rx-bags" label={t('form.bags')} error={err('decoctionBags')}>
              <Input id="rx-bags" inputMode="numeric" value={bags} onChange={(e) => setBags(e.target.value)} />
            </Field>
            <Field id="rx-ml" label={t('form.ml')} error={err('decoctionMl')}>
              <Input id="rx-ml" inputMode="numeric" value={ml} onChange={(e) => setMl(e.target.value)} />
            </Field>
          </>
        ) : null}
        <Field id="rx-fulfilment" label={t('form.fulfilment')} error={err('fulfilment')}>
          <Select id="rx-fulfilment" value={fulfilment} onChange={(e) => setFulfilment(e.target.value as 'pickup' | 'delivery')}>
            <option value="delivery">{t('fulfilment.delivery')}</option>
            <option value="pickup">{t('fulfilment.pickup')}</option>
          </Select>
        </Field>
        {fulfilment === 'delivery' ? (
          <>
            <div className="sm:col-span-2">
              <Field id="rx-address" label={t('form.deliveryAddress')} error={addressMissing ? t('form.addressRequired') : err('deliveryAddress.address') ?? err('deliveryAddress')}>
                <Input id="rx-address" value={address} maxLength={300} aria-invalid={addressMissing || Boolean(err('deliveryAddress.address')) || undefined} onChange={(e) => { setAddress(e.target.value); if (e.target.value.trim()) setAddressMissing(false); }} data-testid="rx-delivery-address" />
              </Field>
            </div>
            <Field id="rx-phone" label={t('form.deliveryPhone')} error={err('deliveryAddress.phone')} hint={t('form.deliveryPhoneHint')}>
              <Input id="rx-phone" inputMode="tel" value={phone} maxLength={20} onChange={(e) => setPhone(e.target.value)} data-testid="rx-delivery-phone" />
            </Field>
          </>
        ) : null}
        {fulfilment === 'pickup' ? (
          <Field id="rx-store" label={t('form.store')} error={err('storeId')}>
            <Select id="rx-store" value={storeId} onChange={(e) => setStoreId(e.target.value)} data-testid="rx-store">
              <option value="">{t('form.nearestStore')}</option>
              {(stores.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} · {s.km} km
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field id="rx-lat" label={t('form.lat')} error={err('location.lat')} hint={t('form.locationHint')}>
          <Input id="rx-lat" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} />
        </Field>
        <Field id="rx-lng" label={t('form.lng')} error={err('location.lng')}>
          <Input id="rx-lng" inputMode="decimal" value={lng} onChange={(e) => setLng(e.target.value)} />
        </Field>
      </fieldset>

      {screen.data ? (
        <div className="space-y-2" data-testid="rx-screen-result">
          {flags.length === 0 ? <Alert tone="success">{t('flags.none')}</Alert> : null}
          {flags.map((f, i) => (
            <div key={i} className="flex items-start gap-2 text-sm" data-testid="rx-flag">
              <Badge tone={severityTone(f.severity)}>{t(`severity.${f.severity}`)}</Badge>
              <span>{f.message}</span>
            </div>
          ))}
          {flags.some((f) => f.severity === 'block') ? <Alert tone="warning">{t('flags.blockHint')}</Alert> : null}
        </div>
      ) : null}

      <div className="flex gap-2">
        <Button variant="outline" disabled={screen.isPending || items.length === 0} onClick={() => screen.mutate(screenInput)} data-testid="rx-screen">
          {t('form.screen')}
        </Button>
        <SubmitButton disabled={create.isPending} data-testid="rx-sign">
          {t('form.sign')}
        </SubmitButton>
      </div>
    </form>
  );
}
