'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select, Textarea } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { canTransition, SELLER_TARGETS, type ListingStatus } from '@/server/domains/catalog/listings.core.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS } from '@/server/domains/catalog/products.core.ts';
import { numberFromText } from '@/lib/input-format.ts';

type Option = { id: string; name: string };

const text = (d: FormData, k: string) => String(d.get(k) ?? '').trim();
const optional = (d: FormData, k: string) => text(d, k) || undefined;
/** A number field as typed: NaN for junk so the server names the field (never silently 0). */
const num = (d: FormData, k: string) => (text(d, k) === '' ? Number.NaN : numberFromText(text(d, k)));
const invalid = (byField: Record<string, string>, k: string) => ({ 'aria-invalid': Boolean(byField[k]), 'aria-describedby': byField[k] ? `${k}-error` : undefined });

export function ProductForm() {
  const t = useTranslations('catalog');
  const trpc = useTRPC();
  const router = useRouter();
  const [q, setQ] = useState('');
  const herbs = useQuery({ ...trpc.herbs.search.queryOptions({ q, limit: 10 }), enabled: q.trim().length > 0 });
  const create = useMutation(trpc.catalog.createProduct.mutationOptions({ onSuccess: () => router.refresh() }));
  const { byField, message } = fieldErrorsOf(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const d = new FormData(form);
    create.mutate(
      {
        herbId: text(d, 'herbId'),
        form: text(d, 'form') as (typeof PRODUCT_FORMS)[number],
        cut: text(d, 'cut') as (typeof PRODUCT_CUTS)[number],
        processing: text(d, 'processing') as (typeof PRODUCT_PROCESSINGS)[number],
        grade: text(d, 'grade') as (typeof PRODUCT_GRADES)[number],
        origin: text(d, 'origin'),
        daoDi: d.get('daoDi') === 'on',
      },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-3" data-testid="create-product-form" aria-label={t('createProduct')}>
      {message ? (
        <div className="sm:col-span-3">
          <Alert tone="danger">{message}</Alert>
        </div>
      ) : null}
      <Field id="herbQuery" label={t('herbSearch')}>
        <Input id="herbQuery" value={q} onChange={(e) => setQ(e.target.value)} maxLength={50} autoComplete="off" />
      </Field>
      <Field id="herbId" label={t('herb')} error={byField.herbId}>
        <Select id="herbId" name="herbId" defaultValue="" {...invalid(byField, 'herbId')}>
          <option value="">{t('pickHerb')}</option>
          {(herbs.data?.items ?? []).map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="origin" label={t('origin')} error={byField.origin}>
        <Input id="origin" name="origin" maxLength={40} placeholder="甘肃陇西" {...invalid(byField, 'origin')} />
      </Field>
      {(
        [
          ['form', PRODUCT_FORMS, 'forms'],
          ['cut', PRODUCT_CUTS, 'cuts'],
          ['processing', PRODUCT_PROCESSINGS, 'processings'],
          ['grade', PRODUCT_GRADES, 'grades'],
        ] as const
      ).map(([name, values, group]) => (
        <Field key={name} id={name} label={t(name)} error={byField[name]}>
          <Select id={name} name={name} defaultValue={values[0]}>
            {values.map((v) => (
              <option key={v} value={v}>
                {t(`${group}.${v}` as 'forms.raw')}
              </option>
            ))}
          </Select>
        </Field>
      ))}
      <label className="flex items-center gap-2 self-end text-sm">
        <input type="checkbox" name="daoDi" /> {t('daoDi')}
      </label>
      <div className="sm:col-span-3">
        <SubmitButton disabled={create.isPending}>
          {create.isPending ? t('saving') : t('save')}
        </SubmitButton>
      </div>
    </form>
  );
}

export function LotForm({ products }: { products: Option[] }) {
  const t = useTranslations('catalog');
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.catalog.createLot.mutationOptions({ onSuccess: () => router.refresh() }));
  const { byField, message } = fieldErrorsOf(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const d = new FormData(form);
    const so2 = optional(d, 'so2Ppm');
    create.mutate(
      {
        productId: text(d, 'productId'),
        batchNo: text(d, 'batchNo'),
        quantityG: num(d, 'quantityG'),
        productionDate: text(d, 'productionDate'),
        expiryDate: text(d, 'expiryDate'),
        contentPct: optional(d, 'contentPct'),
        moisturePct: optional(d, 'moisturePct'),
        totalAshPct: optional(d, 'totalAshPct'),
        heavyMetalsPpm: optional(d, 'heavyMetalsPpm'),
        pesticidePpm: optional(d, 'pesticidePpm'),
        so2Ppm: so2 === undefined ? undefined : numberFromText(so2),
        growerBase: optional(d, 'growerBase'),
        harvestDate: optional(d, 'harvestDate'),
      },
      { onSuccess: () => form.reset() },
    );
  }

  const input = (name: string, type = 'text', extra: Record<string, string | number> = {}) => (
    <Field id={name} label={t(name as 'batchNo')} error={byField[name]}>
      <Input id={name} name={name} type={type} {...extra} {...invalid(byField, name)} />
    </Field>
  );
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-3" data-testid="create-lot-form" aria-label={t('createLot')}>
      {message ? (
        <div className="sm:col-span-3">
          <Alert tone="danger">{message}</Alert>
        </div>
      ) : null}
      <Field id="productId" label={t('product')} error={byField.productId}>
        <Select id="productId" name="productId" defaultValue="" {...invalid(byField, 'productId')}>
          <option value="">{t('pickProduct')}</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      </Field>
      {input('batchNo', 'text', { maxLength: 40 })}
      {input('quantityG', 'number', { min: 1, step: 1 })}
      {input('productionDate', 'date')}
      {input('expiryDate', 'date')}
      {input('harvestDate', 'date')}
      {input('contentPct', 'text', { inputMode: 'decimal' })}
      {input('moisturePct', 'text', { inputMode: 'decimal' })}
      {input('totalAshPct', 'text', { inputMode: 'decimal' })}
      {input('heavyMetalsPpm', 'text', { inputMode: 'decimal' })}
      {input('pesticidePpm', 'text', { inputMode: 'decimal' })}
      {input('so2Ppm', 'number', { min: 0, step: 1 })}
      {input('growerBase', 'text', { maxLength: 80 })}
      <div className="sm:col-span-3">
        <SubmitButton disabled={create.isPending}>
          {create.isPending ? t('saving') : t('save')}
        </SubmitButton>
      </div>
    </form>
  );
}

/** `10000=6500` per line → tiers; a malformed line becomes NaN so the server names the tier field. */
function parseTiers(raw: string) {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [minG, price] = line.split('=');
      return { minG: minG?.trim() ? numberFromText(minG) : Number.NaN, priceFenPerKg: price?.trim() ? numberFromText(price) : Number.NaN };
    });
}

export function ListingForm({ lots }: { lots: Option[] }) {
  const t = useTranslations('catalog');
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.catalog.createListing.mutationOptions({ onSuccess: () => router.refresh() }));
  const { byField, message } = fieldErrorsOf(create.error);
  const tierError = Object.entries(byField).find(([k]) => k.startsWith('tiers'))?.[1];
  const regionError = Object.entries(byField).find(([k]) => k.startsWith('deliveryRegions'))?.[1];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const d = new FormData(form);
    create.mutate(
      {
        lotId: text(d, 'lotId'),
        priceFenPerKg: num(d, 'priceFenPerKg'),
        tiers: parseTiers(text(d, 'tiers')),
        minOrderG: num(d, 'minOrderG'),
        deliveryRegions: text(d, 'deliveryRegions')
          .split(/[,，\s]+/)
          .filter(Boolean),
        leadTimeDays: num(d, 'leadTimeDays'),
      },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-3" data-testid="create-listing-form" aria-label={t('createListing')}>
      {message ? (
        <div className="sm:col-span-3">
          <Alert tone="danger">{message}</Alert>
        </div>
      ) : null}
      <Field id="lotId" label={t('lot')} error={byField.lotId}>
        <Select id="lotId" name="lotId" defaultValue="" {...invalid(byField, 'lotId')}>
          <option value="">{t('pickLot')}</option>
          {lots.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="priceFenPerKg" label={t('priceFen')} error={byField.priceFenPerKg}>
        <Input id="priceFenPerKg" name="priceFenPerKg" type="number" min={1} step={1} {...invalid(byField, 'priceFenPerKg')} />
      </Field>
      <Field id="minOrderG" label={t('minOrderG')} error={byField.minOrderG}>
        <Input id="minOrderG" name="minOrderG" type="number" min={1} step={1} {...invalid(byField, 'minOrderG')} />
      </Field>
      <Field id="deliveryRegions" label={t('regions')} error={regionError} hint={t('regionsHint')}>
        <Input id="deliveryRegions" name="deliveryRegions" maxLength={400} {...invalid(byField, 'deliveryRegions')} />
      </Field>
      <Field id="leadTimeDays" label={t('leadTime')} error={byField.leadTimeDays}>
        <Input id="leadTimeDays" name="leadTimeDays" type="number" min={0} step={1} defaultValue={3} {...invalid(byField, 'leadTimeDays')} />
      </Field>
      <Field id="tiers" label={t('tiers')} error={tierError} hint={t('tiersHint')}>
        <Textarea id="tiers" name="tiers" rows={3} placeholder="10000=6500" aria-invalid={Boolean(tierError)} />
      </Field>
      <div className="sm:col-span-3">
        <SubmitButton disabled={create.isPending}>
          {create.isPending ? t('saving') : t('save')}
        </SubmitButton>
      </div>
    </form>
  );
}

const ACTION_LABEL = { active: 'activate', paused: 'pause', closed: 'close' } as const;

export function ListingStatusButtons({ id, status }: { id: string; status: ListingStatus }) {
  const t = useTranslations('catalog');
  const trpc = useTRPC();
  const router = useRouter();
  const change = useMutation(trpc.catalog.setListingStatus.mutationOptions({ onSuccess: () => router.refresh() }));
  const targets = SELLER_TARGETS.filter((to) => canTransition(status, to));
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="listing-status-actions">
      {targets.map((to) => (
        <Button key={to} size="sm" variant={to === 'closed' ? 'ghost' : 'outline'} disabled={change.isPending} onClick={() => change.mutate({ id, status: to })}>
          {t(ACTION_LABEL[to])}
        </Button>
      ))}
      {change.error ? <span className="text-xs text-cinnabar-500" role="alert">{change.error.message}</span> : null}
    </div>
  );
}
