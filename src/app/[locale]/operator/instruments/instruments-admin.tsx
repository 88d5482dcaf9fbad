'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { PRODUCT_CUTS, PRODUCT_FORMS, PRODUCT_GRADES, PRODUCT_PROCESSINGS, type ProductCut, type ProductForm, type ProductGrade, type ProductProcessing } from '@/server/domains/catalog/products.core.ts';

/** Opens an instrument for a catalogue spec (herb × form × cut × processing) and a grade. */
export function CreateInstrumentForm() {
  const t = useTranslations('market.operator');
  const tc = useTranslations('catalog');
  const trpc = useTRPC();
  const router = useRouter();
  const [q, setQ] = useState('');
  const [herbId, setHerbId] = useState('');
  const [form, setForm] = useState<ProductForm>('raw');
  const [cut, setCut] = useState<ProductCut>('none');
  const [processing, setProcessing] = useState<ProductProcessing>('raw');
  const [grade, setGrade] = useState<ProductGrade>('ungraded');
  const herbs = useQuery({ ...trpc.herbs.search.queryOptions({ q, limit: 10 }), enabled: q.trim().length > 0 });
  const create = useMutation(trpc.market.createInstrument.mutationOptions({ onSuccess: () => router.refresh() }));
  const { byField, message } = fieldErrorsOf(create.error);
  const options = herbs.data?.items ?? [];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ herbId, form, cut, processing, grade });
  }

  const selects = [
    ['form', PRODUCT_FORMS, 'forms', form, setForm],
    ['cut', PRODUCT_CUTS, 'cuts', cut, setCut],
    ['processing', PRODUCT_PROCESSINGS, 'processings', processing, setProcessing],
    ['grade', PRODUCT_GRADES, 'grades', grade, setGrade],
  ] as const;

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-3" data-testid="create-instrument-form" aria-label={t('create')}>
      {message ? (
        <div className="sm:col-span-3">
          <Alert tone="danger">{message}</Alert>
        </div>
      ) : null}
      {create.data ? (
        <div className="sm:col-span-3">
          <Alert tone="success">
            <span data-testid="instrument-created">{t('created', { name: create.data.name })}</span>
          </Alert>
        </div>
      ) : null}
      <Field id="instrument-herb-query" label={tc('herbSearch')}>
        <Input id="instrument-herb-query" value={q} maxLength={50} autoComplete="off" placeholder="黄芪 / hq" onChange={(e) => {
            setQ(e.target.value);
            setHerbId('');
          }}
          data-testid="instrument-herb-query"
        />
      </Field>
      <Field id="instrument-herbId" label={tc('herb')} error={byField.herbId}>
        <Select id="instrument-herbId" value={herbId} onChange={(e) => setHerbId(e.target.value)} aria-invalid={Boolean(byField.herbId)} data-testid="instrument-herb">
          <option value="">{tc('pickHerb')}</option>
          {options.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </Select>
      </Field>
      <div className="hidden sm:block" />
      {selects.map(([name, values, group, value, set]) => (
        <Field key={name} id={`instrument-${name}`} label={tc(name)} error={byField[name]}>
          <Select id={`instrument-${name}`} value={value} onChange={(e) => (set as (v: string) => void)(e.target.value)} aria-invalid={Boolean(byField[name])} data-testid={`instrument-${name}`}>
            {values.map((v) => (
              <option key={v} value={v}>
                {tc(`${group}.${v}` as 'forms.raw')}
              </option>
            ))}
          </Select>
        </Field>
      ))}
      <div className="sm:col-span-3">
        <SubmitButton disabled={create.isPending} data-testid="instrument-create">
          {create.isPending ? t('creating') : t('createButton')}
        </SubmitButton>
      </div>
    </form>
  );
}

/** The instrument's status with the operator's halt / resume. */
export function InstrumentStatusToggle({ instrumentId, name, status }: { instrumentId: string; name: string; status: 'active' | 'halted' }) {
  const t = useTranslations('market');
  const trpc = useTRPC();
  const router = useRouter();
  const set = useMutation(trpc.market.setInstrumentStatus.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = fieldErrorsOf(set.error);
  const next = status === 'active' ? 'halted' : 'active';
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Badge tone={status === 'active' ? 'success' : 'warning'}>{t(`status.${status}`)}</Badge>
      <Button
        size="sm"
        variant={status === 'active' ? 'destructive' : 'outline'}
        disabled={set.isPending}
        onClick={() => set.mutate({ instrumentId, status: next })}
        aria-label={t(status === 'active' ? 'operator.haltLabel' : 'operator.resumeLabel', { name })}
        data-testid={status === 'active' ? 'instrument-halt' : 'instrument-resume'}
      >
        {t(status === 'active' ? 'operator.halt' : 'operator.resume')}
      </Button>
      {set.error ? (
        <span role="alert" className="text-xs text-cinnabar-500">
          {error.message ?? Object.values(error.byField)[0]}
        </span>
      ) : null}
    </div>
  );
}
